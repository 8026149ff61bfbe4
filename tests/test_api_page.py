"""reference/api.md documents every public module of lstm_course, each once, in the book."""

import pathlib
import re

import lstm_course as lc
from tests import conventions as cv

PAGE = cv.ROOT / "reference" / "api.md"


def test_every_public_module_is_on_the_api_page_once():
    documented = re.findall(r"^\.\. automodule:: lstm_course\.(\w+)$", PAGE.read_text(),
                            re.MULTILINE)
    assert sorted(documented) == cv.public_modules(pathlib.Path(lc.__file__).parent)
    assert "reference/api" in cv.toc_files(cv.ROOT)
