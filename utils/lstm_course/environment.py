"""``setup()``: the first call in every chapter (seeds, determinism, quiet logs, a report)."""

from __future__ import annotations

import os
import platform
import sys
from dataclasses import dataclass

from .plots import set_theme
from .profiles import current_profile


@dataclass(frozen=True)
class RunInfo:
    """What ``setup`` configured and reports: versions, devices and the run profile."""

    seed: int
    profile: str
    python: str
    tensorflow: str
    keras: str
    numpy: str
    devices: tuple[str, ...]
    deterministic: bool

    def report(self) -> str:
        lines = [
            f"profile     : {self.profile}",
            f"seed        : {self.seed} (op determinism {'on' if self.deterministic else 'off'})",
            f"python      : {self.python}",
            f"tensorflow  : {self.tensorflow}",
            f"keras       : {self.keras}",
            f"numpy       : {self.numpy}",
            f"devices     : {', '.join(self.devices)}",
        ]
        return "\n".join(lines)


# TensorFlow offers no public way to turn op determinism off again within a process.
_determinism_enabled = False


def _quiet_tensorflow_logs() -> None:
    # TF reads TF_CPP_MIN_LOG_LEVEL when its C++ runtime loads, so this only takes full effect
    # when set before the first `import tensorflow`; setdefault keeps a user's own choice.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def setup(
    seed: int = 42, *, deterministic: bool = True, theme: bool = True, verbose: bool = True
) -> RunInfo:
    """Seed Python, NumPy and TensorFlow, enable op determinism, quiet TF logs, print a report.

    Args:
        seed: non-negative integer used for ``random``, ``numpy`` and ``tensorflow``.
        deterministic: enable ``tf.config.experimental.enable_op_determinism()`` so that
            re-running a cell gives the same numbers (slower on GPU; see the GPU chapter).
        theme: apply the course plotting theme (``lstm_course.plots.set_theme``).
        verbose: print the report (profile, versions, devices).

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
    import tensorflow as tf

    tf.get_logger().setLevel("ERROR")
    keras.utils.set_random_seed(seed)  # seeds `random`, NumPy's global RNG and TensorFlow
    if deterministic:
        tf.config.experimental.enable_op_determinism()
        _determinism_enabled = True
    if theme:
        set_theme()

    devices = tuple(
        f"{d.device_type}:{d.name.rsplit(':', 1)[-1]}" for d in tf.config.list_physical_devices()
    )
    info = RunInfo(
        seed=seed,
        profile=profile,
        python=f"{platform.python_version()} ({sys.platform})",
        tensorflow=tf.__version__,
        keras=keras.__version__,
        numpy=np.__version__,
        devices=devices,
        deterministic=deterministic,
    )
    if verbose:
        print(info.report())
    return info
