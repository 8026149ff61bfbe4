"""The set-up promises of the README: one test command, every step in it, one source of pins."""

import json
import pathlib
import re
import subprocess
import sys

import yaml
from packaging.version import Version

from tests import conventions as cv
from tests.conventions import ROOT


def test_ci_runs_only_the_readme_test_command():
    commands = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert [c for c in commands if not c.startswith(("set ", "cd "))] == ["make test"]
    assert "make test" in (ROOT / "README.md").read_text()


def _dry_run(target: str) -> str:
    """The commands that ``make TARGET`` runs, in order (``make -n`` with every target out
    of date, so a fresh clone's full run), one per line."""
    printed = subprocess.run(["make", "-n", "--always-make", target], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout
    return printed.replace("\\\n", " ")


def test_make_test_runs_every_step_in_order():
    commands = _dry_run("test")
    steps = ["ruff check .", "nbstripout --verify", "-m pytest tests",
             ".venv-colab/bin/python -m pytest", "tools/derive_data.py --check",
             "tools/build_markup.py", "--nbval-lax", "jupyter-book build",
             "tools/site_test.py --html _build/html --executed"]
    positions = [commands.find(step) for step in steps]
    assert -1 not in positions, [s for s, p in zip(steps, positions, strict=True) if p < 0]
    assert positions == sorted(positions)  # the website is built from nbval's runs
    nbval = next(line for line in commands.splitlines() if "--nbval-lax" in line)
    for setting in ("LSTM_COURSE_PROFILE=book", "TF_NUM_INTRAOP_THREADS=1", "--dist loadfile",
                    "--executed-cache _build/.jupyter_cache", "chapters reference"):
        assert setting in nbval, setting
    # jupyter-book reads its cache from _build/.jupyter_cache when no path is configured
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["execute"]["execute_notebooks"] == "cache"
    assert "cache_path" not in config["execute"]


def test_versions_are_pinned_only_in_requirements():
    pins = {}
    # colab.txt pins another stack (Colab's) on purpose: the same names at other versions
    for path in sorted((ROOT / "requirements").glob("*.txt")):
        if path.name == "colab.txt":
            continue
        for line in path.read_text().splitlines():
            line = line.split("#", 1)[0].strip()
            if not line or line.startswith("-r "):
                continue
            name, sep, version = line.partition("==")
            assert sep, f"{path.name}: {line!r} is not pinned with =="
            assert name not in pins, f"{name} pinned twice"
            pins[name] = version
    jupyter_book = Version(pins["jupyter-book"])
    assert Version("1.0.4.post1") <= jupyter_book < Version("2")  # Jupyter Book 1.x only
    pyproject = (ROOT / "pyproject.toml").read_text()
    deps = re.search(r"^dependencies = \[(.*)\]", pyproject, re.MULTILINE).group(1)
    assert not re.search(r"[=<>~]", deps), "pyproject.toml must not pin versions"
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip_section == ["-r requirements/test.txt"]


LAZY_IMPORT_PROGRAM = """
import json, sys
import lstm_course as lc
print("tensorflow" in sys.modules, "lstm_course.models" in sys.modules)
print(sorted(set(lc.LAZY_MODULES) - set(dir(lc))))
print(json.dumps([lc.__file__, lc.__all__]))
print(sorted(name for name in lc.__all__ if getattr(lc, name, None) is None))
print("keras" in sys.modules, lc.transformer.__name__)
"""


def test_the_package_imports_without_tensorflow_and_loads_keras_modules_on_first_use():
    # setup() must be able to quiet TensorFlow's C++ logs before TensorFlow loads: a fresh
    # process, since this one has imported everything already.
    result = subprocess.run([sys.executable, "-c", LAZY_IMPORT_PROGRAM], capture_output=True,
                            text=True, check=True)
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "False False"  # neither TensorFlow nor a lazy module at import
    assert lines[1] == "[]"  # dir(lc) lists the lazy modules
    package, names = json.loads(lines[2])
    missing = set(cv.public_modules(pathlib.Path(package).parent)) - set(names)
    assert missing == set()  # every public module and subpackage is in __all__
    assert lines[3] == "[]"  # and every name in __all__ resolves
    assert lines[4] == "True lstm_course.transformer"  # loaded (with Keras) on first use
