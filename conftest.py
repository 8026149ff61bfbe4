"""Load the notebook plugins for every pytest run in the repository: the time budgets
(tests/nbbudget.py), the store of executed notebooks for the website (tests/nbexecuted.py)
and the gate that runs timing cells with no other notebook beside them (tests/nbalone.py)."""

pytest_plugins = ["tests.nbbudget", "tests.nbexecuted", "tests.nbalone"]
