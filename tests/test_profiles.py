import pytest

import lstm_course as lc
from lstm_course.profiles import ENV_VAR


def test_default_profile_is_book(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert lc.current_profile() == "book"


@pytest.mark.parametrize("raw, expected", [("full", "full"), (" SMOKE ", "smoke"), ("", "book")])
def test_profile_is_read_from_environment(monkeypatch, raw, expected):
    monkeypatch.setenv(ENV_VAR, raw)
    assert lc.current_profile() == expected


def test_unknown_profile_is_an_error_not_a_fallback(monkeypatch):
    monkeypatch.setenv(ENV_VAR, "fast")
    with pytest.raises(ValueError, match="not a run profile.*book, full, smoke"):
        lc.current_profile()


def test_by_profile_picks_the_active_value(monkeypatch):
    monkeypatch.setenv(ENV_VAR, "full")
    assert lc.by_profile(book=20, full=200, smoke=1) == 200
    monkeypatch.setenv(ENV_VAR, "smoke")
    assert lc.by_profile(book=20, full=200, smoke=1) == 1
    assert lc.by_profile(book=20, full=200) == 20  # smoke falls back to book
