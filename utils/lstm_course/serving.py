"""Use an exported model the way a server does: in a fresh process, from numbered folders.

``run_saved_model`` calls one signature of a SavedModel in a new Python process that
imports only TensorFlow and NumPy, so a test of an export cannot lean on objects that
happen to live in the notebook. ``next_version``/``latest_version`` follow TensorFlow
Serving's layout (``base/1``, ``base/2``, ...), and ``write_manifest``/``read_manifest``
keep what a deployer needs to know next to the model, in ``assets.extra/manifest.json``
(a folder TensorFlow Serving leaves alone).

This module does not import TensorFlow: the parent process only writes and reads ``.npz``
files.
"""

from __future__ import annotations

import datetime
import json
import os
import pathlib
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata

import numpy as np

from ._process import child_env, failure_message, run_child

MANIFEST = pathlib.Path("assets.extra") / "manifest.json"

# Exit codes of the child process, for errors the caller can act on.
_NO_SIGNATURE = 3
_REJECTED = 4

# The child program: a script run by path, alone in its folder (see its docstring); exit
# codes below.
_CHILD = pathlib.Path(__file__).with_name("_serving_child") / "serve_once.py"


class RejectedInput(ValueError):
    """The signature refused the inputs (wrong shape or dtype, or a failed check in the model)."""


@dataclass(frozen=True)
class ServingResult:
    """What a fresh process returned.

    ``outputs`` maps each output name of the signature to its array; ``seconds`` is the
    child's wall time from start to result (importing TensorFlow, loading, one call).
    """

    outputs: dict[str, np.ndarray]
    seconds: float


def _saved_model_dir(export_dir) -> pathlib.Path:
    if not isinstance(export_dir, (str, os.PathLike)):
        raise TypeError(f"export_dir must be a path, got {type(export_dir).__name__}")
    path = pathlib.Path(export_dir)
    if not (path / "saved_model.pb").is_file():
        raise ValueError(
            f"{path} is not a SavedModel folder (no saved_model.pb): pass the folder that "
            "model.export() or ExportArchive.write_out() wrote."
        )
    return path.resolve()


def _check_inputs(inputs) -> dict[str, np.ndarray]:
    if not isinstance(inputs, Mapping) or not inputs:
        raise TypeError(
            "inputs must be a non-empty mapping {input name: array}, as the signature's "
            f"keyword arguments; got {type(inputs).__name__}"
        )
    arrays = {}
    for name, value in inputs.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"input name {name!r} is not a valid keyword argument name")
        array = np.asarray(value)
        if array.dtype == object:
            raise TypeError(f"input {name!r} is not numeric or string data (dtype object)")
        arrays[name] = array
    return arrays


def run_saved_model(
    export_dir, inputs: Mapping[str, np.ndarray], *, signature: str = "serving_default",
    timeout: float = 300.0,
) -> ServingResult:
    """Call ``signature`` of the SavedModel in ``export_dir`` in a new Python process.

    ``inputs`` are the signature's keyword arguments (name -> array). The child sees a
    clean ``PYTHONPATH`` and runs in an empty folder, so it finds only installed packages,
    and no GPU (a CPU server: an export traced on a GPU with cuDNN ops fails here, as it
    would on such a server).

    Raises ``ValueError`` when the folder is not a SavedModel or has no such signature,
    ``RejectedInput`` (a ``ValueError``) with TensorFlow's message when the signature
    refuses the inputs, and ``RuntimeError`` with the child's output for any other failure
    or after ``timeout`` seconds.
    """
    path = _saved_model_dir(export_dir)
    arrays = _check_inputs(inputs)
    if not isinstance(signature, str) or not signature:
        raise TypeError("signature must be a non-empty string, e.g. 'serving_default'")
    # installed packages only, and a CPU server: an export that needs a GPU-only op fails here
    env = child_env(helpers=False, TF_CPP_MIN_LOG_LEVEL="2")
    with tempfile.TemporaryDirectory(prefix="lstm-course-serving-") as work:
        work = pathlib.Path(work)
        np.savez(work / "inputs.npz", **arrays)
        command = [sys.executable, str(_CHILD), str(path), signature,
                   str(work / "inputs.npz"), str(work / "outputs.npz"), str(work / "meta.json")]
        child = run_child(command, what="the serving process", timeout=timeout, env=env,
                          cwd=work)
        if child.returncode in (_NO_SIGNATURE, _REJECTED):
            message = json.loads((work / "meta.json").read_text())["message"]
            if child.returncode == _NO_SIGNATURE:
                raise ValueError(f"{path} has no signature {signature!r}; it has: {message}")
            raise RejectedInput(f"signature {signature!r} rejected the inputs: {message}")
        if child.returncode != 0:
            raise RuntimeError(failure_message("the serving process", child, lines=40))
        with np.load(work / "outputs.npz") as stored:
            outputs = {name: stored[name] for name in stored.files}
        meta = json.loads((work / "meta.json").read_text())
    return ServingResult(outputs, float(meta["seconds"]))


