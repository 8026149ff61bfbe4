"""A cell tagged run-alone runs while no other notebook's cell runs (tests/nbalone.py).

The gate is tested with real processes, then end to end under two nbval workers as in
``make nbval``: with the plugin, the run-alone cell overlaps none of the other notebook's
cells; without it, the same two notebooks do overlap (so the check can fail).
"""

import json
import multiprocessing
import time

import nbformat
import pytest

from tests.nbalone import TAG, CellGate, runs_alone
from tests.test_nbval_and_budget import TWO_WORKERS, _notebook, _run_nbval


def _hold(directory, mode, seconds, ready, stamps):
    """In a child process: take the gate (``mode``), signal, hold it ``seconds``."""
    gate = CellGate(directory)
    with gate.alone() if mode == "alone" else gate.shared():
        stamps.put(("acquired", time.time()))
        ready.set()
        time.sleep(seconds)
    stamps.put(("released", time.time()))


def _child(tmp_path, mode, seconds=1.0):
    context = multiprocessing.get_context("spawn")
    ready, stamps = context.Event(), context.Queue()
    process = context.Process(target=_hold, args=(tmp_path, mode, seconds, ready, stamps))
    process.start()
    return process, ready, stamps


def test_a_run_alone_cell_waits_for_the_cell_that_is_running(tmp_path):
    process, ready, stamps = _child(tmp_path, "shared")
    assert ready.wait(60)
    with CellGate(tmp_path).alone():
        entered = time.time()
    process.join(60)
    events = dict(stamps.get(timeout=5) for _ in range(2))
    assert entered >= events["released"] - 0.05  # not before the other cell ended


def test_no_cell_starts_while_a_run_alone_cell_runs(tmp_path):
    gate = CellGate(tmp_path)
    with gate.alone():
        process, ready, stamps = _child(tmp_path, "shared", seconds=0.0)
        assert not ready.wait(1.5)  # the ordinary cell is kept waiting
        left = time.time()
    process.join(60)
    acquired = dict(stamps.get(timeout=5) for _ in range(2))["acquired"]
    assert acquired >= left - 0.05


def test_ordinary_cells_run_side_by_side(tmp_path):
    process, ready, _ = _child(tmp_path, "shared", seconds=3.0)
    assert ready.wait(60)
    start = time.time()
    with CellGate(tmp_path).shared():
        waited = time.time() - start
    process.join(60)
    assert waited < 1.0


def test_the_tag_is_read_from_the_cell_metadata():
    class Item:
        def __init__(self, tags):
            self.cell = nbformat.v4.new_code_cell("x = 1")
            self.cell.metadata["tags"] = tags

    assert runs_alone(Item([TAG, "remove-stderr"]))
    assert not runs_alone(Item(["remove-stderr"]))
    assert not runs_alone(object())  # not an nbval cell


def _intervals(path):
    return [tuple(json.loads(line)) for line in path.read_text().splitlines()]


def _two_notebooks(tmp_path):
    """A notebook of short cells and one whose second cell is tagged run-alone; each cell
    appends (name, start, end) to a log file."""
    log = tmp_path / "log"
    record = ("import json, time\n"
              "def work(name, seconds):\n"
              "    start = time.time(); time.sleep(seconds)\n"
              f"    open({str(log)!r}, 'a').write(json.dumps([name, start, time.time()]) + '\\n')")
    _notebook(tmp_path, "01-busy.ipynb", [record] + ["work('busy', 0.4)"] * 12, budget=60)
    path = _notebook(tmp_path, "02-timing.ipynb",
                     [record, "work('before', 0.5)", "work('alone', 1.5)"], budget=50)
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[2].metadata["tags"] = [TAG]
    nbformat.write(notebook, path)
    return log


def _overlaps(log):
    intervals = _intervals(log)
    (alone_start, alone_end), = [(s, e) for name, s, e in intervals if name == "alone"]
    busy = [(s, e) for name, s, e in intervals if name == "busy"]
    assert min(s for s, _ in busy) < alone_start and max(e for _, e in busy) > alone_end, \
        "the busy notebook did not run across the timing cell: the test shows nothing"
    return [(s, e) for s, e in busy if s < alone_end and e > alone_start]


@pytest.mark.slow
def test_under_two_workers_the_run_alone_cell_overlaps_no_other_cell(tmp_path):
    log = _two_notebooks(tmp_path)
    result = _run_nbval(tmp_path, *TWO_WORKERS, "-p", "tests.nbalone")
    assert result.returncode == 0, result.stdout
    assert _overlaps(log) == []


@pytest.mark.slow
def test_without_the_gate_the_same_notebooks_overlap(tmp_path):
    log = _two_notebooks(tmp_path)
    result = _run_nbval(tmp_path, *TWO_WORKERS)
    assert result.returncode == 0, result.stdout
    assert _overlaps(log) != []
