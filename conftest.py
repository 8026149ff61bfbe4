"""Load the notebook time-budget plugin for every pytest run in the repository."""

pytest_plugins = ["tests.nbbudget"]
