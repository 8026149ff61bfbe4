"""``setup()``: the first call in every chapter (seeds, determinism, quiet logs, a report).

The robustness harness (``make robustness``) re-runs every chapter under perturbations that a
reader's machine can bring: other seeds (``LSTM_COURSE_SEED_OFFSET``), oneDNN off
(``TF_ENABLE_ONEDNN_OPTS=0``) and one intra-op thread (``TF_NUM_INTRAOP_THREADS=1``).
``setup`` applies the seed offset and reports the other two, so every run says what it ran.
"""

from __future__ import annotations

import os
import platform
import sys
from dataclasses import dataclass

from ._validation import positive_int
from .plots import set_theme
from .profiles import current_profile
from .stacks import running_stack_line

SEED_OFFSET_ENV = "LSTM_COURSE_SEED_OFFSET"


def seed_offset() -> int:
    """The offset added to every chapter's seed, from ``LSTM_COURSE_SEED_OFFSET`` (default 0).

    Raises ``ValueError`` for anything but a non-negative integer: a typo must not silently
    run the unperturbed configuration.
    """
    raw = os.environ.get(SEED_OFFSET_ENV, "").strip()
    if not raw:
        return 0
    try:
        offset = int(raw)
    except ValueError:
        offset = -1
    if offset < 0 or offset >= 2**16:
        raise ValueError(
            f"{SEED_OFFSET_ENV}={raw!r} is not a seed offset; expected an integer in "
            f"[0, 65536) (or unset for 0)."
        )
    return offset


@dataclass(frozen=True)
class RunInfo:
    """What ``setup`` configured and reports: versions, devices and the run profile.

    ``seed`` is the chapter's seed plus the offset of the run (``base_seed + seed_offset``);
    every random draw in a chapter derives from it, so one variable moves them all.
    """

    seed: int
    base_seed: int
    seed_offset: int
    profile: str
    python: str
    tensorflow: str
    keras: str
    numpy: str
    devices: tuple[str, ...]
    deterministic: bool
    tf32: bool = False
    onednn: str = "default"
    intra_op_threads: str = "default"
    pandas: str = ""
    stack: str = ""

    @property
    def has_gpu(self) -> bool:
        """Whether TensorFlow sees a GPU (device-dependent claims are stated per device)."""
        return any(device.startswith("GPU") for device in self.devices)

    def seeds(self, n: int) -> list[int]:
        """``n`` consecutive seeds starting at ``seed``: the seeds of a seed sweep."""
        return [self.seed + i for i in range(positive_int("n", n))]

    def report(self) -> str:
        offset = f", {self.base_seed} + offset {self.seed_offset}" if self.seed_offset else ""
        lines = [
            f"profile     : {self.profile}",
            f"seed        : {self.seed}{offset} "
            f"(op determinism {'on' if self.deterministic else 'off'})",
            f"python      : {self.python}",
            f"tensorflow  : {self.tensorflow}",
            f"keras       : {self.keras}",
            f"numpy       : {self.numpy}" + (f", pandas {self.pandas}" if self.pandas else ""),
            f"devices     : {', '.join(self.devices)}"
            + (f" (TF32 {'on' if self.tf32 else 'off'}, memory growth on)"
               if self.has_gpu else ""),
        ]
        if self.stack:
            lines.append(f"versions    : {self.stack}")
        if (self.onednn, self.intra_op_threads) != ("default", "default"):
            lines.append(f"cpu settings: oneDNN {self.onednn}, intra-op threads "
                         f"{self.intra_op_threads} (from the environment)")
        return "\n".join(lines)


# TensorFlow offers no public way to turn op determinism off again within a process.
_determinism_enabled = False


