"""The notebook conventions (CONTRIBUTING.md sections 4 and 5) as checks that return problems.

Each ``check_*`` function returns a list of human-readable problems (empty = conforms), so
the same checks run over every chapter (test_notebook_conventions.py) and over deliberately
broken notebooks (proving that each check can fail).
"""

from __future__ import annotations

import json
import pathlib
import re

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
CHAPTERS = "chapters"
MAX_BUDGET_SECONDS = 150
COLAB_BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"
REQUIRED_SECTIONS = ("Common mistakes", "Exercises", "References")

ALLOWED_TAGS = frozenset(
    {
        "hide-input",
        "hide-output",
        "hide-cell",
        "remove-input",
        "remove-output",
        "remove-cell",
        "remove-stderr",
        "raises-exception",
        "nbval-ignore-output",
        "nbval-skip",
        "skip-execution",
        "full-width",
        "margin",
        "run-alone",  # a timing cell: no other notebook's cell runs beside it (tests/nbalone.py)
    }
)
# Cells that time something, whose numbers are compared or asserted, must run alone under
# make nbval (two notebooks at a time): tests/nbalone.py.
_TIMING_CALL = re.compile(r"\blc\.(bench\.(time_steps|throughput)|latency\.measure_by_length)\(")
# Helpers are called by module everywhere (lc.windows.make_windows): one style a reader can
# follow back to the API reference, also inside solutions written as Markdown code blocks.
_FROM_IMPORT = re.compile(r"^\s*from\s+lstm_course(\.\w+)*\s+import\b", re.MULTILINE)
# The "Helpers used here." paragraph lists every helper module the chapter's code calls, each
# linked to the API reference: {py:mod}`lc.windows <lstm_course.windows>`.
_HELPER_LINE = "**Helpers used here.**"
_HELPER_CALL = re.compile(r"\blc\.([a-z_]+)\.")
_HELPER_LINK = re.compile(r"<lstm_course\.([a-z_]+)>`")
_REINSTALL = re.compile(r"pip\s+install[^\n]*\b(tensorflow|numpy|keras)\b", re.IGNORECASE)
# A seed typed into a chapter does not move with LSTM_COURSE_SEED_OFFSET (the robustness
# harness): every draw must derive from the seed lc.setup returns (info.seed, info.seeds(k)).
_LITERAL_SEED = re.compile(
    r"(set_random_seed|default_rng|RandomState|random\.seed|set_seed)\(\s*\d"
    r"|\b(seed|random_state)\s*(:\s*int\s*)?=\s*\d"
    r"|\bseeds?\s*=[^\n]*?\[\s*\d+\s*,\s*\d",  # a literal list of seeds
    re.IGNORECASE,
)
_GLUE = re.compile(r"myst_nb\s+import\s+.*\bglue\b|myst_nb\.glue\b")

# Stale numbers in prose: a measured figure typed into a Markdown cell goes wrong as soon as
# the notebook runs elsewhere. A number next to a result word is flagged, unless it is a bound
# that an assert checks ("more than 30 %"), a reference ("section 5", "Keras 3"), or the cell
# lists it as a fixed fact of the code or data in a comment: <!-- fixed numbers: 48, 47 -->.
_RESULT_WORD = re.compile(
    r"^(MAE|RMSE|MSE|accuracy|F1|macro-F1|R²|R2|seconds?|s|ms|minutes?|MW|°C|error|loss|"
    r"speed-?up|p-values?|points)$", re.IGNORECASE)
_COMPARATIVE = re.compile(r"^(faster|slower|larger|smaller|longer|shorter|lower|higher|more|"
                          r"less|fewer|better|worse)$", re.IGNORECASE)
_TIME_WORD = re.compile(r"^(seconds?|minutes?|ms|s)$", re.IGNORECASE)
_NUMBER = re.compile(r"^[-+−]?(\d[\d,]*(\.\d+)?|\.\d+)(%|x|×)?$")
_NUMBER_WORD = re.compile(r"^(two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|"
                          r"hundred)$", re.IGNORECASE)
_BOUND = re.compile(r"^(than|least|most|within|below|above|under|over|exceeds?|beyond|<|>|≤|≥|"
                    r"needs?|asserted|threshold|limit|to)$", re.IGNORECASE)
