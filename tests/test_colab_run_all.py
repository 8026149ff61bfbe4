"""tools/colab_run_all.ipynb: the maintainers' Colab run of every chapter, and its report."""

import ast
import json
import pathlib
import re

import nbformat
import pytest
from nbclient import NotebookClient

from tests import conventions as cv

RUN_ALL = cv.ROOT / "tools" / "colab_run_all.ipynb"
REPORT_PAGE = cv.ROOT / "reference" / "execution-report.md"


@pytest.mark.slow
def test_run_all_executes_the_selected_notebooks_and_writes_a_report(tmp_path, monkeypatch):
    monkeypatch.setenv("LSTM_COURSE_RUN_ALL_ONLY", "reference/data-sets.ipynb")
    monkeypatch.setenv("LSTM_COURSE_RUN_ALL_OUT", str(tmp_path))
    notebook = nbformat.read(RUN_ALL, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(RUN_ALL.parent)}}).execute()
    (report_file,) = tmp_path.glob("colab-run-*.json")
    report = json.loads(report_file.read_text())
    assert [row["notebook"] for row in report["rows"]] == ["reference/data-sets.ipynb"]
    assert report["rows"][0]["passed"] and report["rows"][0]["seconds"] > 0
    assert report["profile"] == "book" and set(report["versions"]) >= {"tensorflow", "keras"}


def test_the_gpu_table_code_it_takes_from_chapter_8_is_python_with_explicit_kernels():
    prose = "\n".join(c.source for c in nbformat.read(
        cv.ROOT / "chapters" / "08-gpu-and-speed.ipynb", as_version=4).cells
        if c.cell_type == "markdown")
    code = re.search(r"````\{solution\} ex-08-gpu\n.*?```python\n(.*?)```", prose,
                     re.DOTALL).group(1)
    ast.parse(code)
    assert '"jit_compile": False' in code and '"jit_compile": True' in code
    assert "gpu-throughput-" in code


def test_the_execution_report_lists_every_committed_colab_run():
    page = REPORT_PAGE.read_text()
    runs = sorted((cv.ROOT / "data" / "measurements").glob("colab-run-*.json"))
    if not runs:
        assert "not measured on a GPU yet" in page
    for run in runs:
        assert pathlib.Path(run).name in page, f"{run.name} is not in the execution report"
