"""lstm_course.cluster: workers get their TF_CONFIG, failures stop everyone, nothing is left.

The workers here are small Python programs (no TensorFlow), so the tests are fast; the
distributed-training chapter runs the real multi-worker TensorFlow job.
"""

import json
import sys
import time

import pytest

from lstm_course.cluster import (
    WorkerFailed,
    WorkerTimeout,
    free_ports,
    run_job,
    run_workers,
    tf_config,
)

# Each worker prints its pid (and that of a child it starts), then behaves by its index.
WORKER = r"""
import json, os, subprocess, sys, time
index = json.loads(os.environ["TF_CONFIG"])["task"]["index"]
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
print("pids", os.getpid(), child.pid, flush=True)
behaviour = sys.argv[1].split(",")[index]
if behaviour == "ok":
    child.kill()
    print("cluster", os.environ["TF_CONFIG"], flush=True)
elif behaviour == "fail":
    time.sleep(0.3)
    sys.exit(3)
elif behaviour == "fail-once":
    marker = sys.argv[2]
    if not os.path.exists(marker):
        open(marker, "w").close()
        sys.exit(4)
    child.kill()
elif behaviour == "progress":
    for epoch in range(1, 100):
        print(f"epoch {epoch} done", flush=True)
        time.sleep(0.2)
elif behaviour == "hang":
    time.sleep(60)
"""


def command(*args):
    return [sys.executable, "-c", WORKER, *args]


def pids_in(logs):
    return [int(p) for text in logs.values() for line in text.splitlines()
            if line.startswith("pids") for p in line.split()[1:]]


def running(pid: int) -> bool:
    """True while the process exists and is not a zombie (dead, waiting to be reaped)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def assert_all_gone(pids):
    assert pids, "the workers did not report their pids"
    deadline = time.monotonic() + 5  # SIGKILL is delivered asynchronously
    while any(running(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in pids if running(pid)]


@pytest.mark.slow
def test_workers_get_their_own_tf_config():
    attempt = run_workers(command("ok,ok,ok"), n_workers=3, timeout=30)
    assert attempt.returncodes == {0: 0, 1: 0, 2: 0}
    configs = [json.loads(next(line for line in text.splitlines()
                               if line.startswith("cluster")).split(" ", 1)[1])
               for text in attempt.logs.values()]
    assert [c["task"]["index"] for c in configs] == [0, 1, 2]
    assert len({tuple(c["cluster"]["worker"]) for c in configs}) == 1
    assert_all_gone(pids_in(attempt.logs))


@pytest.mark.slow
def test_a_dead_worker_stops_the_others_and_their_children():
    start = time.monotonic()
    with pytest.raises(WorkerFailed, match="worker 1 exited with code 3") as failure:
        run_workers(command("hang,fail"), n_workers=2, timeout=30)
    assert time.monotonic() - start < 10  # did not wait for the hanging worker
    assert failure.value.returncodes[1] == 3 and failure.value.returncodes[0] != 0
    assert "--- worker 0" in str(failure.value)  # the logs are in the message
    assert_all_gone(pids_in(failure.value.logs))


@pytest.mark.slow
def test_timeout_stops_everything():
    with pytest.raises(WorkerTimeout, match="still running after 1.5 s") as failure:
        run_workers(command("hang,hang"), n_workers=2, timeout=1.5)
    assert_all_gone(pids_in(failure.value.logs))


@pytest.mark.slow
def test_fault_injection_and_restart(tmp_path):
    with pytest.raises(WorkerFailed, match="killed on purpose") as failure:
        run_workers(command("progress,hang"), n_workers=2, timeout=30, kill=(0, "epoch 3 done"))
    assert failure.value.killed == 0
    assert "epoch 3 done" in failure.value.logs[0] and "epoch 6 done" not in failure.value.logs[0]
    assert_all_gone(pids_in(failure.value.logs))
    marker = tmp_path / "failed-once"
    result = run_job(command("fail-once,ok", str(marker)), n_workers=2, timeout=30,
                     max_restarts=1, log_dir=tmp_path / "logs")
    assert len(result.attempts) == 2
    assert "exited with code 4" in result.attempts[0].error
    assert result.attempts[1].returncodes == {0: 0, 1: 0}
    assert (tmp_path / "logs" / "attempt-1" / "worker-0.log").exists()
    assert_all_gone(pids_in(result.attempts[0].logs) + pids_in(result.logs))


@pytest.mark.slow
def test_restarts_run_out():
    with pytest.raises(WorkerFailed, match="exited with code 3"):
        run_job(command("fail,ok"), n_workers=2, timeout=30, max_restarts=1)


def test_ports_and_configs():
    ports = free_ports(3)
    assert len(set(ports)) == 3
    assert tf_config(ports, 2) == {
        "cluster": {"worker": [f"localhost:{p}" for p in ports]},
        "task": {"type": "worker", "index": 2}}
    with pytest.raises(ValueError, match="index"):
        tf_config(ports, 3)
    with pytest.raises(ValueError, match="distinct"):
        tf_config([1, 1], 0)


@pytest.mark.parametrize(
    "kwargs,error,message",
    [
        ({"command": "python train.py"}, TypeError, "list of strings"),
        ({"n_workers": 0}, ValueError, "n_workers"),
        ({"timeout": 0}, ValueError, "timeout"),
        ({"kill": (2, "epoch")}, ValueError, "kill must be"),
        ({"kill": (0, "")}, ValueError, "kill must be"),
    ],
)
def test_bad_arguments_are_refused(kwargs, error, message):
    arguments = {"command": command("ok,ok"), "n_workers": 2} | kwargs
    with pytest.raises(error, match=message):
        run_workers(**arguments)
