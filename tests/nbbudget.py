"""pytest plugin: time every notebook that nbval runs and compare it with its budget.

Each notebook declares ``metadata.lstm_course.budget_seconds``: seconds in the book profile
on the course's **reference machine**, the 2-core machine on which the budgets were set.
Machines differ (two 2-core CI machines measured 2.5x apart), so before the notebooks run
the plugin times a fixed **reference workload** (a small Keras LSTM fit, a few seconds, in
a fresh process with this run's settings) and expresses every time in units of it. A
notebook's budget in units is its budget in seconds divided by ``REFERENCE_SECONDS``, the
workload's time on the reference machine. So a slower machine gets proportionally more
seconds and a faster one fewer: the budgets mean the same amount of work everywhere.

The plugin sums the setup, call and teardown time of a notebook's cells (kernel start
included), prints the table (seconds, units, budget, share) with the machine's CPU and the
reference time, then the slowest cells of the run (where the time goes; ``--cell-times FILE``
writes every cell's time), and fails the run
only when a notebook takes more than ``HARD_CAP_FACTOR`` times its budget in units (or the
whole book more than that factor times ``BOOK_BUDGET_SECONDS`` in units), so that machine
noise cannot turn CI red while a real regression does. ``LSTM_COURSE_REFERENCE_SECONDS``
replaces the measurement (tests).

Under pytest-xdist (``make nbval`` runs two notebooks at a time, one per worker) the table is
the controller's: it receives every cell's report. The workers order the notebooks by budget,
largest first, so that the two workers finish together, and the reference workload runs as
many copies at once as there are workers, in the notebooks' environment, so that its time
is measured under the same sharing of the machine as theirs.
"""

from __future__ import annotations

import json
import os
import pathlib
import platform
import subprocess
import sys
from collections import defaultdict

import pytest

HARD_CAP_FACTOR = 2.0
BOOK_BUDGET_SECONDS = 25 * 60
PROFILE_ENV = "LSTM_COURSE_PROFILE"
REFERENCE_ENV = "LSTM_COURSE_REFERENCE_SECONDS"
# The reference workload's seconds on the reference machine, the one the budgets were set on
# (reference/robustness.md, helper hash 286cfb2c11fc). Calibrated 2026-12-01 on a 2-core
# AMD EPYC: there the workload took 1.18, 1.24 and 1.27 s (fastest of three repeats, three
# runs), and chapters 7, 10 and 15 (default) and 7 (oneDNN off) took 1.74 to 2.0 times
# (median 1.86) their seconds in that table. 1.23 s / 1.86 = 0.66 s.
REFERENCE_SECONDS = 0.66
REFERENCE_PROGRAM = """
import sys, time
import keras, numpy as np
keras.utils.set_random_seed(0)
x = np.random.default_rng(0).standard_normal((4096, 50, 8)).astype("float32")
y = x[:, -1, :1].copy()
model = keras.Sequential([keras.Input((50, 8)), keras.layers.LSTM(32), keras.layers.Dense(1)])
model.compile(keras.optimizers.Adam(1e-3), loss="mse")
model.fit(x, y, batch_size=64, epochs=1, verbose=0)  # tracing and warm-up, not timed
times = []
for _ in range(int(sys.argv[1])):
    start = time.perf_counter()
    model.fit(x, y, batch_size=64, epochs=2, verbose=0)
    times.append(time.perf_counter() - start)
print(min(times))  # a background process can only slow a repeat down
"""


def measure_reference(repeats: int = 3, python: str | None = None,
                      env: dict[str, str] | None = None, copies: int = 1) -> float:
    """Seconds of the reference workload on this machine (fastest of ``repeats``).

    Runs in ``copies`` fresh processes at once (as many as notebooks run at once) of
    ``python`` (default: this one) with ``env`` (default: this process's environment), so
    the settings of the run (oneDNN off, threads, the stack) apply to it as to the
    notebooks; returns the mean over the copies.
    """
    if isinstance(copies, bool) or not isinstance(copies, int) or copies < 1:
        raise ValueError(f"copies={copies!r}: expected a positive int (processes at once)")
    env = {**(os.environ if env is None else env), "TF_CPP_MIN_LOG_LEVEL": "2"}
    command = [python or sys.executable, "-c", REFERENCE_PROGRAM, str(repeats)]
    processes = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(copies)]
    times = []
    for process in processes:
        out, err = process.communicate(timeout=600)
        if process.returncode != 0:
            raise RuntimeError(f"the reference workload failed (exit {process.returncode}):\n"
                               f"{err[-2000:]}")
        times.append(float(out.strip().splitlines()[-1]))
    return sum(times) / len(times)


