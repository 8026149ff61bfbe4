"""Full-profile downloads: a verified copy in the cache folder, or a clear offline error."""

from __future__ import annotations

import os
import pathlib
import socket
import urllib.parse

from .files import sha256
from .registry import DatasetInfo

CACHE_ENV_VAR = "LSTM_COURSE_CACHE"


def cache_dir() -> pathlib.Path:
    """Where downloads are kept: ``$LSTM_COURSE_CACHE``, else Keras' ``~/.keras``."""
    return pathlib.Path(os.environ.get(CACHE_ENV_VAR) or pathlib.Path.home() / ".keras")


def file_matches(path: pathlib.Path, info: DatasetInfo) -> bool:
    if info.sha256 is not None:
        return sha256(path.read_bytes()) == info.sha256
    return path.stat().st_size == info.size_bytes


def check_reachable(url: str, info: DatasetInfo, timeout_s: float = 5.0) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        socket.create_connection((parts.hostname, port), timeout=timeout_s).close()
    except OSError as exc:
        raise ConnectionError(
            f"{info.name} must be downloaded from {parts.hostname}, which cannot be reached "
            f"({exc}). Offline, use the book-profile alternative: {info.alternative}."
        ) from exc


def download(info: DatasetInfo) -> pathlib.Path:
    """Path of a verified copy of a full-profile file, downloading it if needed.

    A cached copy whose checksum (or, where no sha256 is published, whose size) does not
    match is deleted and fetched again; a fresh download that does not match is deleted and
    reported with a ``ValueError``.
    """
    url = info.location.removeprefix("url:")
    fname = pathlib.PurePosixPath(urllib.parse.urlsplit(url).path).name
    target = cache_dir() / "datasets" / fname
    if target.exists():
        if file_matches(target, info):
            return target
        print(f"{target} does not match its recorded checksum/size; downloading it again.")
        target.unlink()
    check_reachable(url, info)
    # Keras silently falls back to /tmp/.keras when the cache folder does not exist yet.
    target.parent.mkdir(parents=True, exist_ok=True)
    import keras  # Deferred: importing lstm_course must not import TensorFlow.

    try:
        path = pathlib.Path(
            keras.utils.get_file(
                fname=fname,
                origin=url,
                file_hash=info.sha256,
                hash_algorithm="sha256",
                cache_dir=str(cache_dir()),
                cache_subdir="datasets",
            )
        )
    except ValueError as exc:  # Keras' sha256 mismatch: it keeps the bad file, we do not.
        target.unlink(missing_ok=True)
        raise ValueError(
            f"the download of {info.name} from {url} does not have sha256 {info.sha256}; "
            f"it was deleted. Try again, or use {info.alternative}."
        ) from exc
    if path != target:
        raise RuntimeError(f"keras.utils.get_file stored {url} at {path}, expected {target}")
    # Keras has checked a pinned sha256 already; without one, check the size.
    if info.sha256 is None and not file_matches(path, info):
        size = path.stat().st_size
        path.unlink()
        raise ValueError(
            f"the download of {info.name} from {url} has {size} bytes, expected "
            f"{info.size_bytes}; it was deleted. Try again, or use {info.alternative}."
        )
    return path