_REFERENCE = re.compile(r"^(section|sections|chapter|chapters|exercise|Keras|TensorFlow|Python|"
                        r"epoch|epochs|worker|lag|lags|step|position|&P|figure|table)$",
                        re.IGNORECASE)
_RUN_PHRASE = re.compile(r"\b(in (our|this|my) run|on (our|this|my) machine|we (measured|got)"
                         r"|our run|this run gave)\b", re.IGNORECASE)
_READING_TIME = re.compile(r"to read and run|for the exercises", re.IGNORECASE)
_FIXED = re.compile(r"<!--\s*fixed numbers:([^>]*)-->", re.IGNORECASE)
_CODE_DIRECTIVE = re.compile(r"^\{(code|code-block|code-cell|literalinclude)\}")


def _prose(markdown: str) -> str:
    """The reader-facing words of a Markdown cell: no code blocks, code, math, link targets."""
    kept, fences = [], []  # fences: the open ones, as (marker, is_code)
    for line in markdown.splitlines():
        fence = re.match(r"^\s*(`{3,}|~{3,})\s*(.*)$", line)
        if fence:
            marker, info = fence.groups()
            if fences and fences[-1][0] == marker and not info:
                fences.pop()  # closes the innermost block
            elif not (fences and fences[-1][1]):  # fences inside code are code
                fences.append((marker, not info.startswith("{")
                               or bool(_CODE_DIRECTIVE.match(info))))
            continue
        if (fences and fences[-1][1]) or re.match(r"^\s*:[\w-]+:", line):
            continue  # code, or a directive's option line
        kept.append(line)
    text = "\n".join(kept)
    for pattern in (r"\$\$.*?\$\$", r"\$[^$\n]*\$", r"`[^`\n]*`", r"<!--.*?-->",
                    r"\]\([^)]*\)", r"\[[^\]]*\]\{[^}]*\}"):
        text = re.sub(pattern, " ", text, flags=re.DOTALL)
    return text


def stale_numbers(markdown: str) -> list[str]:
    """Numbers in a Markdown cell that look like the output of a run (see _RESULT_WORD)."""
    fixed = {n.strip() for m in _FIXED.finditer(markdown) for n in m.group(1).split(",")}
    found = []
    for sentence in re.split(r"(?<=[.!?;:])\s+|\n\s*\n|\n\s*[-*] ", _prose(markdown)):
        if _READING_TIME.search(sentence):
            continue  # the reader's time, an estimate by the author
        tokens = [t.rstrip(".,") or t for t in re.findall(r"[\w.,²°+−&'’-]+%?|[%×<>≤≥]", sentence)]
        run_phrase = bool(_RUN_PHRASE.search(sentence))
        for i, token in enumerate(tokens):
            before, after = tokens[max(0, i - 3):i], tokens[i + 1:i + 4]
            run_time = (bool(after) and bool(_TIME_WORD.match(after[0]))
                        and bool(re.search(r"\b(takes?|runs?|running)\b", sentence)))
            number = _NUMBER_WORD.match(token) or _NUMBER.match(token)
            if run_time and number and token not in fixed:
                found.append(f"{token!r} in: {' '.join(sentence.split())[:120]}")  # even "under"
                continue
            if _NUMBER_WORD.match(token):
                continue
            if _NUMBER.match(token) and token not in fixed:
                if re.fullmatch(r"(19|20)\d\d", token) or (before and _REFERENCE.match(before[-1])):
                    continue  # a year, or "section 5", "Keras 3", "epoch 2"
                suspect = (any(_RESULT_WORD.match(t) for t in before + after)
                           or (bool(after) and after[0] in ("times", "x", "×") and len(after) > 1
                               and bool(_COMPARATIVE.match(after[1])))
                           or (token.endswith(("x", "×")) and bool(after)
                               and bool(_COMPARATIVE.match(after[0]))))
            else:
                continue
            if run_phrase or (suspect and not any(_BOUND.match(t) for t in before)):
                found.append(f"{token!r} in: {' '.join(sentence.split())[:120]}")
    return found


def load_config(root: pathlib.Path = ROOT) -> dict:
    return yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))


