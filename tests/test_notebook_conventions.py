"""Every chapter follows the conventions, and each convention check can fail."""

import copy
import json
import pathlib

import pytest

from tests import conventions as cv

NOTEBOOKS = sorted((cv.ROOT / cv.CHAPTERS).glob("*.ipynb"))


def test_there_are_chapters():
    assert NOTEBOOKS, "no notebooks found in chapters/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_follows_conventions(path):
    assert cv.check_notebook(path) == []


def test_toc_and_chapters_agree():
    assert cv.check_toc() == []


def test_colab_url_points_at_the_file_on_main():
    config = cv.load_config()
    url = cv.colab_url(config, "chapters/01-sequences-and-rnns.ipynb")
    assert url == (
        "https://colab.research.google.com/github/"
        f"{cv.repo_slug(config)}/blob/main/chapters/01-sequences-and-rnns.ipynb"
    )


# ---- each check fails on a notebook that breaks its rule ------------------------------

@pytest.fixture
def book(tmp_path):
    """A copy of the book's configuration with one conforming chapter, to break."""
    for name in ("_config.yml", "_toc.yml"):
        (tmp_path / name).write_text((cv.ROOT / name).read_text())
    (tmp_path / "intro.md").write_text("# Intro\n")
    (tmp_path / "chapters").mkdir()
    for entry in cv.toc_files(cv.ROOT):
        source = cv.ROOT / f"{entry}.md"
        if source.exists():
            (tmp_path / f"{entry}.md").parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / f"{entry}.md").write_text(source.read_text())
    reference = NOTEBOOKS[0]
    nb = json.loads(reference.read_text())
    target = tmp_path / "chapters" / reference.name
    target.write_text(json.dumps(nb))
    assert cv.check_notebook(target, tmp_path) == []
    return tmp_path, target, nb


def _write(path: pathlib.Path, nb: dict) -> pathlib.Path:
    path.write_text(json.dumps(nb))
    return path


def _first(nb, cell_type):
    return next(c for c in nb["cells"] if c["cell_type"] == cell_type)


def test_stored_output_is_reported(book):
    root, path, nb = book
    nb = copy.deepcopy(nb)
    cell = _first(nb, "code")
    cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "hi\n"}]
    cell["execution_count"] = 1
    assert any("stored outputs" in p for p in cv.check_notebook(_write(path, nb), root))


@pytest.mark.parametrize(
    "old, new",
    [("colab-badge.svg", "badge.svg"), ("/blob/main/", "/blob/dev/"), ("[![Open In Colab]", "[")],
    ids=["no-badge-image", "other-branch", "plain-link"],
)
def test_missing_or_wrong_badge_is_reported(book, old, new):
    root, path, nb = book
    nb = copy.deepcopy(nb)
    for cell in nb["cells"][:2]:
        cell["source"] = "".join(cell["source"]).replace(old, new)
    assert any("Colab badge" in p for p in cv.check_notebook(_write(path, nb), root))


def test_renamed_notebook_has_a_stale_badge(book):
    root, path, nb = book
    moved = path.with_name("99-renamed.ipynb")
    assert any("Colab badge" in p for p in cv.check_notebook(_write(moved, nb), root))


def test_missing_title_setup_and_bootstrap_are_reported(book):
    root, path, nb = book
    nb = copy.deepcopy(nb)
    nb["cells"][0]["source"] = "Intro without a title"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    code[0]["source"] = "!pip install tensorflow==2.15\nimport sys"
    code[1]["metadata"]["tags"] = []
    assert "remove-stderr" in "\n".join(cv.check_notebook(_write(path, nb), root))
    code[1]["source"] = "import lstm_course as lc"
    problems = "\n".join(cv.check_notebook(_write(path, nb), root))
    assert "H1 title" in problems
    assert "bootstrap" in problems
    assert "lc.setup" in problems
    assert "reinstalls" in problems


def test_bad_tags_glue_budget_and_sections_are_reported(book):
    root, path, nb = book
    nb = copy.deepcopy(nb)
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    code[2].setdefault("metadata", {})["tags"] = ["skip-execution", "my-tag"]
    code[3]["source"] = "from myst_nb import glue\nglue('x', 1)"
    code[5]["source"] = "from lstm_course.windows import WindowSpec\nspec = WindowSpec(4)"
    code[4]["source"] = "per_step = lc.bench.time_steps(step, steps=10, warmup=2, repeats=3)"
    nb["metadata"]["lstm_course"] = {"budget_seconds": 400}
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            cell["source"] = "".join(cell["source"]).replace("## Common mistakes", "## Pitfalls")
    problems = "\n".join(cv.check_notebook(_write(path, nb), root))
    assert "allowlist" in problems and "without nbval-skip" in problems
    assert "glue" in problems
    assert "imports from lstm_course" in problems
    assert "cell" in problems and "tag it run-alone" in problems
    assert "budget_seconds=400" in problems
    assert "Common mistakes" in problems
    del nb["metadata"]["lstm_course"]
    assert "budget_seconds" in "\n".join(cv.check_notebook(_write(path, nb), root))


