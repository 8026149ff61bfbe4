"""The set-up promises of the README: one test command, every step in it, one source of pins."""

import re
import subprocess
import sys

import yaml
from packaging.version import Version

from tests.conventions import ROOT


def test_ci_runs_only_the_readme_test_command():
    commands = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert [c for c in commands if not c.startswith(("set ", "cd "))] == ["make test"]
    assert "make test" in (ROOT / "README.md").read_text()


def test_make_test_runs_every_step():
    makefile = (ROOT / "Makefile").read_text()
    target = re.search(r"^test:(.*)$", makefile, re.MULTILINE).group(1).split()
    assert target == [
        "venv", "lint", "strip-check", "unit", "colab-unit", "data-check", "markup", "nbval",
        "book", "site-test",
    ]
    # the website is built from nbval's runs, so the site test sees the tested outputs
    assert target.index("nbval") < target.index("book") < target.index("site-test")
    assert ".SHELLFLAGS := -euo pipefail -c" in makefile
    nbval = re.search(r"^nbval:.*?(?=^\S)", makefile, re.MULTILINE | re.DOTALL).group(0)
    runner = re.search(r"^NBVAL := ((?:.*\\\n)*.*)$", makefile, re.MULTILINE).group(1)
    assert "--nbval-lax" in runner and "TF_NUM_INTRAOP_THREADS=1" in runner
    assert "--dist loadfile" in runner  # a notebook's cells stay on one worker, in order
    assert "LSTM_COURSE_PROFILE=book" in nbval and "$(NBVAL)" in nbval
    assert "--executed-cache $(JUPYTER_CACHE)" in nbval
    cache = re.search(r"^JUPYTER_CACHE := (.*)$", makefile, re.MULTILINE).group(1)
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["execute"]["execute_notebooks"] == "cache"
    assert cache == "_build/.jupyter_cache"  # where jupyter-book looks when no path is set
    assert "cache_path" not in config["execute"]
    site = re.search(r"^site-test:.*?(?=^\S)", makefile, re.MULTILINE | re.DOTALL).group(0)
    assert "--html _build/html --executed" in site


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
import pathlib, sys
import lstm_course as lc
print("tensorflow" in sys.modules, "lstm_course.models" in sys.modules)
print(sorted(set(lc.LAZY_MODULES) - set(dir(lc))))
modules = sorted(p.stem for p in pathlib.Path(lc.__file__).parent.glob("[!_]*.py"))
print(sorted(set(modules) - set(lc.__all__)))
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
    assert lines[2] == "[]"  # every public module is in __all__
    assert lines[3] == "[]"  # and every name in __all__ resolves
    assert lines[4] == "True lstm_course.transformer"  # loaded (with Keras) on first use
