"""Colab readiness: a chapter runs where only its bootstrap cell can provide the course.

The simulated Colab machine:

* a new virtual environment without ``lstm_course`` (TensorFlow, Keras and the other
  libraries come from the course's venv, as Colab has them preinstalled);
* ``google.colab`` already imported when the kernel starts, as on Colab;
* ``git clone https://github.com/lstm-course/lstm-course`` answered, through git's
  ``url.<base>.insteadOf``, by a snapshot of this working tree (no network);
* ``/content`` an empty folder of the test's own (a private mount namespace, so nothing
  on the machine is written), and the notebook copied outside the repository.

The bootstrap cell must clone the course and make ``lstm_course`` importable, and the
chapter must then run to the end. Needs Linux, root and ``unshare`` (the CI machine).
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys
import sysconfig
import textwrap

import pytest

from tests.conventions import load_config, repo_slug

ROOT = pathlib.Path(__file__).resolve().parents[1]
CHAPTER = ROOT / "chapters" / "02-lstm-cell.ipynb"  # 10 s in the book profile
# A .pth line runs at start-up: Colab's kernel has google.colab imported before any cell.
COLAB_MODULE = ('import sys, types; '
                'sys.modules.setdefault("google.colab", types.ModuleType("google.colab"))')

RUNNER = textwrap.dedent("""
    import sys
    import nbformat
    from nbclient import NotebookClient

    source, target, workdir = sys.argv[1:4]
    notebook = nbformat.read(source, as_version=4)
    client = NotebookClient(notebook, timeout=600, kernel_name="colab-sim",
                            resources={"metadata": {"path": workdir}})
    try:
        client.execute()
    finally:
        nbformat.write(notebook, target)
""")

pytestmark = pytest.mark.slow  # real kernels / a simulated Colab


def _git(*args: str, env: dict | None = None) -> str:
    result = subprocess.run(["git", "-C", str(ROOT), *args], check=True, capture_output=True,
                            text=True, env={**os.environ, **(env or {})})
    return result.stdout.strip()


def _snapshot_repository(bare: pathlib.Path) -> None:
    """A bare repository whose ``main`` is this working tree (tracked and new files)."""
    index_env = {"GIT_INDEX_FILE": str(bare.parent / "snapshot-index"),
                 "GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "test@localhost",
                 "GIT_COMMITTER_NAME": "test", "GIT_COMMITTER_EMAIL": "test@localhost"}
    _git("add", "-A", env=index_env)
    tree = _git("write-tree", env=index_env)
    commit = _git("commit-tree", tree, "-m", "working-tree snapshot", env=index_env)
    subprocess.run(["git", "init", "--quiet", "--bare", "--initial-branch=main", str(bare)],
                   check=True)
    _git("push", "--quiet", f"file://{bare}", f"{commit}:refs/heads/main")


def _fresh_environment(env_dir: pathlib.Path) -> pathlib.Path:
    """A venv that sees the course's libraries but not lstm_course, with google.colab loaded."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True, capture_output=True, text=True).stdout.strip()
    # A plain path line: the course venv's packages, without processing its .pth files
    # (the editable install of lstm_course lives in one of those).
    libraries = sysconfig.get_path("purelib")
    (pathlib.Path(site) / "colab_sim.pth").write_text(f"{libraries}\n{COLAB_MODULE}\n")
    return python


def test_bootstrap_cell_makes_a_chapter_run_on_a_fresh_colab_like_machine(tmp_path):
    if sys.platform != "linux" or os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.fail("the Colab simulation needs Linux, root and util-linux's unshare "
                    "(as on the CI machine) to give /content a private mount")
    bare = tmp_path / "lstm-course.git"
    _snapshot_repository(bare)
    python = _fresh_environment(tmp_path / "env")
    missing = subprocess.run([str(python), "-c", "import lstm_course"], capture_output=True,
                             text=True, cwd=tmp_path)
    assert missing.returncode != 0 and "No module named 'lstm_course'" in missing.stderr

    kernels = tmp_path / "jupyter" / "kernels" / "colab-sim"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "colab-sim", "language": "python"}))

    work = tmp_path / "work"  # outside the repository
    work.mkdir()
    notebook = json.loads(CHAPTER.read_text(encoding="utf-8"))
    notebook["cells"].append({"cell_type": "code", "execution_count": None, "id": "where",
                              "metadata": {}, "outputs": [],
                              "source": "import lstm_course\nprint(lstm_course.__file__)"})
    (work / CHAPTER.name).write_text(json.dumps(notebook))
    (tmp_path / "runner.py").write_text(RUNNER)
    content = tmp_path / "content"
    content.mkdir()

    config = load_config()
    created = not pathlib.Path("/content").exists()
    if created:
        pathlib.Path("/content").mkdir()  # an empty mount point; removed again below
    env = {**os.environ, "JUPYTER_PATH": str(tmp_path / "jupyter"),
           "LSTM_COURSE_PROFILE": "book", "PYTHONPATH": "",
           "GIT_CONFIG_COUNT": "1",
           "GIT_CONFIG_KEY_0": f"url.file://{bare}.insteadOf",
           "GIT_CONFIG_VALUE_0": config["repository"]["url"].rstrip("/")}
    command = (f"mount --bind {content} /content && exec {sys.executable} "
               f"{tmp_path / 'runner.py'} {work / CHAPTER.name} {work / 'executed.ipynb'} {work}")
    try:
        result = subprocess.run(["unshare", "--mount", "--", "bash", "-c", command], env=env,
                                cwd=work, capture_output=True, text=True, timeout=900)
    finally:
        if created:
            pathlib.Path("/content").rmdir()
    assert result.returncode == 0, result.stderr[-3000:]

    executed = json.loads((work / "executed.ipynb").read_text())
    last = "".join(executed["cells"][-1]["outputs"][0]["text"])
    clone = f"/content/{repo_slug(config).split('/')[1]}"
    assert last.strip() == f"{clone}/utils/lstm_course/__init__.py"
    assert (content / repo_slug(config).split("/")[1] / "data").is_dir()  # the data came too
    errors = [o["ename"] for c in executed["cells"] for o in c.get("outputs", [])
              if o.get("output_type") == "error"
              and "raises-exception" not in c["metadata"].get("tags", [])]
    assert not errors  # only the chapter's deliberate mistakes may raise
