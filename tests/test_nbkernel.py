"""A kernel that does not start is started again (tests/nbkernel.py), and only that."""

import warnings

import pytest

from tests.nbkernel import KernelStartRetry, start_with_retries
from tests.test_nbval_and_budget import _notebook, _run_nbval


class FlakyStart:
    """A kernel start that raises ``RuntimeError`` its first ``failures`` calls."""

    def __init__(self, failures, error=RuntimeError):
        self.failures, self.error, self.calls = failures, error, 0

    def __call__(self, name):
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error("Kernel didn't respond in 60 seconds")
        return f"kernel {name}"


def test_a_start_that_fails_twice_succeeds_on_the_third_with_two_warnings():
    start = FlakyStart(failures=2)
    with pytest.warns(KernelStartRetry) as retries:
        assert start_with_retries(start, attempts=3)("python3") == "kernel python3"
    assert start.calls == 3 and len(retries) == 2
    assert "kernel start 1 of 3 failed" in str(retries[0].message)


def test_a_start_that_always_fails_fails_after_the_last_attempt():
    start = FlakyStart(failures=10)
    with pytest.warns(KernelStartRetry), pytest.raises(RuntimeError, match="in 3 attempts"):
        start_with_retries(start, attempts=3)("python3")
    assert start.calls == 3


def test_a_start_that_succeeds_is_called_once_without_warnings():
    start = FlakyStart(failures=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert start_with_retries(start)("python3") == "kernel python3"
    assert start.calls == 1


def test_other_errors_are_not_retried():
    start = FlakyStart(failures=1, error=FileNotFoundError)
    with pytest.raises(FileNotFoundError):
        start_with_retries(start)("python3")
    assert start.calls == 1


@pytest.mark.parametrize("attempts", [0, -1, 1.5, True, "3"])
def test_bad_attempts_are_refused(attempts):
    with pytest.raises(ValueError, match="attempts must be a positive int"):
        start_with_retries(FlakyStart(0), attempts=attempts)


def test_a_start_that_is_not_a_function_is_refused():
    with pytest.raises(TypeError, match="start must be a function"):
        start_with_retries("python3")


FIRST_START_FAILS = '''
import nbval.kernel
import pytest


@pytest.hookimpl(tryfirst=True)  # before tests.nbkernel wraps the start
def pytest_configure(config):
    start, calls = nbval.kernel.start_new_kernel, []

    def fails_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("Kernel didn't respond in 60 seconds (simulated)")
        return start(*args, **kwargs)

    nbval.kernel.start_new_kernel = fails_once
'''


@pytest.mark.slow
def test_under_nbval_a_notebook_whose_first_kernel_fails_runs_on_a_second(tmp_path):
    (tmp_path / "first_start_fails.py").write_text(FIRST_START_FAILS)
    _notebook(tmp_path, "01-ok.ipynb", ["x = 1 + 1", "assert x == 2"])
    result = _run_nbval(tmp_path, "-p", "first_start_fails")
    assert result.returncode == 0, result.stdout
    assert "2 passed" in result.stdout
    assert "KernelStartRetry" in result.stdout and "(simulated)" in result.stdout