def public_modules(package: pathlib.Path = ROOT / "utils" / "lstm_course") -> list[str]:
    """The public modules of the helper package: ``name.py`` files and subpackages (``data/``)
    whose names do not start with an underscore, sorted."""
    return sorted([p.stem for p in package.glob("[!_]*.py")]
                  + [p.parent.name for p in package.glob("[!_]*/__init__.py")])


def toc_files(root: pathlib.Path = ROOT) -> list[str]:
    """Every ``file:`` (and the root) named in ``_toc.yml``, without suffix, in order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    found = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                found.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk({k: v for k, v in toc.items() if k != "root"})
    return found


def repo_slug(config: dict) -> str:
    """``owner/name`` from ``repository.url`` (``https://github.com/owner/name``)."""
    url = config["repository"]["url"].rstrip("/")
    match = re.fullmatch(r"https://github\.com/([^/]+/[^/]+?)(\.git)?", url)
    if not match:
        raise ValueError(f"repository.url must be https://github.com/OWNER/NAME, got {url!r}")
    return match.group(1)


def colab_url(config: dict, relpath: str) -> str:
    """The Colab URL of a notebook, as the book's launch button builds it."""
    base = config["launch_buttons"]["colab_url"].rstrip("/")
    branch = config["repository"]["branch"]
    return f"{base}/github/{repo_slug(config)}/blob/{branch}/{relpath}"


def colab_badge(config: dict, relpath: str) -> str:
    """The Markdown of the badge every chapter shows under its title."""
    return f"[![Open In Colab]({COLAB_BADGE_IMAGE})]({colab_url(config, relpath)})"


def bootstrap_source(config: dict) -> str:
    """The exact first code cell of every chapter: acts on Colab only, installs nothing."""
    url = config["repository"]["url"].rstrip("/")
    branch = config["repository"]["branch"]
    clone_dir = "/content/" + repo_slug(config).split("/")[1]
    return (
        "# Colab only: fetch the course helpers and data. Does nothing anywhere else.\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        "    import pathlib\n"
        "    import subprocess\n"
        "\n"
        f'    url = "{url}"\n'
        f'    repo = pathlib.Path("{clone_dir}")\n'
        "    if not repo.exists():\n"
        "        command = "
        f'["git", "clone", "--depth", "1", "--branch", "{branch}", url, str(repo)]\n'
        "        subprocess.run(command, check=True)\n"
        '    sys.path.insert(0, str(repo / "utils"))'
    )


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def check_notebook(path: pathlib.Path, root: pathlib.Path = ROOT) -> list[str]:
    """All convention problems of one chapter notebook (empty list when it conforms)."""
    config = load_config(root)
    relpath = path.resolve().relative_to(root.resolve()).as_posix()
    problems: list[str] = []
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        return [f"not valid JSON: {exc}"]
    cells = nb.get("cells", [])
    code = [c for c in cells if c.get("cell_type") == "code"]
    markdown = [c for c in cells if c.get("cell_type") == "markdown"]

    if not re.fullmatch(r"\d\d-[a-z0-9]+(-[a-z0-9]+)*\.ipynb", path.name):
        problems.append(f"file name {path.name!r} is not NN-lowercase-hyphen-name.ipynb")

    # Stored outputs: notebooks are committed stripped.
    for i, cell in enumerate(code):
        if cell.get("outputs") or cell.get("execution_count") is not None:
            problems.append(f"code cell {i} has stored outputs or an execution count")

    # Title, badge.
    first = cells[0] if cells else {}
    if first.get("cell_type") != "markdown" or not _source(first).startswith("# "):
        problems.append("the first cell must be Markdown starting with an H1 title ('# ...')")
    badge = colab_badge(config, relpath)
    head = "\n".join(_source(c) for c in cells[:2] if c.get("cell_type") == "markdown")
    if badge not in head:
        problems.append(f"missing or wrong Colab badge; expected in the first cells: {badge}")
    if "colab.research.google.com/github/" in "".join(_source(c) for c in markdown).replace(
        colab_url(config, relpath), ""
    ):
        problems.append("a Colab link points at another file or branch than this notebook")

    # Bootstrap and setup cells.
    if not code or _source(code[0]).strip() != bootstrap_source(config):
        problems.append("the first code cell must be the Colab bootstrap (see bootstrap_source)")
    if len(code) < 2 or not re.search(r"\blc\.setup\(seed=\d+", _source(code[1])):
        problems.append("the second code cell must call lc.setup(seed=...)")
    elif "remove-stderr" not in code[1].get("metadata", {}).get("tags", []):
        # TensorFlow's C++ start-up lines (timestamps, PIDs) must not reach the website.
        problems.append("the lc.setup cell must be tagged remove-stderr")

    # Whole-notebook rules.
    for i, cell in enumerate(cells):
        src = _source(cell)
        if cell.get("cell_type") == "code" and cell is not code[1]:
            for line in src.splitlines():
                if _LITERAL_SEED.search(line.split("#", 1)[0]):
                    problems.append(f"cell {i} has a literal seed (derive it from info.seed "
                                    f"so the seed offset moves it): {line.strip()}")
        if cell.get("cell_type") == "code" and _REINSTALL.search(src):
            problems.append(f"cell {i} reinstalls TensorFlow/NumPy/Keras (never on Colab)")
        if cell.get("cell_type") == "markdown":
            for stale in stale_numbers(src):
                problems.append(f"cell {i} states a number that a run produces; print it from "
                                f"the code, or list it in <!-- fixed numbers: ... -->: {stale}")
        if _FROM_IMPORT.search(src):
            problems.append(f"cell {i} imports from lstm_course: call helpers by module "
                            "(lc.windows.make_windows), one style in every chapter")
        if _GLUE.search(src):
            problems.append(f"cell {i} uses myst_nb glue (forbidden: breaks on Colab)")
        tags = set(cell.get("metadata", {}).get("tags", []))
        unknown = tags - ALLOWED_TAGS
        if unknown:
            problems.append(f"cell {i} has tags outside the allowlist: {sorted(unknown)}")
        if (cell.get("cell_type") == "code" and _TIMING_CALL.search(src)
                and "run-alone" not in tags):
            problems.append(f"cell {i} times code with lc.bench/lc.latency: tag it run-alone, "
                            "so that no other notebook runs beside it under make nbval")
        if "skip-execution" in tags and "nbval-skip" not in tags:
            problems.append(f"cell {i} is tagged skip-execution without nbval-skip")

    paragraph = next((p for c in markdown for p in _source(c).split("\n\n")
                      if p.startswith(_HELPER_LINE)), None)
    called = {m for c in code for m in _HELPER_CALL.findall(_source(c))}
    if paragraph is None:
        problems.append(f"no '{_HELPER_LINE}' paragraph (the modules the chapter calls, "
                        "linked to the API reference)")
    elif missing := sorted(called - set(_HELPER_LINK.findall(paragraph))):
        problems.append(f"'{_HELPER_LINE}' does not list {', '.join(missing)}: link each as "
                        "{py:mod}`lc.NAME <lstm_course.NAME>`")

    headings = {
        line.lstrip("#").strip()
        for c in markdown
        for line in _source(c).splitlines()
        if line.startswith("## ")
    }
    for section in REQUIRED_SECTIONS:
        if section not in headings:
            problems.append(f"missing '## {section}' section")

    budget = nb.get("metadata", {}).get("lstm_course", {}).get("budget_seconds")
    if isinstance(budget, bool) or not isinstance(budget, (int, float)):
        problems.append("metadata.lstm_course.budget_seconds (a number of seconds) is missing")
    elif not 0 < budget <= MAX_BUDGET_SECONDS:
        problems.append(f"budget_seconds={budget} outside (0, {MAX_BUDGET_SECONDS}]")

    if nb.get("metadata", {}).get("kernelspec", {}).get("name") != "python3":
        problems.append("kernelspec.name must be 'python3'")
    return problems


def check_toc(root: pathlib.Path = ROOT) -> list[str]:
    """Notebooks missing from ``_toc.yml`` and ``_toc.yml`` entries that do not exist."""
    listed = toc_files(root)
    problems = []
    for entry in listed:
        if not any((root / f"{entry}{ext}").exists() for ext in (".md", ".ipynb")):
            problems.append(f"_toc.yml lists {entry!r}, which does not exist")
    for nb in sorted((root / CHAPTERS).glob("*.ipynb")):
        entry = nb.relative_to(root).with_suffix("").as_posix()
        if entry not in listed:
            problems.append(f"{entry}.ipynb is not listed in _toc.yml")
    return problems
