"""nbval and the budget plugin make a run fail for a broken or too slow notebook.

These start real Jupyter kernels (a few seconds each) on tiny notebooks in a temporary
directory, running pytest exactly as ``make nbval`` does.
"""

import os
import pathlib
import shutil
import subprocess
import sys

import nbformat
import pytest

from tests import conventions as cv
from tests import nbbudget
from tests.nbbudget import HARD_CAP_FACTOR, REFERENCE_SECONDS

pytestmark = pytest.mark.slow  # real kernels / a simulated Colab


def _notebook(tmp_path, name, sources, budget=30):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["lstm_course"] = {"budget_seconds": budget}
    nb.cells = [nbformat.v4.new_code_cell(src) for src in sources]
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def _run_nbval(tmp_path, *extra, reference=REFERENCE_SECONDS):
    """nbval with the course's plugins; ``extra`` pytest arguments (e.g. the two workers of
    ``make nbval``); ``reference`` fixes the reference workload's seconds (the reference
    machine's by default, so budgets are seconds as declared)."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env",
         "-p", "tests.nbbudget", "-p", "tests.nbexecuted", "-p", "tests.nbkernel",
         "-p", "no:cacheprovider",
         "--rootdir", str(tmp_path), *extra, str(tmp_path)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(cv.ROOT), "LSTM_COURSE_PROFILE": "book",
             "LSTM_COURSE_REFERENCE_SECONDS": str(reference)},
        capture_output=True,
        text=True,
        timeout=300,
    )


TWO_WORKERS = ("-n", "2", "--dist", "loadfile", "--no-loadscope-reorder")  # as make nbval


def test_passing_notebook_passes_and_is_timed(tmp_path):
    _notebook(tmp_path, "01-ok.ipynb", ["x = 1 + 1", "assert x == 2"])
    result = _run_nbval(tmp_path)
    assert result.returncode == 0, result.stdout
    assert "notebook time budgets" in result.stdout
    assert "01-ok.ipynb" in result.stdout and "ok" in result.stdout


def test_notebook_with_an_error_fails_the_run(tmp_path):
    _notebook(tmp_path, "01-broken.ipynb", ["x = 1", "assert x == 2, 'result regressed'"])
    result = _run_nbval(tmp_path)
    assert result.returncode != 0
    assert "result regressed" in result.stdout


def test_notebook_past_the_hard_cap_fails_the_run(tmp_path):
    budget = 0.5
    sleep = budget * HARD_CAP_FACTOR + 1
    _notebook(tmp_path, "01-slow.ipynb", [f"import time; time.sleep({sleep})"], budget=budget)
    result = _run_nbval(tmp_path)
    assert result.returncode != 0, result.stdout
    assert "BUDGET FAILURE" in result.stdout and "hard cap" in result.stdout


def test_notebook_over_budget_but_under_the_cap_only_warns(tmp_path):
    # 6 s of work plus kernel start-up against a 5 s budget: over, but far below the 10 s cap.
    _notebook(tmp_path, "01-over.ipynb", ["import time; time.sleep(6)"], budget=5)
    result = _run_nbval(tmp_path)
    assert result.returncode == 0, result.stdout
    assert " over" in result.stdout


def test_notebook_without_budget_fails_the_run(tmp_path):
    path = _notebook(tmp_path, "01-nobudget.ipynb", ["pass"])
    nb = nbformat.read(path, as_version=4)
    del nb.metadata["lstm_course"]
    nbformat.write(nb, path)
    result = _run_nbval(tmp_path)
    assert result.returncode != 0
    assert "no metadata.lstm_course.budget_seconds" in result.stdout


def test_an_expected_error_needs_the_raises_exception_tag(tmp_path):
    path = _notebook(tmp_path, "01-expected.ipynb", ["raise RuntimeError('boom')"])
    assert _run_nbval(tmp_path).returncode != 0
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].metadata["tags"] = ["raises-exception"]
    nbformat.write(nb, path)
    assert _run_nbval(tmp_path).returncode == 0


def test_a_slower_machine_gets_proportionally_more_seconds(tmp_path):
    # Past the cap on the reference machine; on a machine whose reference workload takes
    # three times as long, the same seconds are a third of the units: within the cap.
    budget = 2.0
    sleep = budget * HARD_CAP_FACTOR + 1  # 5 s: past the 4 s cap, far below 3 x 4 s
    _notebook(tmp_path, "01-slow.ipynb", [f"import time; time.sleep({sleep})"], budget=budget)
    assert _run_nbval(tmp_path).returncode != 0
    result = _run_nbval(tmp_path, reference=3 * REFERENCE_SECONDS)
    assert result.returncode == 0, result.stdout
    assert "one budget second is 3.00 s here" in result.stdout
    assert "units" in result.stdout and "reference workload" in result.stdout


def test_the_reference_workload_is_measured_and_a_bad_override_is_refused(monkeypatch):
    monkeypatch.delenv(nbbudget.REFERENCE_ENV, raising=False)
    seconds = nbbudget.reference_seconds()  # a real measurement: a small Keras LSTM fit
    assert 0 < seconds < 120
    monkeypatch.setenv(nbbudget.REFERENCE_ENV, "fast")
    with pytest.raises(ValueError, match="positive number of seconds"):
        nbbudget.reference_seconds()
    monkeypatch.setenv(nbbudget.REFERENCE_ENV, "2.5")
    assert nbbudget.reference_seconds() == 2.5


def test_two_workers_give_one_table_and_start_the_largest_budget_first(tmp_path):
    # Each notebook appends its name to a log when it starts: the two largest budgets start
    # first, one on each worker (in collection order the smallest would be among them).
    log = tmp_path / "order.log"
    for name, budget in [("01-small.ipynb", 5), ("02-large.ipynb", 40), ("03-mid.ipynb", 20)]:
        _notebook(tmp_path, name, [f"open({str(log)!r}, 'a').write({name!r} + '\\n')",
                                   "import time; time.sleep(1)"], budget=budget)
    result = _run_nbval(tmp_path, *TWO_WORKERS, "--cell-times", str(tmp_path / "cells.md"))
    assert result.returncode == 0, result.stdout
    assert result.stdout.count("notebook time budgets") == 1
    rows = (tmp_path / "cells.md").read_text().splitlines()[2:]
    assert len(rows) == 6 and all(row.count("|") == 5 for row in rows)  # 3 notebooks x 2 cells
    assert "2 copies at once" in result.stdout and "slowest cells" in result.stdout
    started = log.read_text().split()
    assert set(started[:2]) == {"02-large.ipynb", "03-mid.ipynb"}
    assert started[2:] == ["01-small.ipynb"]


def test_executed_notebooks_are_stored_for_the_website_and_failures_are_not(tmp_path):
    from jupyter_cache import get_cache

    good = _notebook(tmp_path, "01-good.ipynb", ["print('hello from the run')", "x = 6 * 7",
                                                 "x"])
    bad = _notebook(tmp_path, "02-bad.ipynb", ["print('partial')", "assert False, 'broken'"])
    cache_dir = tmp_path / "cache"
    result = _run_nbval(tmp_path, *TWO_WORKERS, "--executed-cache", str(cache_dir))
    assert result.returncode != 0  # the broken notebook fails the run
    cache = get_cache(str(cache_dir))
    record = cache.match_cache_notebook(nbformat.read(good, as_version=4))
    executed = cache.get_cache_bundle(record.pk).nb
    outputs = [cell.outputs for cell in executed.cells]
    assert outputs[0][0]["text"] == "hello from the run\n"
    assert outputs[2][0]["data"]["text/plain"] == "42"
    assert [cell.execution_count for cell in executed.cells] == [1, 2, 3]
    assert record.data["execution_seconds"] > 0
    with pytest.raises(KeyError):  # a notebook that failed is not shown as executed
        cache.match_cache_notebook(nbformat.read(bad, as_version=4))


def test_the_executed_copy_numbers_the_cells_that_ran_and_refuses_a_markdown_index():
    from tests.nbexecuted import executed_notebook

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# title"), nbformat.v4.new_code_cell("1"),
                nbformat.v4.new_code_cell("skipped"), nbformat.v4.new_code_cell("2")]
    result = nbformat.v4.new_output("execute_result", {"text/plain": "1"}, execution_count=9)
    executed = executed_notebook(nb, [(1, [result]), (3, [])])
    assert [c.get("execution_count") for c in executed.cells] == [None, 1, None, 2]
    assert executed.cells[1].outputs[0]["execution_count"] == 1
    assert nb.cells[1].outputs == []  # the original is left alone
    with pytest.raises(ValueError, match="markdown cell"):
        executed_notebook(nb, [(0, [])])


def test_the_book_shows_the_tested_run_and_fails_on_a_notebook_that_errors(tmp_path):
    """The repository's _config.yml with make's cache path: `make book` after `make nbval`
    shows nbval's execution of a notebook (it does not run it again), and a notebook that
    raises when the build executes it fails the build."""
    book = tmp_path / "book"
    book.mkdir()
    for name in ("_config.yml", "references.bib"):
        (book / name).write_text((cv.ROOT / name).read_text())
    shutil.copytree(cv.ROOT / "_ext", book / "_ext",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (book / "intro.md").write_text("# Intro\n")
    _notebook(book, "ran.ipynb", ["import os\nprint('executed by', os.environ['WHO'])"])
    (book / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n- file: ran\n")
    cache = book / "_build" / ".jupyter_cache"  # where jupyter-book reads it (as make book)
    env = {**os.environ, "WHO": "nbval"}
    stored = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-p",
         "tests.nbexecuted", "-p", "no:cacheprovider", "--rootdir", str(book),
         "--executed-cache", str(cache), str(book / "ran.ipynb")],
        cwd=book, env={**env, "PYTHONPATH": str(cv.ROOT)}, capture_output=True, text=True,
        timeout=300)
    assert stored.returncode == 0, stored.stdout[-2000:]

    def build():
        jupyter_book = pathlib.Path(sys.executable).with_name("jupyter-book")  # make book's
        return subprocess.run([str(jupyter_book), "build", str(book)],
                              cwd=book, env={**env, "WHO": "the book build"},
                              capture_output=True, text=True, timeout=300)

    built = build()
    assert built.returncode == 0, built.stdout[-3000:]
    page = (book / "_build" / "html" / "ran.html").read_text()
    assert "executed by nbval" in page and "executed by the book build" not in page
    _notebook(book, "raises.ipynb", ["raise RuntimeError('this chapter is broken')"])
    (book / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n- file: ran\n"
                                   "- file: raises\n")
    broken = build()
    assert broken.returncode != 0
    assert "this chapter is broken" in broken.stdout + broken.stderr
