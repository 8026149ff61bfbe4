"""The child-process protocol shared by latency, serving and the cluster workers."""

import os
import sys

import pytest

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
