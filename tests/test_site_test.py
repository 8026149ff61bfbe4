"""tools/site_test.py's checks of page contents, on rendered values (no browser needed)."""

import sys

from tests import conventions as cv

sys.path.insert(0, str(cv.ROOT / "tools"))
import site_test  # noqa: E402

PAGE = cv.ROOT / "reference" / "api.md"


def test_the_site_test_checks_every_module_of_the_api_page():
    modules = site_test.api_modules(PAGE.read_text())
    assert len(modules) == len(set(modules)) > 20
    assert all(name.startswith("lstm_course.") for name in modules)
    anchors = [f"module-{name}" for name in modules]
    members = [f"{name}.something" for name in modules]
    assert site_test.api_problems(modules, anchors, members) == []


def test_the_site_test_finds_a_missing_or_an_empty_module():
    modules = ["lstm_course.windows", "lstm_course.models"]
    # models' import failed in autodoc: its heading and anchor render, its members do not
    problems = site_test.api_problems(modules, ["module-lstm_course.windows",
                                                "module-lstm_course.models"],
                                      ["lstm_course.windows.WindowSpec"])
    assert problems == ["reference/api: module lstm_course.models shows no documented "
                        "function or class"]
    problems = site_test.api_problems(modules, ["module-lstm_course.windows"],
                                      ["lstm_course.windows.WindowSpec"])
    assert problems == ["reference/api: module lstm_course.models is not on the page"]
    # a member of lstm_course.windowsX must not count for lstm_course.windows
    assert site_test.api_problems(["lstm_course.windows"], ["module-lstm_course.windows"],
                                  ["lstm_course.windowsX.f"]) != []
    assert site_test.api_problems([], [], []) == [
        "reference/api: no automodule directive found in its source"]


def test_the_execution_report_must_list_every_notebook_as_executed():
    notebooks = ["chapters/01-a", "chapters/02-b", "reference/c"]
    ok = [(name, "\u2705") for name in notebooks]
    assert site_test.report_problems(ok, notebooks) == []
    assert site_test.report_problems(ok[:2], notebooks) == [
        "reference/execution-report: reference/c is not in the execution table"]
    failed = [*ok[:2], ("reference/c", "\u274c")]
    assert site_test.report_problems(failed, notebooks) == [
        "reference/execution-report: reference/c did not execute successfully ('\u274c')"]
