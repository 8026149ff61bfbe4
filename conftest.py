"""Load the notebook plugins for every pytest run in the repository: the time budgets
(tests/nbbudget.py), the store of executed notebooks for the website (tests/nbexecuted.py),
the gate that runs timing cells with no other notebook beside them (tests/nbalone.py) and
the second start of a kernel that did not come up (tests/nbkernel.py)."""

pytest_plugins = ["tests.nbbudget", "tests.nbexecuted", "tests.nbalone", "tests.nbkernel"]
