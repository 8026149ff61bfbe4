"""The environment of a child Python process that must import lstm_course (private).

Device policy: a child (a cluster worker, a latency or memory measurement, a serving check)
does not see the GPU unless asked. On a GPU runtime each TensorFlow process would otherwise
reserve nearly all of the GPU's memory, NCCL refuses two ranks on one device, and a
host-memory measurement would miss work that ran on the GPU. ``gpu=True`` keeps the GPU
visible with memory growth, so several children can share it.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)  # the folder holding lstm_course
HIDE_GPUS = {"CUDA_VISIBLE_DEVICES": "-1"}  # TensorFlow (and CUDA) then list no GPU


def child_env(*, gpu: bool = False, **extra: str) -> dict[str, str]:
    """This process's environment for a child: ``PYTHONPATH`` led by the folder holding
    lstm_course (so a child started anywhere imports the same helpers), the device policy,
    plus ``extra`` variables.

    ``gpu=False`` (the default) hides every GPU (``CUDA_VISIBLE_DEVICES=-1``): the child runs
    on the CPU. ``gpu=True`` keeps the parent's GPUs and sets
    ``TF_FORCE_GPU_ALLOW_GROWTH=true`` so the child reserves GPU memory only as it needs it.
    """
    if not isinstance(gpu, bool):
        raise TypeError(f"gpu must be True or False, got {gpu!r}")
    path = os.pathsep.join([PACKAGE_PARENT, os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    devices = {"TF_FORCE_GPU_ALLOW_GROWTH": "true"} if gpu else HIDE_GPUS
    return {**os.environ, "PYTHONPATH": path, **devices, **extra}