def reference_seconds(copies: int = 1) -> float:
    """``LSTM_COURSE_REFERENCE_SECONDS`` when set (a positive number), else a measurement
    with ``copies`` processes at once."""
    raw = os.environ.get(REFERENCE_ENV, "").strip()
    if not raw:
        return measure_reference(copies=copies)
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise ValueError(f"{REFERENCE_ENV}={raw!r}: expected a positive number of seconds")
    return value


def cpu_model() -> str:
    """The CPU's model name and core count, for the table's header."""
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return f"{line.split(':', 1)[1].strip()}, {os.cpu_count()} cores"
    except OSError:
        pass
    return f"{platform.processor() or 'unknown CPU'}, {os.cpu_count()} cores"


def read_budget(path: pathlib.Path) -> float | None:
    """Return the notebook's declared budget in seconds, or None when it declares none."""
    meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
    budget = meta.get("lstm_course", {}).get("budget_seconds")
    if isinstance(budget, bool) or not isinstance(budget, (int, float)) or budget <= 0:
        return None
    return float(budget)


SLOWEST_CELLS = 15  # how many of the slowest cells the summary lists


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--cell-times", metavar="FILE", default=None,
                     help="write every notebook cell's seconds (setup, call and teardown) to "
                          "FILE as a Markdown table, slowest notebook first")


def cell_times_table(cell_seconds: dict[str, float]) -> str:
    """Markdown table of every cell's seconds: notebooks slowest first, cells in order."""
    by_notebook: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for nodeid, seconds in cell_seconds.items():
        path, _, cell = nodeid.partition("::")
        by_notebook[path].append((cell, seconds))
    lines = ["| notebook | cell | seconds | share of the notebook |", "|---|---|---|---|"]
    for path in sorted(by_notebook, key=lambda p: -sum(s for _, s in by_notebook[p])):
        total = sum(s for _, s in by_notebook[path])
        for cell, seconds in by_notebook[path]:
            lines.append(f"| `{path}` | {cell} | {seconds:.1f} | {seconds / total:.0%} |")
    return "\n".join(lines) + "\n"


