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
        "venv", "lint", "strip-check", "unit", "colab-unit", "data-check", "markup", "site-test",
        "nbval", "nbval-perturbed",
    ]
    assert ".SHELLFLAGS := -euo pipefail -c" in makefile
    nbval = re.search(r"^nbval:.*?(?=^\S)", makefile, re.MULTILINE | re.DOTALL).group(0)
    runner = re.search(r"^NBVAL := (.*)$", makefile, re.MULTILINE).group(1)
    assert "--nbval-lax" in runner
    assert "LSTM_COURSE_PROFILE=book" in nbval and "$(NBVAL)" in nbval
    perturbed = re.search(r"^nbval-perturbed:.*?(?=^\S)", makefile,
                          re.MULTILINE | re.DOTALL).group(0)
    assert "LSTM_COURSE_SEED_OFFSET=1" in perturbed and "TF_ENABLE_ONEDNN_OPTS=0" in perturbed
    assert "LSTM_COURSE_PROFILE=book" in perturbed and "$(NBVAL)" in perturbed


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


def test_importing_the_package_does_not_import_tensorflow():
    # setup() must be able to quiet TensorFlow's C++ logs before TensorFlow loads.
    code = "import sys, lstm_course; print('tensorflow' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"