def _quiet_tensorflow_logs() -> None:
    # TF reads TF_CPP_MIN_LOG_LEVEL when its C++ runtime loads, so this only takes full effect
    # when set before the first `import tensorflow`; setdefault keeps a user's own choice.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def _configure_gpus(tf) -> list:
    """Memory growth on every GPU and TensorFloat-32 off; returns the GPUs.

    TF enables TF32 by default on Ampere and newer GPUs: float32 matmuls then round their
    inputs to 10 mantissa bits (errors near 1e-3), which breaks the chapters' 1e-5 parity
    checks between NumPy and Keras. Memory growth lets a second process (a worker, a
    serving check) share the GPU instead of finding it fully reserved.
    """
    tf.config.experimental.enable_tensor_float_32_execution(False)
    gpus = tf.config.list_physical_devices("GPU")
    for gpu in gpus:
        try:
            tf.config.experimental.set_memory_growth(gpu, True)
        except RuntimeError:  # the runtime already started: the setting can no longer change
            if not tf.config.experimental.get_memory_growth(gpu):
                raise RuntimeError(
                    "lc.setup must run before anything uses the GPU (memory growth cannot be "
                    "enabled afterwards): restart the kernel and call lc.setup first."
                ) from None
    return gpus


def setup(
    seed: int = 42, *, deterministic: bool = True, theme: bool = True, verbose: bool = True
) -> RunInfo:
    """Seed Python, NumPy and TensorFlow, enable op determinism, quiet TF logs, print a report.

    Args:
        seed: the chapter's non-negative integer seed. ``LSTM_COURSE_SEED_OFFSET`` is added
            to it, and the sum (``RunInfo.seed``) seeds ``random``, ``numpy`` and
            ``tensorflow``; chapters derive every other draw from ``RunInfo.seed``.
        deterministic: enable ``tf.config.experimental.enable_op_determinism()`` so that
            re-running a cell gives the same numbers (slower on GPU; see the GPU chapter).
        theme: apply the course plotting theme (``lstm_course.plots.set_theme``).
        verbose: print the report (profile, versions, devices, and whether the versions are
            one of the two tested stacks: the pinned one or Colab's, see ``lstm_course.stacks``).

    TensorFlow's C++ runtime writes a few lines to stderr when it loads (before its logging
    is initialised, so no log level silences them); chapters tag the setup cell
    ``remove-stderr`` so they stay out of the website.

    Returns:
        A ``RunInfo`` describing the configured run.
    """
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    if not 0 <= seed < 2**32:
        raise ValueError(f"seed must be in [0, 2**32), got {seed}")
    offset = seed_offset()
    if seed + offset >= 2**32:
        raise ValueError(f"seed {seed} + {SEED_OFFSET_ENV} {offset} must be below 2**32")
    global _determinism_enabled
    if not deterministic and _determinism_enabled:
        raise ValueError(
            "deterministic=False, but op determinism was already enabled in this process and "
            "TensorFlow cannot switch it off: restart the kernel, then call setup(..., "
            "deterministic=False) first."
        )
    profile = current_profile()
    _quiet_tensorflow_logs()

    import keras
    import numpy as np
    import pandas as pd
    import tensorflow as tf

    tf.get_logger().setLevel("ERROR")
    _configure_gpus(tf)
    keras.utils.set_random_seed(seed + offset)  # seeds `random`, NumPy's global RNG and TensorFlow
    if deterministic:
        tf.config.experimental.enable_op_determinism()
        _determinism_enabled = True
    if theme:
        set_theme()

    devices = tuple(
        f"{d.device_type}:{d.name.rsplit(':', 1)[-1]}" for d in tf.config.list_physical_devices()
    )
    info = RunInfo(
        seed=seed + offset,
        base_seed=seed,
        seed_offset=offset,
        profile=profile,
        python=f"{platform.python_version()} ({sys.platform})",
        tensorflow=tf.__version__,
        keras=keras.__version__,
        numpy=np.__version__,
        devices=devices,
        deterministic=deterministic,
        tf32=tf.config.experimental.tensor_float_32_execution_enabled(),
        onednn={"0": "off", "1": "on"}.get(os.environ.get("TF_ENABLE_ONEDNN_OPTS", ""), "default"),
        intra_op_threads=os.environ.get("TF_NUM_INTRAOP_THREADS", "") or "default",
        pandas=pd.__version__,
        stack=running_stack_line(),
    )
    if verbose:
        print(info.report())
    return info
