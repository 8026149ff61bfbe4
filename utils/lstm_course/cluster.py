"""Start TensorFlow worker processes on this machine, supervise them, and always clean up.

``tf.distribute.MultiWorkerMirroredStrategy`` runs one Python process per worker. Each
process reads the cluster layout from the ``TF_CONFIG`` environment variable. On a real
cluster a scheduler (Kubernetes, Slurm, Vertex AI) starts the processes; here
``run_workers`` plays that role on localhost:

* it picks free ports and gives worker ``i`` its ``TF_CONFIG``;
* it sends each worker's stdout and stderr to ``worker-<i>.log``;
* when a worker dies, it stops the others at once and raises ``WorkerFailed`` with the
  exit codes and the tail of every log, instead of letting the survivors wait for their
  dead peer;
* after ``timeout`` seconds it stops everything and raises ``WorkerTimeout``;
* whatever happens, no worker process (nor anything it started) is left running. Each
  worker is started in its own process group, and the whole group is killed.

``run_job`` adds what a scheduler adds on top: restart all workers after a failure, up to
``max_restarts`` times. Together with ``keras.callbacks.BackupAndRestore`` the restarted
job resumes from the last completed epoch. ``kill=(worker, marker)`` injects a fault into
the first attempt: worker ``worker`` is killed (SIGKILL) as soon as ``marker`` appears in
its log.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ._process import child_env
from ._validation import non_negative_int, positive_int, positive_seconds


class WorkerFailed(RuntimeError):
    """A worker exited with a non-zero code (or was killed); the others were stopped."""

    def __init__(self, message: str, returncodes: dict[int, int | None], logs: dict[int, str],
                 killed: int | None = None):
        super().__init__(message)
        self.returncodes, self.logs, self.killed = returncodes, logs, killed


class WorkerTimeout(WorkerFailed):
    """The workers did not all finish within the timeout; all were stopped."""


@dataclass
class Attempt:
    """One start of all workers: exit codes, full logs, wall time, the injected fault."""

    returncodes: dict[int, int | None]
    logs: dict[int, str]
    seconds: float
    killed: int | None = None
    error: str | None = None


@dataclass
class JobResult:
    """All attempts of a job, the last one successful."""

    attempts: list[Attempt] = field(default_factory=list)

    @property
    def logs(self) -> dict[int, str]:
        return self.attempts[-1].logs


def free_ports(n: int) -> list[int]:
    """``n`` distinct TCP ports on localhost that were free a moment ago."""
    n = positive_int("n", n)
    sockets = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("localhost", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def tf_config(ports: Sequence[int], index: int) -> dict:
    """The ``TF_CONFIG`` of worker ``index`` in a cluster of workers on localhost ``ports``."""
    ports = list(ports)
    if not ports or len(set(ports)) != len(ports):
        raise ValueError(f"ports must be distinct and non-empty, got {ports!r}")
    if not 0 <= index < len(ports):
        raise ValueError(f"index must be in [0, {len(ports)}), got {index!r}")
    return {"cluster": {"worker": [f"localhost:{port}" for port in ports]},
            "task": {"type": "worker", "index": index}}


def _kill_group(process: subprocess.Popen) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait()
    # children of a worker that outlive it stay in its group: kill the group regardless
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.splitlines()[-lines:])


def _validate(command, n_workers, timeout, kill):
    if isinstance(command, str) or not isinstance(command, Sequence) or not command:
        raise TypeError("command must be a non-empty list of strings, e.g. "
                        "[sys.executable, '-m', 'lstm_course.worker_training', ...]")
    positive_int("n_workers", n_workers)
    positive_seconds("timeout", timeout)
    if kill is not None:
        worker, marker = kill
        if not 0 <= worker < n_workers or not isinstance(marker, str) or not marker:
            raise ValueError(f"kill must be (worker index < {n_workers}, non-empty marker), "
                             f"got {kill!r}")


def run_workers(
    command: Sequence[str], n_workers: int = 2, *, timeout: float = 120,
    env: Mapping[str, str] | None = None, log_dir: str | os.PathLike | None = None,
    kill: tuple[int, str] | None = None,
) -> Attempt:
    """Run ``command`` as ``n_workers`` workers with their ``TF_CONFIG``; wait for all.

    Args:
        command: the program and its arguments, the same for every worker.
        n_workers: number of worker processes.
        timeout: seconds before all workers are stopped and ``WorkerTimeout`` is raised.
        env: extra environment variables. ``TF_CONFIG`` and ``PYTHONPATH`` (so that
            ``lstm_course`` imports in the workers) are set by this function.
        log_dir: where ``worker-<i>.log`` go (a new temporary folder if None).
        kill: ``(i, marker)``: SIGKILL worker ``i`` once ``marker`` appears in its log.

    Returns:
        An ``Attempt`` with every exit code (all 0) and the full logs.

    Raises:
        WorkerFailed: a worker exited non-zero or was killed; the others were stopped.
        WorkerTimeout: the timeout passed; all workers were stopped.
    """
    _validate(command, n_workers, timeout, kill)
    log_dir = Path(log_dir) if log_dir is not None else Path(tempfile.mkdtemp(prefix="workers-"))
    log_dir.mkdir(parents=True, exist_ok=True)
    ports = free_ports(n_workers)
    log_paths = [log_dir / f"worker-{i}.log" for i in range(n_workers)]
    processes: list[subprocess.Popen] = []
    start, killed, failure = time.monotonic(), None, None
    try:
        for i, log_path in enumerate(log_paths):
            worker_env = child_env(**{**(env or {}), "TF_CONFIG": json.dumps(tf_config(ports, i))})
            with open(log_path, "wb") as log:
                processes.append(subprocess.Popen(
                    list(command), stdout=log, stderr=subprocess.STDOUT, env=worker_env,
                    start_new_session=True))
        while True:
            codes = [p.poll() for p in processes]
            if kill is not None and killed is None and codes[kill[0]] is None:
                if kill[1] in log_paths[kill[0]].read_text(errors="replace"):
                    os.killpg(processes[kill[0]].pid, signal.SIGKILL)
                    processes[kill[0]].wait()
                    killed = kill[0]
                    continue
            bad = [i for i, code in enumerate(codes) if code not in (None, 0)]
            if bad:
                failure = (WorkerFailed, f"worker {bad[0]} exited with code {codes[bad[0]]}"
                           + (" (killed on purpose: fault injection)" if killed == bad[0] else "")
                           + "; the other workers were stopped")
                break
            if all(code == 0 for code in codes):
                break
            if time.monotonic() - start > timeout:
                failure = (WorkerTimeout, f"workers still running after {timeout} s: "
                           f"{[i for i, code in enumerate(codes) if code is None]}; all stopped")
                break
            time.sleep(0.05)
    finally:
        for process in processes:
            _kill_group(process)
    returncodes = {i: p.returncode for i, p in enumerate(processes)}
    logs = {i: path.read_text(errors="replace") for i, path in enumerate(log_paths)}
    if failure is not None:
        kind, message = failure
        tails = "\n".join(f"--- worker {i} (exit {returncodes[i]}) ---\n{_tail(text)}"
                          for i, text in logs.items())
        raise kind(f"{message}\n{tails}", returncodes, logs, killed)
    return Attempt(returncodes, logs, time.monotonic() - start, killed)


def run_job(
    command: Sequence[str], n_workers: int = 2, *, max_restarts: int = 0, timeout: float = 120,
    env: Mapping[str, str] | None = None, log_dir: str | os.PathLike | None = None,
    kill: tuple[int, str] | None = None,
) -> JobResult:
    """``run_workers``, restarting all workers after a failure up to ``max_restarts`` times.

    The fault in ``kill`` is injected into the first attempt only. Each attempt's logs go to
    ``log_dir/attempt-<k>/``. Raises the last ``WorkerFailed`` when no restart is left.
    """
    max_restarts = non_negative_int("max_restarts", max_restarts)
    log_dir = Path(log_dir) if log_dir is not None else Path(tempfile.mkdtemp(prefix="job-"))
    result = JobResult()
    for attempt in range(max_restarts + 1):
        start = time.monotonic()
        try:
            result.attempts.append(run_workers(command, n_workers, timeout=timeout, env=env,
                                               log_dir=log_dir / f"attempt-{attempt}",
                                               kill=kill if attempt == 0 else None))
            return result
        except WorkerFailed as failure:
            first_line = str(failure).splitlines()[0]
            result.attempts.append(Attempt(failure.returncodes, failure.logs,
                                           time.monotonic() - start, failure.killed, first_line))
            if attempt == max_restarts:
                raise


def python_module(module: str, *args: str) -> list[str]:
    """``[sys.executable, "-m", module, *args]``: the command for ``run_workers``."""
    return [sys.executable, "-m", module, *map(str, args)]
