"""pytest plugin: start a notebook's kernel again when it does not come up.

nbval starts one kernel per notebook. Under ``make nbval`` two pytest-xdist workers start
kernels at the same moment, and jupyter_client picks each kernel's five TCP ports by binding
port 0 and letting it go; its guard against handing out a port twice works inside one
process only (jupyter_client issue 487), so the other worker's kernel can take a port
first. The new kernel then dies at start-up and nbval waits for it until its start-up
timeout: "Kernel didn't respond in 60 seconds", an error in every cell of a notebook none of
whose code ran (CI saw it once, in tests/test_nbalone.py).

This plugin wraps nbval's kernel start: a start that raises ``RuntimeError`` (nbval has
already shut that kernel down) is tried again with a new kernel and new ports, up to
``ATTEMPTS`` times, each with nbval's own timeout. Every retry is a pytest warning, so it
shows in the run's summary. A kernel that never starts still fails the notebook. Nothing
that runs a notebook's code is retried: the cells' outcomes are untouched.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any

import pytest

ATTEMPTS = 3


class KernelStartRetry(UserWarning):
    """A notebook's kernel did not start and was started again."""


def start_with_retries(start: Callable[..., Any], attempts: int = ATTEMPTS) -> Callable[..., Any]:
    """``start`` (a kernel start function, e.g. ``nbval.kernel.start_new_kernel``) wrapped
    to be called up to ``attempts`` times while it raises ``RuntimeError``; other exceptions
    pass through at once."""
    if not callable(start):
        raise TypeError(f"start must be a function that starts a kernel, got {start!r}")
    if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1:
        raise ValueError(f"attempts must be a positive int, got {attempts!r}")

    @functools.wraps(start)
    def started(*args: Any, **kwargs: Any) -> Any:
        for attempt in range(1, attempts + 1):
            try:
                return start(*args, **kwargs)
            except RuntimeError as error:
                if attempt == attempts:
                    raise RuntimeError(f"the kernel did not start in {attempts} attempts; "
                                       f"the last one: {error}") from error
                warnings.warn(f"kernel start {attempt} of {attempts} failed ({error}); "
                              "starting a new kernel", KernelStartRetry, stacklevel=2)

    started.retries_kernel_start = True
    return started


def pytest_configure(config: pytest.Config) -> None:
    try:
        import nbval.kernel
    except ImportError:  # nbval not installed: no notebook runs here
        return
    if not getattr(nbval.kernel.start_new_kernel, "retries_kernel_start", False):
        nbval.kernel.start_new_kernel = start_with_retries(nbval.kernel.start_new_kernel)
