"""reference/api.md documents every public module of lstm_course, each once, in the book."""

import pathlib
import re
import sys

import lstm_course as lc
from tests import conventions as cv

PAGE = cv.ROOT / "reference" / "api.md"


def test_every_public_module_is_on_the_api_page_once():
    documented = re.findall(r"^\.\. automodule:: lstm_course\.(\w+)$", PAGE.read_text(),
                            re.MULTILINE)
    package = pathlib.Path(lc.__file__).parent
    modules = sorted([p.stem for p in package.glob("[!_]*.py")]
                     + [p.parent.name for p in package.glob("[!_]*/__init__.py")])  # data/
    assert sorted(documented) == modules
    assert "reference/api" in cv.toc_files(cv.ROOT)


def _site_test():
    sys.path.insert(0, str(cv.ROOT / "tools"))
    try:
        import site_test
    finally:
        sys.path.remove(str(cv.ROOT / "tools"))
    return site_test


def test_the_site_test_checks_every_module_of_the_api_page():
    site_test = _site_test()
    modules = site_test.api_modules(PAGE.read_text())
    assert len(modules) == len(set(modules)) > 20
    assert all(name.startswith("lstm_course.") for name in modules)
    anchors = [f"module-{name}" for name in modules]
    members = [f"{name}.something" for name in modules]
    assert site_test.api_problems(modules, anchors, members) == []


def test_the_site_test_finds_a_missing_or_an_empty_module():
    site_test = _site_test()
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