class NotebookBudget:
    """The controller's side: times, budgets, the table and the slowest cells."""

    def __init__(self, rootpath: pathlib.Path, workers: int = 1,
                 cell_times: pathlib.Path | None = None):
        self.rootpath = rootpath
        self.cell_times = cell_times  # where to write every cell's time, if anywhere
        self.workers = workers  # notebooks run at once (pytest-xdist workers)
        self.seconds: dict[str, float] = defaultdict(float)
        self.cell_seconds: dict[str, float] = defaultdict(float)  # node id -> seconds
        self.rows: list[tuple[str, float, float | None]] = []  # (path, seconds, budget)
        self.problems: list[str] = []
        self.reference: float | None = None  # seconds of the reference workload here

    @property
    def scale(self) -> float:
        """How many seconds here one second of the reference machine is."""
        return self.reference / REFERENCE_SECONDS

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        path = report.nodeid.split("::", 1)[0]
        if path.endswith(".ipynb"):
            self.seconds[path] += report.duration
            self.cell_seconds[report.nodeid] += report.duration

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if not self.seconds:
            return
        # After the notebooks, with as many copies at once as ran at once: the same sharing.
        self.reference = reference_seconds(copies=self.workers)
        if self.cell_times is not None:
            self.cell_times.parent.mkdir(parents=True, exist_ok=True)
            self.cell_times.write_text(cell_times_table(self.cell_seconds), encoding="utf-8")
        enforce = os.environ.get(PROFILE_ENV, "book") != "full"
        self.rows = [
            (path, self.seconds[path], read_budget(self.rootpath / path))
            for path in sorted(self.seconds)
        ]
        for path, seconds, budget in self.rows:
            if budget is None:
                self.problems.append(f"{path}: no metadata.lstm_course.budget_seconds declared")
            elif enforce and seconds > HARD_CAP_FACTOR * budget * self.scale:
                self.problems.append(
                    f"{path}: took {seconds:.1f} s = {seconds / self.reference:.1f} units, past "
                    f"the hard cap of {HARD_CAP_FACTOR:g} x its budget of "
                    f"{budget / REFERENCE_SECONDS:.1f} units ({budget:g} s on the reference "
                    f"machine, {budget * self.scale:.0f} s here)"
                )
        total = sum(self.seconds.values())
        if enforce and total > HARD_CAP_FACTOR * BOOK_BUDGET_SECONDS * self.scale:
            self.problems.append(
                f"whole book took {total:.1f} s, past {HARD_CAP_FACTOR:g} x "
                f"{BOOK_BUDGET_SECONDS} s on the reference machine "
                f"({BOOK_BUDGET_SECONDS * self.scale:.0f} s here)"
            )
        if self.problems and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if not self.seconds:
            return
        tr = terminalreporter
        profile = os.environ.get(PROFILE_ENV, "book")
        tr.section(f"notebook time budgets (profile {profile}, hard cap {HARD_CAP_FACTOR:g}x)")
        at_once = (f" ({self.workers} copies at once, as the notebooks ran)"
                   if self.workers > 1 else "")
        tr.write_line(f"machine: {cpu_model()}; reference workload {self.reference:.2f} s "
                      f"here{at_once}, {REFERENCE_SECONDS:.2f} s on the reference machine: one "
                      f"budget second is {self.scale:.2f} s here")
        width = max(len(p) for p in self.seconds)
        tr.write_line(f"{'notebook':<{width}}  {'seconds':>8}  {'units':>6}  {'budget':>6}  "
                      f"{'used':>6}  status")
        for path, seconds, budget in self.rows:
            units = seconds / self.reference
            if budget is None:
                tr.write_line(f"{path:<{width}}  {seconds:8.1f}  {units:6.1f}  {'-':>6}  "
                              f"{'-':>6}  NO BUDGET")
                continue
            ratio = seconds / (budget * self.scale)
            status = "ok" if ratio <= 1 else ("over" if ratio <= HARD_CAP_FACTOR else "FAIL")
            tr.write_line(f"{path:<{width}}  {seconds:8.1f}  {units:6.1f}  "
                          f"{budget / REFERENCE_SECONDS:6.1f}  {ratio:6.0%}  {status}")
        total = sum(self.seconds.values())
        tr.write_line(
            f"{'total':<{width}}  {total:8.1f}  {total / self.reference:6.1f}  "
            f"{BOOK_BUDGET_SECONDS / REFERENCE_SECONDS:6.1f}  "
            f"{total / (BOOK_BUDGET_SECONDS * self.scale):6.0%}"
        )
        slowest = sorted(self.cell_seconds.items(), key=lambda kv: -kv[1])[:SLOWEST_CELLS]
        tr.write_line(f"slowest cells (seconds, share of the {total:.0f} s):")
        for nodeid, seconds in slowest:
            tr.write_line(f"  {seconds:7.1f}  {seconds / total:5.1%}  {nodeid}")
        for problem in self.problems:
            tr.write_line(f"BUDGET FAILURE: {problem}", red=True, bold=True)


class LargestBudgetFirst:
    """A pytest-xdist worker's side: collect the notebooks in order of budget, largest
    first (cells keep their order), so that the scheduler hands out the long ones first and
    the workers finish together. Every worker sorts the same way, as xdist requires."""

    def __init__(self, rootpath: pathlib.Path):
        self.rootpath = rootpath

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        budgets: dict[str, float] = {}
        for item in items:
            path = item.nodeid.split("::", 1)[0]
            if path not in budgets:
                budget = read_budget(self.rootpath / path) if path.endswith(".ipynb") else None
                budgets[path] = budget or 0.0
        order = {item.nodeid: index for index, item in enumerate(items)}
        items.sort(key=lambda item: (-budgets[item.nodeid.split("::", 1)[0]],
                                     order[item.nodeid]))


def workers(config: pytest.Config) -> int:
    """How many pytest-xdist workers run the tests (1 without xdist)."""
    count = getattr(config.option, "numprocesses", None)
    return count if isinstance(count, int) and count > 1 else 1


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):  # a pytest-xdist worker: the controller keeps the table
        config.pluginmanager.register(LargestBudgetFirst(config.rootpath),
                                      "lstm-course-largest-budget-first")
    else:
        cell_times = config.getoption("--cell-times")
        config.pluginmanager.register(
            NotebookBudget(config.rootpath, workers(config),
                           pathlib.Path(cell_times).resolve() if cell_times else None),
            "lstm-course-nbbudget")
