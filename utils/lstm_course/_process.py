"""Child Python processes: one protocol for every helper that starts one (private).

Latency and memory measurements (``latency``), serving checks (``serving``) and cluster
workers (``cluster``, ``worker_training``) all follow the same rules:

* **The program** is a module of this package run with ``-m`` (``lstm_course.latency``,
  ``lstm_course.worker_training``) or, where the child must not see the helpers, a script
  alone in its folder, run by path with ``child_env(helpers=False)``
  (``_serving_child/serve_once.py``).
* **Inputs** are command-line arguments and files; **results** are files that the child
  writes into a folder the parent owns (``result.json`` for the latency rows, ``.npz`` and
  ``meta.json`` for a serving call, the ``--out`` folder of a worker). Standard output and
  error are for people: a failing child's last lines go into the parent's error message.
* **Failures** are exit codes: 0 is success, anything else is an error that the caller turns
  into an exception (``RuntimeError`` with ``failure_message``, or a ``ValueError`` for the
  exit codes a helper documents, such as a serving signature that refuses its inputs).
* ``run_child`` runs one child to the end with a timeout; ``cluster.run_workers`` starts
  several at once, with the same environment rules (``child_env``).

Device policy: a child (a cluster worker, a latency or memory measurement, a serving check)
does not see the GPU unless asked. On a GPU runtime each TensorFlow process would otherwise
reserve nearly all of the GPU's memory, NCCL refuses two ranks on one device, and a
host-memory measurement would miss work that ran on the GPU. ``gpu=True`` keeps the GPU
visible with memory growth, so several children can share it.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from ._validation import positive_seconds

PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)  # the folder holding lstm_course
HIDE_GPUS = {"CUDA_VISIBLE_DEVICES": "-1"}  # TensorFlow (and CUDA) then list no GPU


def child_env(*, gpu: bool = False, helpers: bool = True, **extra: str) -> dict[str, str]:
    """This process's environment for a child: ``PYTHONPATH`` led by the folder holding
    lstm_course (so a child started anywhere imports the same helpers), the device policy,
    plus ``extra`` variables.

    ``helpers=False`` removes ``PYTHONPATH`` instead: the child finds installed packages
    only, as a server would (the serving check).

    ``gpu=False`` (the default) hides every GPU (``CUDA_VISIBLE_DEVICES=-1``): the child runs
    on the CPU. ``gpu=True`` keeps the parent's GPUs and sets
    ``TF_FORCE_GPU_ALLOW_GROWTH=true`` so the child reserves GPU memory only as it needs it.
    """
    for name, value in (("gpu", gpu), ("helpers", helpers)):
        if not isinstance(value, bool):
            raise TypeError(f"{name} must be True or False, got {value!r}")
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    if helpers:
        env["PYTHONPATH"] = os.pathsep.join(
            [PACKAGE_PARENT, os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    devices = {"TF_FORCE_GPU_ALLOW_GROWTH": "true"} if gpu else HIDE_GPUS
    return {**env, **devices, **extra}


def failure_message(what: str, child: subprocess.CompletedProcess, lines: int = 15) -> str:
    """``what`` failed, the exit code, and the last ``lines`` lines of the child's error
    output (its standard output when it wrote no errors)."""
    text = (child.stderr or child.stdout or "").strip()
    return f"{what} failed (exit {child.returncode}):\n" + "\n".join(text.splitlines()[-lines:])


def run_child(command: Sequence[str], *, what: str, timeout: float,
              env: Mapping[str, str], cwd: str | os.PathLike | None = None
              ) -> subprocess.CompletedProcess:
    """Run one child process to the end, its output captured as text.

    Returns the finished process whatever its exit code (the caller reads it and the result
    files); raises ``RuntimeError`` naming ``what`` when it runs longer than ``timeout``
    seconds (the child is killed).
    """
    timeout = positive_seconds("timeout", timeout)
    start = time.perf_counter()
    try:
        return subprocess.run(list(command), env=dict(env), cwd=cwd, capture_output=True,
                              text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as error:
        raise RuntimeError(f"{what} did not finish within {timeout:g} s (ran "
                           f"{time.perf_counter() - start:.0f} s); the process was stopped"
                           ) from error
