"""Load the notebook plugins for every pytest run in the repository: the time budgets
(tests/nbbudget.py) and the store of executed notebooks for the website (tests/nbexecuted.py)."""

pytest_plugins = ["tests.nbbudget", "tests.nbexecuted"]
