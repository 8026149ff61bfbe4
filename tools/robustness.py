"""The perturbation harness: every notebook under nbval, once per perturbed configuration.

A result that holds only on the machine it was tuned on is not a result. This runs each
notebook (book profile) under the configurations a reader's machine can bring: other seeds
(``LSTM_COURSE_SEED_OFFSET``, added to every chapter's seed by ``lc.setup``), oneDNN off (with
seed + 1, what ``make nbval-perturbed`` runs), and one intra-op thread with two notebooks at
once (what ``make nbval`` runs in CI); it records pass or the failing cell and its error, and
the time.

    python tools/robustness.py run [--configs seed+1 ...] [--notebooks chapters/04-*.ipynb]
    python tools/robustness.py table --out reference/robustness.md
    python tools/robustness.py exec -- python my_seed_study.py   # any command, cores locked
    python tools/robustness.py run --configs "Colab stack" --colab-table reference/colab-stack.md

The configuration "Colab stack" (``make colab-stack``) is not a perturbation of the pinned
stack but the other stack readers run: Colab's library versions in ``.venv-colab``, with the
helpers taken from ``utils/`` on the path as the Colab bootstrap cell does. It has its own
table page, and its results also depend on ``requirements/colab.txt``.

Results are kept per (configuration, notebook) in ``_build/robustness/results`` together with
hashes of the notebook's code cells and of the helper package (a prose edit keeps a result);
``run`` re-runs only what is missing or stale (``--force`` re-runs everything), and ``table``
reports only results that match the current files, so the committed table always describes
the committed code.

Runs take a lock on the machine's cores (``_build/robustness/*.lock``): a normal run holds
both slots, a one-thread run one slot, so two harness processes (or a harness and a
one-off check) never time each other's notebooks.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.nbbudget import REFERENCE_ENV, cpu_model, measure_reference  # noqa: E402

STATE = ROOT / "_build" / "robustness"
RESULTS = STATE / "results"
LOCK_SLOTS = 2


@dataclass(frozen=True)
class Config:
    name: str
    env: dict[str, str]
    cores: int  # lock slots the run holds
    what: str
    python: str | None = None  # the interpreter, relative to ROOT (None: this one)


CONFIGS = {
    c.name: c
    for c in [
        Config("default", {}, 2, "one notebook at a time, default threads (as make book runs it)"),
        Config("seed+1", {"LSTM_COURSE_SEED_OFFSET": "1"}, 2, "every seed + 1"),
        Config("seed+2", {"LSTM_COURSE_SEED_OFFSET": "2"}, 2, "every seed + 2"),
        Config("seed+3", {"LSTM_COURSE_SEED_OFFSET": "3"}, 2, "every seed + 3"),
        Config("oneDNN off, seed+1", {"TF_ENABLE_ONEDNN_OPTS": "0", "LSTM_COURSE_SEED_OFFSET": "1"},
               2, "TF_ENABLE_ONEDNN_OPTS=0 and every seed + 1: what make nbval-perturbed runs"),
        Config("1 thread", {"TF_NUM_INTRAOP_THREADS": "1", "OMP_NUM_THREADS": "1"}, 1,
               "TF_NUM_INTRAOP_THREADS=1, two notebooks at a time: what make nbval runs in CI"),
    ]
}


COLAB_STACK = Config(
    "Colab stack", {"PYTHONPATH": "utils"}, 2,
    "Colab's library versions (requirements/colab.txt, .venv-colab), helpers from utils/",
    python=".venv-colab/bin/python")
ALL_CONFIGS = {**CONFIGS, COLAB_STACK.name: COLAB_STACK}


def notebooks() -> list[pathlib.Path]:
    """Every notebook nbval runs in ``make test``: chapters/ then reference/."""
    return sorted((ROOT / "chapters").glob("*.ipynb")) + sorted(
        (ROOT / "reference").glob("*.ipynb"))


def sha256(paths) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def helpers_hash(config: Config | None = None) -> str:
    """Hash of what every notebook depends on besides itself: helpers, data, pins.

    The pins are those of the stack ``config`` runs on: colab.txt for the Colab stack,
    every other requirements file for the rest.
    """
    files = sorted((ROOT / "utils").rglob("*.py")) + sorted((ROOT / "data").rglob("*"))
    colab = config is COLAB_STACK
    files += sorted(f for f in (ROOT / "requirements").glob("*.txt")
                    if (f.name == "colab.txt") == colab)
    return sha256([f for f in files if f.is_file() and "__pycache__" not in f.parts])


def code_hash(notebook: pathlib.Path) -> str:
    """Hash of what a notebook executes: its code cells' source and tags, not its prose.

    A markdown edit cannot change a run's outcome, so it does not make a result stale.
    """
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    code = [["".join(cell["source"]), cell.get("metadata", {}).get("tags", [])]
            for cell in cells if cell["cell_type"] == "code"]
    return hashlib.sha256(json.dumps(code).encode()).hexdigest()


def result_path(config: str, notebook: pathlib.Path) -> pathlib.Path:
    slug = re.sub(r"[^a-z0-9]+", "-", config.lower()).strip("-")
    return RESULTS / slug / f"{notebook.parent.name}--{notebook.stem}.json"


def load_result(config: str, notebook: pathlib.Path) -> dict | None:
    path = result_path(config, notebook)
    return json.loads(path.read_text()) if path.exists() else None


def is_fresh(result: dict | None, notebook: pathlib.Path, helpers: str) -> bool:
    return (result is not None and result.get("code_sha256") == code_hash(notebook)
            and result["helpers_sha256"] == helpers)


@contextlib.contextmanager
def core_lock(cores: int):
    """Hold ``cores`` of the ``LOCK_SLOTS`` slot locks for the duration of a run.

    Every run first queues on one gate lock and takes its slots while holding it, so a
    one-slot run cannot be starved by a stream of two-slot runs (or the reverse).
    """
    STATE.mkdir(parents=True, exist_ok=True)
    gate = open(STATE / "gate.lock", "w")  # noqa: SIM115
    handles = [open(STATE / f"slot{i}.lock", "w") for i in range(LOCK_SLOTS)]  # noqa: SIM115
    held = []
    try:
        fcntl.flock(gate, fcntl.LOCK_EX)
        try:
            if cores >= LOCK_SLOTS:
                for handle in handles:  # always in the same order: no deadlock
                    fcntl.flock(handle, fcntl.LOCK_EX)
                    held.append(handle)
            else:
                while not held:
                    for handle in handles:
                        try:
                            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        except BlockingIOError:
                            continue
                        held.append(handle)
                        break
                    else:
                        time.sleep(0.2)
        finally:
            fcntl.flock(gate, fcntl.LOCK_UN)
        yield
    finally:
        for handle in held:
            fcntl.flock(handle, fcntl.LOCK_UN)
        for handle in [*handles, gate]:
            handle.close()


def first_failure(junit: pathlib.Path) -> tuple[str, str] | None:
    """(cell, last error line) of the first failing nbval item in a JUnit XML file."""
    if not junit.exists():
        return ("(no report)", "pytest wrote no JUnit report")
    for case in ET.parse(junit).getroot().iter("testcase"):
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        if problem is None:
            continue
        text = "\n".join(filter(None, [problem.get("message", ""), problem.text or ""]))
        text = re.sub(r"(\x1b|#x1B)\[[0-9;]*m", "", text)  # colour codes (escaped in XML)
        errors = [line.strip() for line in text.splitlines()
                  if re.match(r"\s*[A-Za-z_.]*(Error|Exception|Interrupt)\b", line)]
        return case.get("name", "?"), (errors[-1] if errors else text.strip()[-300:])
    return None


def interpreter(config: Config) -> str:
    """The Python that runs ``config``'s notebooks; a clear error if its venv is missing."""
    if config.python is None:
        return sys.executable
    python = ROOT / config.python
    if not python.exists():
        raise SystemExit(f"{config.name}: {python} is missing; make colab-venv creates it")
    return str(python)


