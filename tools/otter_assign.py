"""Otter-Grader assignments of the chapters: an Otter Assign master notebook per chapter.

    python tools/otter_assign.py [--out DIR] [--tests-url-prefix URL] [--no-assign] [NOTEBOOK ...]

For each chapter ``NN-name`` (default: every chapter) it writes ``DIR/NN-name/`` with

* ``NN-name.ipynb``: the master notebook (Otter Assign's format). It is the chapter with
  every exercise turned into a question: the exercises listed in ``otter_questions.yml``
  are autograded by their public and hidden tests, every other one is a manually graded
  question (an answer cell for code, one for the written answer, the chapter's solution
  as the grader's reference);
* ``requirements.txt``: the grading environment, the course's pins (``requirements/course.txt``);
* ``lstm-course/``: the helpers, data and requirements the autograder ships, so that grading
  needs no network. A cell after the Colab bootstrap puts ``lstm-course/utils`` on the path
  when that folder exists (in the grading run); elsewhere it does nothing.

then runs ``otter assign`` on it (unless ``--no-assign``), which writes ``dist/student``
(the notebook without solutions and its public tests, for Colab) and ``dist/autograder``
(the solutions notebook, every test and the autograder zip for ``otter run`` or
Gradescope). See reference/instructor-guide.md.
"""

from __future__ import annotations

import argparse
import ast
import json
import pathlib
import re
import shutil
import subprocess
import sys

import yaml
from student_version import EXERCISE, LABEL, SOLUTION, source_text

