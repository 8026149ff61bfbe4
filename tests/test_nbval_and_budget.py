"""nbval and the budget plugin make a run fail for a broken or too slow notebook.

These start real Jupyter kernels (a few seconds each) on tiny notebooks in a temporary
directory, running pytest exactly as ``make nbval`` does.
"""

import os
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


def _run_nbval(tmp_path, reference=REFERENCE_SECONDS):
    """nbval as make nbval runs it; ``reference`` fixes the reference workload's seconds
    (the reference machine's by default, so budgets are seconds as declared)."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env",
         "-p", "tests.nbbudget", "-p", "no:cacheprovider", "--rootdir", str(tmp_path),
         str(tmp_path)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(cv.ROOT), "LSTM_COURSE_PROFILE": "book",
             "LSTM_COURSE_REFERENCE_SECONDS": str(reference)},
        capture_output=True,
        text=True,
        timeout=300,
    )


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