def config_env(config: Config) -> dict[str, str]:
    """This process's environment with ``config``'s settings, and no other configuration's."""
    # PYTHONPATH entries are relative to the repository (the kernel starts in chapters/)
    settings = {name: (str(ROOT / value) if name == "PYTHONPATH" else value)
                for name, value in config.env.items()}
    env = {**os.environ, "LSTM_COURSE_PROFILE": "book", **settings}
    for name in ("LSTM_COURSE_SEED_OFFSET", "TF_ENABLE_ONEDNN_OPTS", "TF_NUM_INTRAOP_THREADS",
                 "OMP_NUM_THREADS", "PYTHONPATH"):
        if name not in config.env:
            env.pop(name, None)
    return env


_REFERENCE: dict[str, str] = {}


def reference_seconds(config: Config) -> str:
    """The budget plugin's reference workload under ``config``, measured once per harness
    process (instead of once per notebook run), passed to each run's budget plugin. A value
    already set in ``LSTM_COURSE_REFERENCE_SECONDS`` is used as it is."""
    fixed = os.environ.get(REFERENCE_ENV, "").strip()
    if fixed:
        return fixed
    if config.name not in _REFERENCE:
        with core_lock(config.cores):
            seconds = measure_reference(python=interpreter(config), env=config_env(config))
        _REFERENCE[config.name] = repr(seconds)
    return _REFERENCE[config.name]


