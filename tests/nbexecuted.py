"""pytest plugin: keep each notebook that nbval executed, with its outputs, in a jupyter-cache.

With ``--executed-cache DIR`` (``make nbval`` passes ``_build/.jupyter_cache``, the cache
that ``make book`` reads), every notebook whose cells all passed is stored in that cache
with the outputs nbval received from its kernel. The cache matches a notebook by its code
cells, so ``make book`` right after ``make test`` executes nothing: the website shows the
tested execution, and each notebook runs once. A notebook with a failed cell is not
stored, and an entry cached earlier for the same code is removed, so the website never
shows outputs that the tests did not pass.

Runs wherever the cells run (in each pytest-xdist worker, or in the single process);
writes go through a file lock, as two workers may finish at the same moment.
"""

from __future__ import annotations

import contextlib
import copy
import fcntl
import pathlib
import time

import pytest

OPTION = "--executed-cache"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(OPTION, metavar="DIR", default=None,
                     help="store each notebook that nbval executed without a failure, with "
                          "its outputs, in the jupyter-cache DIR (the one `make book` reads)")


def executed_notebook(notebook, cells_and_outputs):
    """A copy of ``notebook`` with the outputs of the cells that ran, numbered in run order.

    ``cells_and_outputs``: (cell index, outputs as nbval received them) in run order; the
    other code cells get no outputs and no execution count.
    """
    executed = copy.deepcopy(notebook)
    for cell in executed.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    for count, (index, outputs) in enumerate(cells_and_outputs, start=1):
        cell = executed.cells[index]
        if cell.cell_type != "code":
            raise ValueError(f"cell {index} is a {cell.cell_type} cell: only code cells run")
        cell.execution_count = count
        cell.outputs = copy.deepcopy(list(outputs))
        for output in cell.outputs:
            if output.get("output_type") == "execute_result":
                output["execution_count"] = count
    return executed


@contextlib.contextmanager
def locked(directory: pathlib.Path):
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lstm-course-lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class ExecutedNotebookStore:
    def __init__(self, cache_dir: pathlib.Path):
        self.cache_dir = cache_dir
        self.ran: dict[str, list] = {}  # notebook node id -> [(cell index, outputs)]
        self.started: dict[str, float] = {}
        self.failed: set[str] = set()  # notebook node ids with a failed setup, cell or teardown

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None):
        notebook = getattr(item.parent, "nb", None)
        if notebook is None or not hasattr(item, "cell"):  # not an nbval cell
            yield
            return
        key = item.parent.nodeid
        self.started.setdefault(key, time.perf_counter())
        yield
        if hasattr(item, "test_outputs"):  # set once the cell was sent to the kernel
            index = next(i for i, cell in enumerate(notebook.cells) if cell is item.cell)
            self.ran.setdefault(key, []).append((index, item.test_outputs))
        if nextitem is None or nextitem.parent is not item.parent:  # the notebook is done
            self.store(item.parent, time.perf_counter() - self.started.pop(key))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.failed:
            self.failed.add(report.nodeid.split("::", 1)[0])

    def store(self, parent, seconds: float) -> None:
        from jupyter_cache import get_cache
        from jupyter_cache.base import CacheBundleIn

        path = pathlib.Path(str(parent.fspath))
        with locked(self.cache_dir):
            cache = get_cache(str(self.cache_dir))
            if parent.nodeid in self.failed:
                with contextlib.suppress(KeyError):
                    cache.remove_cache(cache.match_cache_notebook(parent.nb).pk)
                return
            notebook = executed_notebook(parent.nb, self.ran.pop(parent.nodeid, []))
            cache.cache_notebook_bundle(
                CacheBundleIn(notebook, str(path), data={"execution_seconds": seconds}),
                check_validity=False, overwrite=True)


def pytest_configure(config: pytest.Config) -> None:
    # Registered in every process; a pytest-xdist controller runs no cells, so only the
    # processes that run them (the workers, or the single process) store anything.
    directory = config.getoption(OPTION)
    if directory:
        config.pluginmanager.register(ExecutedNotebookStore(pathlib.Path(directory).resolve()),
                                      "lstm-course-nbexecuted")