ROOT = pathlib.Path(__file__).resolve().parents[1]
QUESTIONS = pathlib.Path(__file__).with_name("otter_questions.yml")
OTTER_PIN = "otter-grader==7.0.0"  # requirements/classroom.txt pins the same version
MANUAL_POINTS = 2  # a written question's points (instructors change them in the master)
SUPPORT = "lstm-course"
GRADING_PATH_CELL = f'''\
# Otter grading: the autograder ships the course's helpers and data in {SUPPORT}/ next to
# the notebook. Does nothing anywhere else.
import pathlib
import sys

if pathlib.Path("{SUPPORT}/utils").is_dir():
    sys.path.insert(0, str(pathlib.Path("{SUPPORT}/utils").resolve()))
'''
ROLE = re.compile(r"\{(?:cite(?::[pt])?|doc|ref|numref|eq)\}`([^`]+)`")
CODE_BLOCK = re.compile(r"^```python\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def load_questions(path: pathlib.Path = QUESTIONS) -> dict[str, dict]:
    """The autograded questions by exercise label, checked: answers, tests with points."""
    questions = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(questions, dict):
        raise ValueError(f"{path} must map exercise labels to questions")
    for label, spec in questions.items():
        if not isinstance(spec, dict) or not spec.get("answers") or not spec.get("tests"):
            raise ValueError(f"{path}: {label} needs 'answers' and 'tests'")
        for case in spec["tests"]:
            if not isinstance(case.get("points"), (int, float)) or case["points"] <= 0:
                raise ValueError(f"{path}: every test of {label} needs positive 'points'")
            tree = ast.parse(case["code"])
            if len(tree.body) != 1 or not isinstance(tree.body[0], ast.FunctionDef):
                raise ValueError(f"{path}: a test of {label} must be one function definition")
    return questions


def question_name(label: str) -> str:
    """Otter's name of the question of exercise ``label`` (a valid file and test name)."""
    return label.replace("-", "_")


def plain_markdown(text: str) -> str:
    """MyST roles as plain text (Colab and Jupyter render no ``{cite}`key```)."""
    return ROLE.sub(lambda match: f"[{match.group(1)}]", text)


def _cell(kind: str, text: str, cell_id: str) -> dict:
    cell = {"cell_type": kind, "id": cell_id, "metadata": {}, "source": text}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def _solution_code(label: str, solution: str) -> str:
    blocks = [block.strip("\n") for block in CODE_BLOCK.findall(solution)]
    if not blocks:
        raise ValueError(f"the solution of {label} has no Python code to grade")
    return "# BEGIN SOLUTION\n" + "\n\n".join(blocks) + "\n# END SOLUTION"


def _test_cell(case: dict) -> str:
    config = {"points": case["points"]}
    if case.get("hidden"):
        config["hidden"] = True
    header = yaml.safe_dump(config, sort_keys=False)
    return f'""" # BEGIN TEST CONFIG\n{header}""" # END TEST CONFIG\n{case["code"].strip()}'


def question_cells(title: str, label: str, body: str, solution: str,
                   spec: dict | None) -> list[dict]:
    """The cells of one Otter question: autograded when ``spec`` is given, else manual."""
    name = question_name(label)
    points = sum(case["points"] for case in spec["tests"]) if spec else MANUAL_POINTS
    config = {"name": name, "points": points}
    if spec is None:
        config["manual"] = True
    cells = [
        _cell("raw", "# BEGIN QUESTION\n" + yaml.safe_dump(config, sort_keys=False), name),
        _cell("markdown", f"**Exercise: {title}** (`{label}`)\n\n{plain_markdown(body)}",
              f"{name}-prompt"),
        _cell("raw", "# BEGIN SOLUTION", f"{name}-begin-solution"),
    ]
    if spec is not None:
        answer = spec.get("solution") or _solution_code(label, solution)
        cells.append(_cell("code", f"# Exercise {label}: define {', '.join(spec['answers'])}\n"
                           + answer.strip("\n"), f"{name}-answer"))
    else:
        cells += [
            _cell("code", f"# Exercise {label}: your code (graded by hand with your written "
                  "answer below)\n", f"{name}-answer"),
            _cell("markdown", plain_markdown(solution.strip()), f"{name}-written"),
        ]
    cells.append(_cell("raw", "# END SOLUTION", f"{name}-end-solution"))
    if spec is not None:
        cells.append(_cell("raw", "# BEGIN TESTS", f"{name}-begin-tests"))
        cells += [_cell("code", _test_cell(case), f"{name}-test-{k}")
                  for k, case in enumerate(spec["tests"])]
        cells.append(_cell("raw", "# END TESTS", f"{name}-end-tests"))
    cells.append(_cell("raw", "# END QUESTION", f"{name}-end"))
    return cells


def _exercise_cells(text: str, cell_id: str, questions: dict[str, dict],
                    labels: list[str]) -> list[dict]:
    """One Markdown cell with exercises -> its text around Otter question blocks."""
    solutions = {m.group("label"): m.group(0) for m in SOLUTION.finditer(text)}
    text = SOLUTION.sub("", text)
    cells, position = [], 0
    for match in EXERCISE.finditer(text):
        label_match = LABEL.search(match.group("body"))
        if not label_match:
            raise ValueError(f"exercise {match.group('title')!r} has no :label:")
        label = label_match.group(1)
        if label not in solutions:
            raise ValueError(f"exercise {label} has no solution")
        before = text[position:match.start()].strip("\n")
        if before:
            cells.append(_cell("markdown", plain_markdown(before), f"{cell_id}-{len(cells)}"))
        body = LABEL.sub("", match.group("body")).strip("\n")
        solution = re.sub(r"^````\{solution\}[^\n]*\n(:class:[^\n]*\n)?|^````[ \t]*\n?\Z", "",
                          solutions[label].strip() + "\n", flags=re.MULTILINE)
        cells += question_cells(match.group("title").strip(), label, body, solution,
                                questions.get(label))
        labels.append(label)
        position = match.end()
    rest = text[position:].strip("\n")
    if rest:
        cells.append(_cell("markdown", plain_markdown(rest), f"{cell_id}-{len(cells)}"))
    return cells


def assignment_config(name: str, tests_url_prefix: str | None = None) -> str:
    """The ``# ASSIGNMENT CONFIG`` cell: Colab, the course's pins, tests as files."""
    tests = {"files": True, "ok_format": False}
    if tests_url_prefix:
        tests["url_prefix"] = tests_url_prefix
    config = {
        "name": name,
        "runs_on": "colab",
        "requirements": "requirements.txt",
        "python_version": "3.11",
        "tests": tests,
        "autograder_files": [SUPPORT],
        "init_cell": True,
        "check_all_cell": True,
        "export_cell": {"pdf": False, "instructions": "Upload the zip file it makes to the "
                        "course's grading site (Gradescope) or hand it to your instructor."},
        "solutions_pdf": False,
        "run_tests": False,
    }
    return "# ASSIGNMENT CONFIG\n" + yaml.safe_dump(config, sort_keys=False)


def otter_master(notebook: dict, name: str, questions: dict[str, dict],
                 tests_url_prefix: str | None = None) -> dict:
    """The Otter Assign master of a chapter notebook (a new dict; ``notebook`` is unchanged)."""
    if not isinstance(notebook, dict) or "cells" not in notebook:
        raise TypeError("notebook must be a notebook dict (nbformat 4 JSON) with 'cells'")
    cells = [_cell("raw", assignment_config(name, tests_url_prefix), "assignment-config")]
    labels: list[str] = []
    code_cells = 0
    for index, cell in enumerate(notebook["cells"]):
        text = source_text(cell)
        cell_id = str(cell.get("id", f"cell-{index}"))[:48]
        if cell["cell_type"] == "markdown" and EXERCISE.search(text):
            cells += _exercise_cells(text, cell_id, questions, labels)
            continue
        if "{solution}" in text:
            raise ValueError(f"cell {index} has a solution outside the exercises")
        copied = _cell(cell["cell_type"], plain_markdown(text) if cell["cell_type"] ==
                       "markdown" else text, cell_id)
        cells.append(copied)
        if cell["cell_type"] == "code":
            code_cells += 1
            if code_cells == 1:  # after the Colab bootstrap, before the course is imported
                cells.append(_cell("code", GRADING_PATH_CELL, "otter-grading-path"))
    if not labels:
        raise ValueError(f"{name} has no exercises")
    metadata = json.loads(json.dumps(notebook.get("metadata", {})))
    metadata.setdefault("lstm_course", {})["otter_questions"] = {
        "autograded": [label for label in labels if label in questions],
        "manual": [label for label in labels if label not in questions]}
    return {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}


def write_assignment(path: pathlib.Path, out: pathlib.Path, questions: dict[str, dict],
                     tests_url_prefix: str | None = None) -> pathlib.Path:
    """Write ``out/<chapter>/`` (master, requirements.txt, lstm-course/); returns the master."""
    if path.suffix != ".ipynb" or not path.is_file():
        raise ValueError(f"{path} is not a notebook file")
    notebook = json.loads(path.read_text(encoding="utf-8"))
    folder = out / path.stem
    if folder.exists():
        shutil.rmtree(folder)
    support = folder / SUPPORT
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "utils" / "lstm_course", support / "utils" / "lstm_course",
                    ignore=ignore)
    shutil.copytree(ROOT / "data", support / "data", ignore=ignore)
    shutil.copytree(ROOT / "requirements", support / "requirements")
    shutil.copy(ROOT / "requirements" / "course.txt", folder / "requirements.txt")
    master = folder / path.name
    master.write_text(json.dumps(otter_master(notebook, path.stem, questions, tests_url_prefix),
                                 indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return master


def run_otter_assign(master: pathlib.Path) -> pathlib.Path:
    """``otter assign`` into ``dist/`` next to the master; pins otter-grader in the student's
    install cell. Returns the ``dist`` folder."""
    dist = master.parent / "dist"
    otter = pathlib.Path(sys.executable).with_name("otter")
    subprocess.run([str(otter), "assign", "--no-pdfs", "--no-run-tests", master.name, "dist"],
                   cwd=master.parent, check=True, capture_output=True, text=True)
    student = dist / "student" / master.name
    text = student.read_text(encoding="utf-8")
    unpinned = "%pip install -q otter-grader"
    if text.count(unpinned) != 1:
        raise RuntimeError(f"{student}: expected one Otter install cell, found "
                           f"{text.count(unpinned)}")
    student.write_text(text.replace(unpinned, f"%pip install -q {OTTER_PIN}"), encoding="utf-8")
    return dist


def question_table(paths: list[pathlib.Path], questions: dict[str, dict]) -> str:
    """Markdown table of the questions per chapter (the instructor guide shows it)."""
    rows = ["| chapter | questions | autograded (public + hidden tests, points) | graded by hand |",
            "|---|---|---|---|"]
    for path in paths:
        master = otter_master(json.loads(path.read_text(encoding="utf-8")), path.stem, questions)
        found = master["metadata"]["lstm_course"]["otter_questions"]
        graded = []
        for label in found["autograded"]:
            tests = questions[label]["tests"]
            hidden = sum(bool(case.get("hidden")) for case in tests)
            points = sum(case["points"] for case in tests)
            graded.append(f"`{label}` ({len(tests) - hidden} + {hidden}, {points} points)")
        rows.append(f"| {path.stem[:2]} | {len(found['autograded']) + len(found['manual'])} | "
                    f"{', '.join(graded) or '-'} | {len(found['manual'])} |")
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path,
                        help="chapter notebooks (default: chapters/*.ipynb)")
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "_build" / "classroom" / "otter",
                        help="output folder (default: _build/classroom/otter)")
    parser.add_argument("--tests-url-prefix", help="where students' Colab copies download the "
                        "public tests from (the raw URL of a dist/student/tests/ you publish)")
    parser.add_argument("--no-assign", action="store_true",
                        help="write the master notebooks only, do not run otter assign")
    parser.add_argument("--table", action="store_true",
                        help="print the questions per chapter (Markdown) and write nothing")
    args = parser.parse_args(argv)
    questions = load_questions()
    paths = args.notebooks or sorted((ROOT / "chapters").glob("*.ipynb"))
    if args.table:
        print(question_table(paths, questions), end="")
        return 0
    graded = set()
    for path in paths:
        master = write_assignment(path, args.out, questions, args.tests_url_prefix)
        notebook = json.loads(master.read_text(encoding="utf-8"))
        graded |= set(notebook["metadata"]["lstm_course"]["otter_questions"]["autograded"])
        print(master if args.no_assign else run_otter_assign(master))
    if not args.notebooks and graded != set(questions):
        raise ValueError(f"{QUESTIONS.name} lists exercises no chapter has: "
                         f"{sorted(set(questions) - graded)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
