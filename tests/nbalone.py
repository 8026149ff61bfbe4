"""pytest plugin: a notebook cell tagged ``run-alone`` runs while no other notebook's cell runs.

``make nbval`` runs two notebooks at a time (pytest-xdist workers). That suits training,
whose asserts are on outcomes, but not the cells that time something and assert on the
timing (a latency exponent, a step-time ratio): a cell of the other notebook that trains at
the same moment takes CPU time from the measurement, and a long timed call is disturbed more
than a short one, which bends a ratio or an exponent. Taking the fastest of several repeats
does not help when every repeat overlaps the other notebook.

So every nbval cell passes a gate shared by the workers of one run, a readers-writer lock
made of two ``flock`` files: an ordinary cell holds it shared (the two workers run their
cells side by side, as before), a cell tagged ``run-alone`` holds it exclusively. It waits
until the other worker's current cell ends, and the other worker's next cell waits until it
ends. A waiting ``run-alone`` cell holds the turnstile, so a stream of ordinary cells cannot
starve it. The wait happens before the cell's setup, so it is not counted in the cell's
time (nor in its notebook's budget).

A reader who runs the notebook alone (Colab, a laptop) has nothing to wait for; the tag only
matters under ``make nbval``. Without pytest-xdist the plugin does nothing.
"""

from __future__ import annotations

import contextlib
import fcntl
import pathlib
import tempfile

import pytest

TAG = "run-alone"


class CellGate:
    """A readers-writer lock between processes: ``shared()`` for ordinary cells, ``alone()``
    for the cells that must run with nothing else. ``directory`` holds its two lock files."""

    def __init__(self, directory: pathlib.Path):
        directory.mkdir(parents=True, exist_ok=True)
        self.turnstile = directory / "turnstile.lock"
        self.room = directory / "room.lock"

    @contextlib.contextmanager
    def shared(self):
        with open(self.turnstile, "a") as turnstile, open(self.room, "a") as room:
            fcntl.flock(turnstile, fcntl.LOCK_EX)  # waits while a run-alone cell waits or runs
            fcntl.flock(room, fcntl.LOCK_SH)
            fcntl.flock(turnstile, fcntl.LOCK_UN)
            try:
                yield
            finally:
                fcntl.flock(room, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def alone(self):
        with open(self.turnstile, "a") as turnstile, open(self.room, "a") as room:
            fcntl.flock(turnstile, fcntl.LOCK_EX)  # no new cell starts from now on
            fcntl.flock(room, fcntl.LOCK_EX)  # the cells that are running end
            try:
                yield
            finally:
                fcntl.flock(room, fcntl.LOCK_UN)
                fcntl.flock(turnstile, fcntl.LOCK_UN)


def runs_alone(item: pytest.Item) -> bool:
    """True for an nbval cell whose metadata tags include ``run-alone``."""
    cell = getattr(item, "cell", None)
    return cell is not None and TAG in cell.get("metadata", {}).get("tags", [])


class RunAlone:
    def __init__(self, gate: CellGate):
        self.gate = gate

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None):
        if not hasattr(item, "cell"):  # not an nbval cell
            yield
            return
        with self.gate.alone() if runs_alone(item) else self.gate.shared():
            yield


def pytest_configure(config: pytest.Config) -> None:
    workerinput = getattr(config, "workerinput", None)
    if workerinput is None:  # no pytest-xdist worker: nothing else runs at the same time
        return
    run = workerinput["testrunuid"]  # the same in every worker of one run
    directory = pathlib.Path(tempfile.gettempdir()) / f"lstm-course-gate-{run}"
    config.pluginmanager.register(RunAlone(CellGate(directory)), "lstm-course-run-alone")
