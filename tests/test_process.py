"""The child-process protocol shared by latency, serving and the cluster workers."""

import os
import subprocess
import sys

import pytest

import lstm_course
from lstm_course._process import child_env, failure_message, run_child

WRITES_A_RESULT = """
import json, pathlib, sys
pathlib.Path(sys.argv[1]).write_text(json.dumps({"answer": 42}))
"""
FAILS = """
import sys
print("progress line")
print("first error line", file=sys.stderr)
print("ValueError: units must be positive", file=sys.stderr)
sys.exit(3)
"""


def test_a_child_writes_its_result_into_a_file_of_the_parent(tmp_path):
    result = tmp_path / "result.json"
    child = run_child([sys.executable, "-c", WRITES_A_RESULT, str(result)], what="a job",
                      timeout=60, env=child_env())
    assert child.returncode == 0 and result.read_text() == '{"answer": 42}'


def test_a_failing_child_is_reported_with_its_exit_code_and_last_error_lines():
    child = run_child([sys.executable, "-c", FAILS], what="measuring x", timeout=60,
                      env=os.environ)
    assert child.returncode == 3  # the caller decides what an exit code means
    message = failure_message("measuring x", child, lines=1)
    assert message == "measuring x failed (exit 3):\nValueError: units must be positive"


def test_a_child_past_its_timeout_is_stopped_with_a_clear_error():
    with pytest.raises(RuntimeError, match="a slow job did not finish within 0.5 s"):
        run_child([sys.executable, "-c", "import time; time.sleep(30)"], what="a slow job",
                  timeout=0.5, env=os.environ)
    for bad in (0, -1, True, "10"):
        with pytest.raises(ValueError, match="positive number of seconds"):
            run_child([sys.executable, "-c", "pass"], what="x", timeout=bad, env=os.environ)


FINDS_THE_HELPERS = """
import importlib.util, os
spec = importlib.util.find_spec("lstm_course")
print(spec.origin if spec else None, os.environ.get("EXTRA_SETTING"))
"""


def test_child_env_lets_a_child_anywhere_import_these_helpers(tmp_path, monkeypatch):
    monkeypatch.delenv("PYTHONPATH", raising=False)
    env = child_env(EXTRA_SETTING="1")
    child = subprocess.run([sys.executable, "-c", FINDS_THE_HELPERS], cwd=tmp_path, env=env,
                           capture_output=True, text=True, check=True)
    assert child.stdout.split() == [lstm_course.__file__, "1"]


def test_child_env_without_helpers_drops_the_parents_pythonpath(tmp_path, monkeypatch):
    # what a server has: installed packages only (the serving check)
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "only_on_the_path.py").write_text("")
    monkeypatch.setenv("PYTHONPATH", str(extra))
    finds = "import importlib.util as u; print(u.find_spec('only_on_the_path') is not None)"
    for helpers, expected in [(True, "True"), (False, "False")]:
        env = child_env(helpers=helpers)
        assert ("PYTHONPATH" in env) is helpers
        child = subprocess.run([sys.executable, "-c", finds], cwd=tmp_path, env=env,
                               capture_output=True, text=True, check=True)
        assert child.stdout.strip() == expected


def test_children_hide_the_gpu_unless_asked_and_then_grow_its_memory(monkeypatch):
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0")
    assert child_env()["CUDA_VISIBLE_DEVICES"] == "-1"  # workers, measurements: the CPU
    shared = child_env(gpu=True)
    assert shared["CUDA_VISIBLE_DEVICES"] == "0" and shared["TF_FORCE_GPU_ALLOW_GROWTH"] == "true"
    for name in ("gpu", "helpers"):
        with pytest.raises(TypeError, match=f"{name} must be True or False"):
            child_env(**{name: "yes"})