def run_one(config: Config, notebook: pathlib.Path, helpers: str) -> dict:
    """Run one notebook under nbval with ``config``'s environment; store and return the result."""
    env = {**config_env(config), REFERENCE_ENV: reference_seconds(config)}
    code = code_hash(notebook)  # of what runs, before it runs: an edit meanwhile makes it stale
    with tempfile.TemporaryDirectory() as tmp, core_lock(config.cores):
        junit = pathlib.Path(tmp) / "junit.xml"
        started = time.perf_counter()
        proc = subprocess.run(
            [interpreter(config), "-m", "pytest", "--nbval-lax", "--nbval-current-env",
             "--nbval-cell-timeout=900", "-p", "no:cacheprovider", "-q",
             f"--junitxml={junit}", str(notebook.relative_to(ROOT))],
            cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        failure = first_failure(junit) if proc.returncode else None
        if proc.returncode and failure is None:
            failure = ("(pytest)", (proc.stdout + proc.stderr).strip()[-300:])
    result = {
        "notebook": notebook.relative_to(ROOT).as_posix(),
        "config": config.name,
        "passed": proc.returncode == 0,
        "cell": failure[0] if failure else None,
        "error": failure[1] if failure else None,
        "seconds": round(seconds, 1),
        "code_sha256": code,
        "helpers_sha256": helpers,
        "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
    path = result_path(config.name, notebook)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=1))
    return result


def select_notebooks(patterns: list[str] | None) -> list[pathlib.Path]:
    everything = notebooks()
    if not patterns:
        return everything
    chosen = []
    for pattern in patterns:
        matches = [nb for nb in everything
                   if nb.match(pattern) or nb.relative_to(ROOT).as_posix() == pattern]
        if not matches:
            raise SystemExit(f"no notebook matches {pattern!r}; notebooks live in chapters/ "
                             "and reference/")
        chosen += [m for m in matches if m not in chosen]
    return chosen


def select_configs(names: list[str] | None) -> list[Config]:
    if not names:
        return list(CONFIGS.values())
    unknown = [n for n in names if n not in ALL_CONFIGS]
    if unknown:
        raise SystemExit(f"unknown configuration(s) {unknown}; choose from {list(ALL_CONFIGS)}")
    return [ALL_CONFIGS[n] for n in names]


