"""The perturbation harness (tools/robustness.py): configurations reach the notebook, failures
are reported with their cell and error, stale results are not reported, runs hold the cores."""

import json
import pathlib
import sys
import threading
import time

import nbformat
import pytest

from tests import conventions as cv

sys.path.insert(0, str(cv.ROOT / "tools"))
import robustness as rb  # noqa: E402


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A tiny project: helpers, one passing and one failing notebook, results in tmp."""
    for folder in ("chapters", "reference", "utils", "data", "requirements"):
        (tmp_path / folder).mkdir()
    (tmp_path / "utils" / "helper.py").write_text("X = 1\n")
    monkeypatch.setattr(rb, "ROOT", tmp_path)
    monkeypatch.setattr(rb, "STATE", tmp_path / "_build" / "robustness")
    monkeypatch.setattr(rb, "RESULTS", tmp_path / "_build" / "robustness" / "results")
    monkeypatch.setenv("LSTM_COURSE_REFERENCE_SECONDS", "1.0")  # no reference measurement

    def notebook(name, *sources):
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
        path = tmp_path / "chapters" / name
        nbformat.write(nb, path)
        return path

    return tmp_path, notebook


@pytest.mark.slow
def test_configurations_reach_the_notebook_and_failures_name_cell_and_error(project):
    root, notebook = project
    passing = notebook("01-offset.ipynb", "import os",
                       "assert os.environ['LSTM_COURSE_SEED_OFFSET'] == '2'")
    failing = notebook("02-onednn.ipynb", "import os",
                       "value = os.environ.get('TF_ENABLE_ONEDNN_OPTS')",
                       "assert value == '1', f'oneDNN setting {value}'")
    helpers = rb.helpers_hash()
    ok = rb.run_one(rb.CONFIGS["seed+2"], passing, helpers)
    assert ok["passed"] and ok["error"] is None and ok["seconds"] > 0
    bad = rb.run_one(rb.CONFIGS["oneDNN off, seed+1"], failing, helpers)
    assert not bad["passed"]
    assert bad["cell"].endswith("Cell 2") and "AssertionError: oneDNN setting 0" in bad["error"]
    stored = json.loads(rb.result_path("oneDNN off, seed+1", failing).read_text())
    assert stored == bad


@pytest.mark.slow
def test_the_default_configuration_clears_perturbations_set_outside(project, monkeypatch):
    root, notebook = project
    monkeypatch.setenv("LSTM_COURSE_SEED_OFFSET", "5")
    nb = notebook("01-clean.ipynb", "import os",
                  "assert 'LSTM_COURSE_SEED_OFFSET' not in os.environ")
    assert rb.run_one(rb.CONFIGS["default"], nb, rb.helpers_hash())["passed"]


def _fake_result(notebook, config, passed, helpers, error=None):
    result = {"notebook": notebook.name, "config": config, "passed": passed,
              "cell": None if passed else "Cell 3", "error": error, "seconds": 12.0,
              "code_sha256": rb.code_hash(notebook), "helpers_sha256": helpers,
              "finished": "2026-11-30T00:00:00+00:00"}
    path = rb.result_path(config, notebook)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result))


def test_table_reports_only_results_of_the_current_files(project):
    root, notebook = project
    first = notebook("01-a.ipynb", "x = 1")
    second = notebook("02-b.ipynb", "y = 2")
    helpers = rb.helpers_hash()
    for config in rb.CONFIGS:
        _fake_result(first, config, True, helpers)
        _fake_result(second, config, config != "1 thread", helpers,
                     error="AssertionError: margin 0.01 | too small")
    out = root / "table.md"
    assert rb.write_table(out) == (1, 0)
    text = out.read_text()
    assert "| `chapters/01-a.ipynb` | pass, 12 s |" in text
    assert "**FAIL** Cell 3: `AssertionError: margin 0.01 \\| too small`" in text
    assert "| **total** |" in text and "24 s" in text

    changed = nbformat.read(second, as_version=4)
    changed.cells.append(nbformat.v4.new_markdown_cell("A prose fix."))
    nbformat.write(changed, second)  # prose only: the results still describe this code
    assert rb.write_table(out) == (1, 0)
    changed.cells[0].metadata["tags"] = ["raises-exception"]
    nbformat.write(changed, second)  # a tag changes what nbval checks: results stale
    assert rb.write_table(out) == (0, len(rb.CONFIGS))
    nbformat.write(nbformat.v4.new_notebook(), second)  # the code changed: results stale
    assert rb.write_table(out) == (0, len(rb.CONFIGS))
    assert "not run" in out.read_text() and "incomplete" in out.read_text()
    _fake_result(second, "default", True, helpers)
    (root / "utils" / "helper.py").write_text("X = 2\n")  # a helper changed: all stale
    assert rb.write_table(out) == (0, 2 * len(rb.CONFIGS))


def test_run_skips_fresh_results_and_reruns_stale_ones(project, monkeypatch):
    root, notebook = project
    nb = notebook("01-a.ipynb", "x = 1")
    ran = []
    monkeypatch.setattr(rb, "run_one", lambda config, path, helpers: ran.append(config.name)
                        or {"passed": True, "seconds": 1.0, "cell": None, "error": None})
    _fake_result(nb, "default", True, rb.helpers_hash())
    args = rb.argparse.Namespace(configs=["default", "seed+1"], notebooks=None, force=False,
                                 jobs=1, table=None, colab_table=None)
    assert rb.command_run(args) == 0
    assert ran == ["seed+1"]


def test_unknown_configuration_or_notebook_is_refused(project):
    with pytest.raises(SystemExit, match="unknown configuration"):
        rb.select_configs(["seed+9"])
    with pytest.raises(SystemExit, match="no notebook matches"):
        rb.select_notebooks(["chapters/99-none.ipynb"])


def test_a_two_core_run_excludes_one_core_runs_until_it_ends(project):
    events = []
    started = threading.Event()

    def long_run():
        with rb.core_lock(2):
            started.set()
            time.sleep(1.0)
            events.append("two-core done")

    thread = threading.Thread(target=long_run)
    thread.start()
    started.wait()
    with rb.core_lock(1):
        events.append("one-core started")
    thread.join()
    assert events == ["two-core done", "one-core started"]


def test_two_one_core_runs_share_the_machine(project):
    with rb.core_lock(1):
        done = threading.Event()

        def second():
            with rb.core_lock(1):
                done.set()

        thread = threading.Thread(target=second)
        thread.start()
        assert done.wait(5.0), "the second one-core run waited although a slot was free"
        thread.join()


def test_robustness_page_is_in_the_book():
    assert "reference/robustness" in cv.toc_files(cv.ROOT)
    page = (cv.ROOT / "reference" / "robustness.md").read_text()
    for config in rb.CONFIGS:
        assert f"| {config} |" in page
    assert "make robustness" in page
    report = (cv.ROOT / "reference" / "execution-report.md").read_text()
    assert "robustness" in report
    assert pathlib.Path(rb.__file__).name == "robustness.py"


def test_pins_of_another_stack_do_not_stale_results(project):
    root, _ = project
    before, colab_before = rb.helpers_hash(), rb.helpers_hash(rb.COLAB_STACK)
    (root / "requirements" / "colab.txt").write_text("tensorflow==2.20.0\n")
    assert rb.helpers_hash() == before  # Colab's versions: not what the harness runs on
    assert rb.helpers_hash(rb.COLAB_STACK) != colab_before  # but what the Colab stack runs on
    colab_before = rb.helpers_hash(rb.COLAB_STACK)
    (root / "requirements" / "course.txt").write_text("tensorflow==2.21.0\n")
    assert rb.helpers_hash() != before
    assert rb.helpers_hash(rb.COLAB_STACK) == colab_before
    (root / "utils" / "helper.py").write_text("X = 3\n")  # helpers: both stacks run them
    assert rb.helpers_hash(rb.COLAB_STACK) != colab_before


@pytest.mark.slow
def test_the_colab_stack_runs_its_own_python_with_the_helpers_on_the_path(project):
    root, notebook = project
    nb = notebook("01-a.ipynb", "import os, sys\n"
                  f"assert os.environ['PYTHONPATH'] == {str(root / 'utils')!r}\n"
                  "assert os.environ['LSTM_COURSE_PROFILE'] == 'book'")
    with pytest.raises(SystemExit, match="make colab-venv"):
        rb.interpreter(rb.COLAB_STACK)
    python = root / rb.COLAB_STACK.python
    python.parent.mkdir(parents=True)
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')  # for .venv-colab's python
    python.chmod(0o755)
    result = rb.run_one(rb.COLAB_STACK, nb, rb.helpers_hash(rb.COLAB_STACK))
    assert result["passed"], result
    assert rb.select_configs(None) == list(rb.CONFIGS.values())  # not part of make robustness
    out = root / "colab.md"
    assert rb.write_colab_table(out) == (0, 0)
    page = out.read_text()
    assert "| `chapters/01-a.ipynb` | pass, " in page and "make colab-stack" in page


def test_colab_stack_page_is_in_the_book():
    assert "reference/colab-stack" in cv.toc_files(cv.ROOT)
    page = (cv.ROOT / "reference" / "colab-stack.md").read_text()
    assert "| notebook | Colab stack |" in page and "**FAIL**" not in page
    assert "not run" not in page and "incomplete" not in page
