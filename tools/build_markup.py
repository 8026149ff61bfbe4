"""Build the book with notebook execution off, treating every Sphinx warning as an error.

Used by ``make test``: it checks markup, cross-references, citations and the table of
contents in seconds, without running any notebook (nbval does that). Writes the derived
configuration and the HTML under ``_build/markup``.
"""

from __future__ import annotations

import pathlib
import subprocess
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
OUT = ROOT / "_build" / "markup"


def main() -> int:
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config.setdefault("execute", {})["execute_notebooks"] = "off"
    # The derived config lives in _build/markup: local extension folders must stay absolute.
    local = config.get("sphinx", {}).get("local_extensions") or {}
    for name, folder in local.items():
        local[name] = str((ROOT / folder).resolve())
    OUT.mkdir(parents=True, exist_ok=True)
    derived = OUT / "_config.yml"
    derived.write_text(yaml.safe_dump(config, sort_keys=False))
    command = [
        str(pathlib.Path(sys.executable).with_name("jupyter-book")),
        "build", str(ROOT),
        "--config", str(derived),
        "--path-output", str(OUT),
        "--all", "-W", "-n", "--keep-going",
    ]
    return subprocess.run(command, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
