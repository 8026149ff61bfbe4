"""pytest plugin: time every notebook that nbval runs and compare it with its budget.

Each notebook declares ``metadata.lstm_course.budget_seconds`` (book profile, 2-core CI
machine). The plugin sums the setup, call and teardown time of a notebook's cells (kernel
start included), prints a table of measured time against budget at the end of the run,
and fails the run only when a notebook takes more than ``HARD_CAP_FACTOR`` times its
budget (or the whole book more than that factor times ``BOOK_BUDGET_SECONDS``), so that
machine noise cannot turn CI red while a real regression does.
"""

from __future__ import annotations

import json
import os
import pathlib
from collections import defaultdict

import pytest

HARD_CAP_FACTOR = 2.0
BOOK_BUDGET_SECONDS = 25 * 60
PROFILE_ENV = "LSTM_COURSE_PROFILE"


def read_budget(path: pathlib.Path) -> float | None:
    """Return the notebook's declared budget in seconds, or None when it declares none."""
    meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
    budget = meta.get("lstm_course", {}).get("budget_seconds")
    if isinstance(budget, bool) or not isinstance(budget, (int, float)) or budget <= 0:
        return None
    return float(budget)


class NotebookBudget:
    def __init__(self, rootpath: pathlib.Path):
        self.rootpath = rootpath
        self.seconds: dict[str, float] = defaultdict(float)
        self.rows: list[tuple[str, float, float | None]] = []  # (path, seconds, budget)
        self.problems: list[str] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        path = report.nodeid.split("::", 1)[0]
        if path.endswith(".ipynb"):
            self.seconds[path] += report.duration

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if not self.seconds:
            return
        enforce = os.environ.get(PROFILE_ENV, "book") != "full"
        self.rows = [
            (path, self.seconds[path], read_budget(self.rootpath / path))
            for path in sorted(self.seconds)
        ]
        for path, seconds, budget in self.rows:
            if budget is None:
                self.problems.append(f"{path}: no metadata.lstm_course.budget_seconds declared")
            elif enforce and seconds > HARD_CAP_FACTOR * budget:
                self.problems.append(
                    f"{path}: took {seconds:.1f} s, past the hard cap of "
                    f"{HARD_CAP_FACTOR:g} x its {budget:g} s budget"
                )
        total = sum(self.seconds.values())
        if enforce and total > HARD_CAP_FACTOR * BOOK_BUDGET_SECONDS:
            self.problems.append(
                f"whole book took {total:.1f} s, past {HARD_CAP_FACTOR:g} x "
                f"{BOOK_BUDGET_SECONDS} s"
            )
        if self.problems and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if not self.seconds:
            return
        tr = terminalreporter
        profile = os.environ.get(PROFILE_ENV, "book")
        tr.section(f"notebook time budgets (profile {profile}, hard cap {HARD_CAP_FACTOR:g}x)")
        width = max(len(p) for p in self.seconds)
        tr.write_line(f"{'notebook':<{width}}  {'seconds':>8}  {'budget':>7}  {'used':>6}  status")
        for path, seconds, budget in self.rows:
            if budget is None:
                tr.write_line(f"{path:<{width}}  {seconds:8.1f}  {'-':>7}  {'-':>6}  NO BUDGET")
                continue
            ratio = seconds / budget
            status = "ok" if ratio <= 1 else ("over" if ratio <= HARD_CAP_FACTOR else "FAIL")
            tr.write_line(
                f"{path:<{width}}  {seconds:8.1f}  {budget:7.0f}  {ratio:6.0%}  {status}"
            )
        total = sum(self.seconds.values())
        tr.write_line(
            f"{'total':<{width}}  {total:8.1f}  {BOOK_BUDGET_SECONDS:7.0f}  "
            f"{total / BOOK_BUDGET_SECONDS:6.0%}"
        )
        for problem in self.problems:
            tr.write_line(f"BUDGET FAILURE: {problem}", red=True, bold=True)


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(NotebookBudget(config.rootpath), "lstm-course-nbbudget")
