"""Make the student and instructor copies of the chapter notebooks.

    python tools/student_version.py [--out DIR] [NOTEBOOK ...]      (default: every chapter)

For each chapter it writes

* ``DIR/instructor/NN-name.ipynb``: the chapter as published, solutions included;
* ``DIR/student/NN-name.ipynb``: the same notebook with every ``{solution}`` directive
  removed and, after each exercise, an empty code cell for the answer (a comment naming
  the exercise). Everything before the exercises is unchanged, so the student copy runs
  top to bottom like the chapter.

Solutions are MyST directives in Markdown cells (four backticks, ``{solution} <label>``);
a chapter whose exercise has no solution, or a solution that names no exercise of the
chapter, is refused with a ``ValueError`` rather than half converted.
"""

from __future__ import annotations

import argparse
import copy
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
# ````{solution} label ... ```` (the fence of a solution is four backticks, its code three)
SOLUTION = re.compile(r"^````\{solution\}[ \t]*(?P<label>\S+)[^\n]*\n.*?^````[ \t]*\n?",
                      re.MULTILINE | re.DOTALL)
# ```{exercise} Title\n:label: name\n ... ``` (three backticks; no nested fences inside)
EXERCISE = re.compile(r"^```\{exercise\}[ \t]*(?P<title>[^\n]*)\n(?P<body>.*?)^```[ \t]*$\n?",
                      re.MULTILINE | re.DOTALL)
LABEL = re.compile(r"^:label:[ \t]*(\S+)", re.MULTILINE)


def source_text(cell: dict) -> str:
    """A cell's source as one string (nbformat allows a list of lines)."""
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _markdown(text: str, cell_id: str) -> dict:
    return {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": text}


def _answer_cell(title: str, label: str) -> dict:
    cell_id = re.sub(r"[^A-Za-z0-9_-]", "-", f"answer-{label}")[:64]
    return {"cell_type": "code", "id": cell_id, "execution_count": None, "metadata": {},
            "outputs": [], "source": f"# Exercise {label}: {title}\n# Write your answer here.\n"}


def _split_cell(text: str, cell_id: str, exercises: list[tuple[str, str]]) -> list[dict]:
    """One Markdown cell with solutions removed -> Markdown pieces with answer cells after
    each exercise directive."""
    cells, position = [], 0
    for match in EXERCISE.finditer(text):
        label_match = LABEL.search(match.group("body"))
        if not label_match:
            raise ValueError(f"exercise {match.group('title')!r} has no :label:")
        exercises.append((match.group("title").strip(), label_match.group(1)))
        piece = text[position : match.end()].strip("\n")
        if piece:
            cells.append(_markdown(piece, f"{cell_id}-{len(cells)}"))
        cells.append(_answer_cell(*exercises[-1]))
        position = match.end()
    rest = text[position:].strip("\n")
    if rest:
        cells.append(_markdown(rest, f"{cell_id}-{len(cells)}"))
    return cells


def student_notebook(notebook: dict) -> dict:
    """The student copy of a chapter (a new dict; ``notebook`` is not changed)."""
    if not isinstance(notebook, dict) or "cells" not in notebook:
        raise TypeError("notebook must be a notebook dict (nbformat 4 JSON) with 'cells'")
    student = copy.deepcopy(notebook)
    cells, exercises, solved = [], [], []
    for cell in student["cells"]:
        if cell.get("cell_type") != "markdown":
            cells.append(cell)
            continue
        text = source_text(cell)
        solved += [m.group("label") for m in SOLUTION.finditer(text)]
        text = SOLUTION.sub("", text)
        if "{solution}" in text:
            raise ValueError("a {solution} directive is not closed by a line of four backticks")
        if EXERCISE.search(text):
            cell_id = str(cell.get("id", f"cell-{len(cells)}"))[:56]
            cells.extend(_split_cell(text, cell_id, exercises))
        else:
            cell["source"] = text
            cells.append(cell)
    labels = [label for _, label in exercises]
    unsolved = sorted(set(labels) - set(solved))
    orphans = sorted(set(solved) - set(labels))
    if unsolved or orphans:
        raise ValueError(f"exercises without a solution: {unsolved}; solutions of no "
                         f"exercise here: {orphans}")
    student["cells"] = cells
    student.setdefault("metadata", {}).setdefault("lstm_course", {})["version"] = "student"
    return student


def write_versions(paths: list[pathlib.Path], out: pathlib.Path) -> list[pathlib.Path]:
    """Write instructor and student copies of ``paths`` under ``out``; returns the students'."""
    written = []
    for path in paths:
        if path.suffix != ".ipynb" or not path.is_file():
            raise ValueError(f"{path} is not a notebook file")
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for kind, version in (("instructor", notebook), ("student", student_notebook(notebook))):
            target = out / kind / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(version, indent=1, ensure_ascii=False) + "\n",
                              encoding="utf-8")
        written.append(out / "student" / path.name)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path,
                        help="chapter notebooks (default: chapters/*.ipynb)")
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "_build" / "classroom",
                        help="output folder (default: _build/classroom)")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "chapters").glob("*.ipynb"))
    for path in write_versions(paths, args.out):
        print(f"{path.parent.parent.name}/student/{path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
