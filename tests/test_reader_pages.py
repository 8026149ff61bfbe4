"""The pages for instructors and readers stay in step with the chapters and helpers."""

import inspect
import pathlib
import re

from lstm_course import checks
from tests.conventions import toc_files

ROOT = pathlib.Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]-*.ipynb"))


def _page(name):
    return (ROOT / "reference" / f"{name}.md").read_text(encoding="utf-8")


def _table_rows(text):
    """Rows of the Markdown tables on a page, as lists of cells (header rows excluded)."""
    rows = []
    for line in text.splitlines():
        if line.startswith("|") and not re.match(r"\|[-| ]+\|$", line):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_reader_pages_are_in_the_table_of_contents():
    listed = toc_files()
    for page in ("instructor-guide", "glossary", "notation", "execution-report"):
        assert f"reference/{page}" in listed


def test_instructor_guide_lists_every_chapter_once():
    guide = _page("instructor-guide")
    for chapter in CHAPTERS:
        assert guide.count(f"{{doc}}`../chapters/{chapter.stem}`") == 1, chapter.stem


def test_instructor_guide_names_every_autograded_check():
    guide = _page("instructor-guide")
    public = [name for name, _ in inspect.getmembers(checks, inspect.isfunction)
              if name.startswith("check_")]
    assert len(public) >= 5
    for name in public:
        assert f"| `{name}(" in guide, name


def test_instructor_guide_assignments_name_real_exercises():
    """Exercise titles quoted in the guide's chapter table exist in that chapter."""
    guide = _page("instructor-guide")
    for row in _table_rows(guide):
        match = re.match(r"\{doc\}`\.\./chapters/(\S+)`", row[0])
        if not match:
            continue
        chapter = (ROOT / "chapters" / f"{match.group(1)}.ipynb").read_text(encoding="utf-8")
        for title in re.findall(r'"([^"]+)"', row[-1]):
            assert f"{{exercise}} {title}" in chapter, f"{match.group(1)}: {title!r}"


def test_glossary_gives_a_chinese_term_and_a_real_chapter_for_every_entry():
    rows = _table_rows(_page("glossary"))[1:]  # after the header
    assert len(rows) >= 50
    numbers = {int(p.name[:2]) for p in CHAPTERS}
    for term, chinese, meaning, chapter in rows:
        assert re.search(r"[\u4e00-\u9fff]", chinese) or chinese == term, term
        assert meaning, term
        assert {int(n) for n in re.findall(r"\d+", chapter)} <= numbers, term


def test_seed_audit_summary_counts_its_rows():
    """The summary table's findings and "not yet corrected" counts are those of the rows."""
    page = _page("seed-audit")
    summary, *sections = re.split(r"^## ", page, flags=re.MULTILINE)[1:]
    rows = {}
    for line in summary.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 5 and cells[1].isdigit():
            rows[cells[0][:3]] = tuple(int(c) for c in cells[1:])
    totals = [0, 0, 0]
    for section in sections:
        article = section[:3]
        findings = [ln for ln in section.splitlines() if ln.startswith("| **")]
        open_rows = sum("not yet corrected" in ln.lower() for ln in findings)
        _, n_findings, n_corrected, n_open = rows[article]
        assert (n_findings, n_corrected, n_open) == (
            len(findings), len(findings) - open_rows, open_rows), article
        totals = [a + b for a, b in zip(totals, (len(findings), len(findings) - open_rows,
                                                 open_rows), strict=True)]
    assert list(rows["tot"][1:]) == totals