def command_run(args) -> int:
    configs = select_configs(args.configs)
    for config in configs:
        interpreter(config)  # fail before any run if a stack's venv is missing
    jobs = [(config, nb) for config in configs for nb in select_notebooks(args.notebooks)
            if args.force or not is_fresh(load_result(config.name, nb), nb, helpers_hash(config))]
    print(f"{len(jobs)} run(s) to do", flush=True)

    def work(job):
        config, nb = job
        result = run_one(config, nb, helpers_hash(config))
        status = "pass" if result["passed"] else f"FAIL {result['cell']}: {result['error']}"
        print(f"{config.name:>10}  {nb.name:<40} {result['seconds']:7.1f} s  {status}",
              flush=True)
        return result

    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(work, jobs))
    if args.table:
        write_table(pathlib.Path(args.table))
    if args.colab_table:
        write_colab_table(pathlib.Path(args.colab_table))
    return 0 if all(r["passed"] for r in results) else 1


VERSIONS_SCRIPT = """
import importlib.metadata as m, platform
names = ("tensorflow", "keras", "numpy", "pandas", "scikit-learn")
print(", ".join([f"Python {platform.python_version()}"] + [f"{p} {m.version(p)}" for p in names]))
"""


def versions(python: str | None = None) -> str:
    """Python's and the main libraries' versions, as seen by ``python`` (default: this one)."""
    out = subprocess.run([python or sys.executable, "-c", VERSIONS_SCRIPT],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def cell_text(result: dict | None, fresh: bool) -> str:
    if result is None or not fresh:
        return "not run"
    if result["passed"]:
        return f"pass, {result['seconds']:.0f} s"
    error = result["error"].replace("|", "\\|")
    return f"**FAIL** {result['cell']}: `{error[:160]}`"


def result_rows(configs: list[Config]) -> tuple[list[str], int, int]:
    """Table rows (one per notebook, then the totals) and (failing, missing or stale) counts."""
    nbs = notebooks()
    lines = [
        "| notebook | " + " | ".join(c.name for c in configs) + " |",
        "|---|" + "---|" * len(configs),
    ]
    missing = failing = 0
    for nb in nbs:
        row = []
        for c in configs:
            result = load_result(c.name, nb)
            fresh = is_fresh(result, nb, helpers_hash(c))
            missing += not fresh
            failing += fresh and not result["passed"]
            row.append(cell_text(result, fresh))
        lines.append(f"| `{nb.relative_to(ROOT).as_posix()}` | " + " | ".join(row) + " |")
    totals = []
    for c in configs:
        results = [load_result(c.name, nb) for nb in nbs]
        if all(is_fresh(r, nb, helpers_hash(c)) for r, nb in zip(results, nbs, strict=True)):
            totals.append(f"{sum(r['seconds'] for r in results):.0f} s")
        else:
            totals.append("incomplete")
    lines.append("| **total** | " + " | ".join(totals) + " |")
    print(f"{len(nbs) * len(configs)} cells: {failing} failing, {missing} not run or stale",
          file=sys.stderr)
    return lines, failing, missing


def write_table(out: pathlib.Path | None) -> tuple[int, int]:
    """Write (or print) the markdown table; return (failing, missing or stale) cell counts."""
    helpers = helpers_hash()
    configs = list(CONFIGS.values())
    rows, failing, missing = result_rows(configs)
    lines = [
        "# Robustness of the results",
        "",
        "Every assert on a trained result or a timing in this course must hold on a reader's",
        "machine, not only on the one it was written on. This table is the evidence: every",
        "notebook run under nbval (book profile) once per configuration, each one a",
        "perturbation a reader's setup can bring. A notebook passes when every cell runs and",
        "every assert holds. `make test` runs the \"1 thread\" configuration (two notebooks",
        "at a time) on every change, and `make book` the default one where its cache has no",
        "run; this table is written by `make robustness`. \"not run\" means no run of the",
        "current notebook code and helpers in that configuration yet.",
        "",
        "| configuration | what changes |",
        "|---|---|",
        *[f"| {c.name} | {c.what} |" for c in configs],
        "",
        f"- Generated: {dt.date.today().isoformat()}, by `make robustness` "
        "(`python tools/robustness.py run`, then `table`)",
        f"- Machine: {cpu_model()}",
        f"- Versions: {versions()}",
        f"- Helper package hash: `{helpers[:12]}`",
        "",
        *rows,
    ]
    lines += ["", "Times are wall seconds of the whole nbval run of one notebook (kernel start "
              "included) on the machine above, with the cores held by that run alone; in the "
              "one-thread configuration two one-core runs share the machine, one core each.", ""]
    _write(out, lines)
    return failing, missing


def _write(out: pathlib.Path | None, lines: list[str]) -> None:
    text = "\n".join(lines)
    if out:
        out.write_text(text)
    else:
        print(text)


def write_colab_table(out: pathlib.Path | None) -> tuple[int, int]:
    """Write (or print) the Colab-stack page; return (failing, missing or stale) counts."""
    rows, failing, missing = result_rows([COLAB_STACK])
    lines = [
        "# The chapters on Colab's library versions",
        "",
        "Readers run the chapters on Colab, whose preinstalled libraries are not the course's",
        "pins. `make colab-stack` installs Colab's versions (`requirements/colab.txt`, taken",
        "from googlecolab/backend-info) into a second venv, runs the helpers' unit tests there,",
        "then every notebook under nbval in the book profile, with the helpers taken from",
        "`utils/` on the path as the Colab bootstrap cell does. A notebook passes when every",
        "cell runs and every assert holds. `make test` runs the unit tests on this stack on",
        "every change; this table is written by `make colab-stack`. It runs on a CPU: the",
        "GPU paths are described in the GPU chapter and are not measured here.",
        "",
        f"- Generated: {dt.date.today().isoformat()}, by `make colab-stack`",
        f"- Machine: {cpu_model()}",
        f"- Versions: {versions(interpreter(COLAB_STACK))} (Colab itself runs Python 3.13)",
        f"- Helper package hash: `{helpers_hash(COLAB_STACK)[:12]}`",
        "",
        *rows,
        "",
        "Times are wall seconds of the whole nbval run of one notebook (kernel start "
        "included) on the machine above.",
        "",
    ]
    _write(out, lines)
    return failing, missing


def command_table(args) -> int:
    writer = write_colab_table if args.colab else write_table
    failing, missing = writer(pathlib.Path(args.out) if args.out else None)
    return 1 if (failing or missing) and args.strict else 0


def command_exec(args) -> int:
    """Run any command while holding the core locks (an experiment that must not overlap)."""
    command = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not command:
        raise SystemExit("exec needs a command after --")
    with core_lock(LOCK_SLOTS if not args.one_core else 1):
        return subprocess.run(command, check=False).returncode


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run missing or stale (configuration, notebook) pairs")
    run.add_argument("--configs", nargs="+", help=f"default: all of {list(CONFIGS)}")
    run.add_argument("--notebooks", nargs="+", help="paths or glob patterns (default: all)")
    run.add_argument("--force", action="store_true", help="re-run fresh results too")
    run.add_argument("--table", help="then write the table to this file (even after failures)")
    run.add_argument("--colab-table", help="then write the Colab-stack page to this file")
    run.add_argument("--jobs", type=int, default=2,
                     help="runs in flight; the core locks keep two-thread runs one at a time")
    table = sub.add_parser("table", help="write the markdown table of the current results")
    table.add_argument("--out", help="file to write (default: stdout)")
    table.add_argument("--colab", action="store_true", help="the Colab-stack page instead")
    table.add_argument("--strict", action="store_true",
                       help="exit 1 if any result is failing, missing or stale")
    execute = sub.add_parser("exec", help="run a command holding the core locks")
    execute.add_argument("--one-core", action="store_true", help="hold one slot, not both")
    execute.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    commands = {"run": command_run, "table": command_table, "exec": command_exec}
    return commands[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