def test_helper_line_must_list_every_module_the_code_calls(book):
    root, path, nb = book
    nb = copy.deepcopy(nb)
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    code[3]["source"] = "table = lc.backtest.strategy_returns(signal, prices)"
    problems = "\n".join(cv.check_notebook(_write(path, nb), root))
    assert "'**Helpers used here.**' does not list backtest" in problems
    for cell in nb["cells"]:  # no such paragraph at all
        if cell["cell_type"] == "markdown":
            cell["source"] = "".join(cell["source"]).replace("**Helpers used here.**", "Helpers:")
    problems = "\n".join(cv.check_notebook(_write(path, nb), root))
    assert "no '**Helpers used here.**' paragraph" in problems


@pytest.mark.parametrize("line", [
    "keras.utils.set_random_seed(0)", "rng = np.random.default_rng(12)",
    "def train(x, seed=5):", "def run(seed: int = 0):", "SEEDS = [0, 1, 2]",
    "seeds = lc.by_profile(book=[0, 1], full=[0, 1, 2])", "split(x, random_state=13)",
])
def test_literal_seeds_are_reported(book, line):
    root, path, nb = book
    nb = copy.deepcopy(nb)
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    code[2]["source"] = "".join(code[2]["source"]) + "\n" + line
    assert any("literal seed" in p for p in cv.check_notebook(_write(path, nb), root))
    code[2]["source"] = "rng = np.random.default_rng(info.seed + 1)\nSEEDS = info.seeds(3)"
    assert not any("literal seed" in p for p in cv.check_notebook(_write(path, nb), root))


def test_unlisted_notebook_and_missing_toc_entry_are_reported(book):
    root, path, nb = book
    _write(root / "chapters" / "98-unlisted.ipynb", nb)
    (root / "chapters" / "part-2-training-well.md").unlink()
    problems = "\n".join(cv.check_toc(root))
    assert "chapters/98-unlisted.ipynb is not listed" in problems
    assert "'chapters/part-2-training-well', which does not exist" in problems


@pytest.mark.parametrize("sentence", [
    "The LSTM reached a test MAE of 23.4 MW.",
    "In our run the GRU was best, 0.91 against 0.88.",
    "Running the notebook takes about two minutes on a laptop CPU.",
    "It takes under 3 minutes to run on a laptop.",
    "Its macro-F1 is 0.62, the Transformer's 0.60.",
    "The fused kernel was 3.2x faster.",
])
def test_a_planted_stale_number_is_reported(book, sentence):
    root, path, nb = book
    nb = copy.deepcopy(nb)
    cell = _first(nb, "markdown")
    cell["source"] = "".join(cell["source"]) + "\n\n" + sentence
    assert any("states a number that a run produces" in p
               for p in cv.check_notebook(_write(path, nb), root))


@pytest.mark.parametrize("sentence", [
    "Every seed beats it by more than 0.2 (asserted).",  # a bound the code asserts
    "Section 5 trains with 70 % of the weeks; chapter 3's MAE is in MW.",  # references, settings
    "The window holds 48 steps, so the error at step 47 is the forecast's. "
    "<!-- fixed numbers: 47 -->",  # a fact of the code, listed as fixed
    "```python\nprint(f'MAE {mae:.1f} MW')  # 12.5 MW\n```",  # code is not prose
    "```{solution} ex-1\n```python\nloss = 0.5 * mse  # MAE 3.2 MW\n```\nIt trains 3 seeds.\n```",
    "The $R^2$ threshold is at least 0.5.",
])
def test_fixed_facts_bounds_and_code_are_not_reported(sentence):
    assert cv.stale_numbers(sentence) == []


def test_prose_skips_code_inside_directives_but_keeps_their_text():
    text = cv._prose("```{exercise} Title\nTrain 3 seeds.\n```\n\n````{solution} x\n"
                     "```python\nsecret = 1\n```\nAfter the code.\n````\nThe end.")
    assert "Train 3 seeds." in text and "After the code." in text and "The end." in text
    assert "secret" not in text