def _base_dir(base_dir) -> pathlib.Path:
    if not isinstance(base_dir, (str, os.PathLike)):
        raise TypeError(f"base_dir must be a path, got {type(base_dir).__name__}")
    return pathlib.Path(base_dir)


def _versions(base: pathlib.Path) -> list[int]:
    if not base.exists():
        return []
    if not base.is_dir():
        raise ValueError(f"{base} exists and is not a folder")
    versions, others = [], []
    for entry in base.iterdir():
        if entry.is_dir() and entry.name.isdigit() and entry.name == str(int(entry.name)):
            versions.append(int(entry.name))
        elif not entry.name.startswith("."):
            others.append(entry.name)
    if others:
        raise ValueError(
            f"{base} holds {sorted(others)} next to the numbered versions; a model base folder "
            "may hold only folders named 1, 2, 3, ... (no leading zeros)"
        )
    return sorted(versions)


def next_version(base_dir) -> pathlib.Path:
    """The folder for the next version: ``base_dir/(highest + 1)``, or ``base_dir/1``.

    The folder is not created. Raises ``ValueError`` if ``base_dir`` holds anything other
    than numbered version folders.
    """
    base = _base_dir(base_dir)
    versions = _versions(base)
    return base / str(versions[-1] + 1 if versions else 1)


def latest_version(base_dir) -> pathlib.Path:
    """The highest-numbered version folder, the one TensorFlow Serving serves by default.

    Raises ``ValueError`` when there is none.
    """
    base = _base_dir(base_dir)
    versions = _versions(base)
    if not versions:
        raise ValueError(f"{base} has no version folders (1, 2, ...) yet")
    return base / str(versions[-1])


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def write_manifest(version_dir, **fields) -> pathlib.Path:
    """Write ``version_dir/assets.extra/manifest.json`` and return its path.

    The manifest holds ``fields`` (JSON-serialisable values: metrics, the input spec, the
    training data range, ...) plus the UTC creation time and the Python, TensorFlow, Keras
    and NumPy versions. Raises ``ValueError`` if ``version_dir`` is not a SavedModel folder
    or a field name is reserved, ``TypeError`` if a value is not JSON-serialisable.
    """
    path = _saved_model_dir(version_dir)
    recorded = {
        "created_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "tensorflow": _package_version("tensorflow"),
        "keras": _package_version("keras"),
        "numpy": _package_version("numpy"),
    }
    clash = sorted(set(fields) & set(recorded))
    if clash:
        raise ValueError(f"manifest fields {clash} are recorded automatically; rename yours")
    try:
        text = json.dumps({**fields, **recorded}, indent=2, sort_keys=True)
    except TypeError as error:
        raise TypeError(f"manifest values must be JSON-serialisable: {error}") from error
    target = path / MANIFEST
    target.parent.mkdir(exist_ok=True)
    target.write_text(text + "\n")
    return target


def read_manifest(version_dir) -> dict:
    """The manifest written by ``write_manifest``; ``ValueError`` if there is none."""
    path = _saved_model_dir(version_dir)
    if not (path / MANIFEST).is_file():
        raise ValueError(f"{path} has no {MANIFEST}; write one with write_manifest()")
    return json.loads((path / MANIFEST).read_text())
