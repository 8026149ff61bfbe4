"""The student copies: no solution text left, one answer cell per exercise, and they run."""

import json
import pathlib
import re
import sys

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from student_version import main, student_notebook  # noqa: E402

CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _text(cell):
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def _split_solutions(notebook):
    """(solution lines, every other line) of the Markdown, found by scanning lines (not with
    the tool's regular expression): a solution runs from ````{solution} to the next ````."""
    inside, solution, public = False, [], []
    for cell in notebook["cells"]:
        for line in _text(cell).splitlines():
            if line.startswith("````{solution}"):
                inside = True
            elif inside and line.strip() == "````":
                inside = False
            elif inside:
                solution.append(line.strip())
            else:
                public.append(line.strip())
    assert not inside
    return solution, set(public)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_student_copy_has_no_solution_and_an_answer_cell_per_exercise(path):
    chapter = _load(path)
    student = student_notebook(chapter)
    text = "\n".join(_text(c) for c in student["cells"])
    assert "{solution}" not in text
    solution, public = _split_solutions(chapter)
    # lines only the solutions contain (long enough to be recognisable)
    secret = [line for line in solution if len(line) > 25 and line not in public]
    assert secret, "every chapter has solutions"
    student_lines = {line.strip() for line in text.splitlines()}
    leaked = [line for line in secret if line in student_lines]
    assert not leaked, f"solution text left in the student copy: {leaked[:3]}"
    answers = [c for c in student["cells"] if _text(c).startswith("# Exercise ")]
    n_exercises = sum(_text(c).count("{exercise}") for c in chapter["cells"])
    assert len(answers) == n_exercises >= 4
    # every code cell of the chapter is still there, unchanged and in order
    original_code = [_text(c) for c in chapter["cells"] if c["cell_type"] == "code"]
    kept_code = [_text(c) for c in student["cells"]
                 if c["cell_type"] == "code" and c not in answers]
    assert kept_code == original_code
    # the exercise statements are kept
    labels = re.findall(r":label: (\S+)", "\n".join(_text(c) for c in chapter["cells"]))
    assert all(f":label: {label}" in text for label in labels)
    assert student["metadata"]["lstm_course"]["version"] == "student"
    assert "version" not in chapter["metadata"]["lstm_course"]  # the input is not changed


def _chapter_with(markdown):
    return {"cells": [{"cell_type": "markdown", "metadata": {}, "source": markdown}],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def test_an_exercise_without_solution_is_refused():
    with pytest.raises(ValueError, match=r"without a solution: \['ex-a'\]"):
        student_notebook(_chapter_with("```{exercise} A\n:label: ex-a\n\nDo it.\n```\n"))


def test_an_unclosed_solution_is_refused():
    text = ("```{exercise} A\n:label: ex-a\n\nDo it.\n```\n\n"
            "````{solution} ex-a\n:class: dropdown\n\nAnswer.\n")
    with pytest.raises(ValueError, match="not closed"):
        student_notebook(_chapter_with(text))


def test_not_a_notebook_is_refused():
    with pytest.raises(TypeError, match="notebook dict"):
        student_notebook(["cells"])


def test_command_writes_both_copies_and_the_student_copy_runs(tmp_path, monkeypatch):
    chapter = ROOT / "chapters" / "02-lstm-cell.ipynb"
    assert main(["--out", str(tmp_path), str(chapter)]) == 0
    assert _load(tmp_path / "instructor" / chapter.name) == _load(chapter)
    student = nbformat.read(tmp_path / "student" / chapter.name, as_version=4)
    monkeypatch.setenv("LSTM_COURSE_PROFILE", "smoke")
    client = NotebookClient(student, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT / "chapters")}})
    client.execute()  # raises CellExecutionError if any cell fails
    ran = [c for c in student.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in ran)
    assert sum(c.source.startswith("# Exercise ") for c in ran) == 4
