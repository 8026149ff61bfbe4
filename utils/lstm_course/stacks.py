"""The two library stacks the course is tested on, and how the running one compares.

The course is tested on its own pins (``requirements/course.txt``, "pinned") and on
Colab's preinstalled versions (``requirements/colab.txt``, "Colab"), which ``make
colab-stack`` runs every notebook on. ``setup`` prints :func:`stack_line`: which of the two
the running versions match, or, in one line, how they differ from the nearer one.
"""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

# The libraries whose versions decide what a chapter computes (as pip names them).
LIBRARIES = ("tensorflow", "keras", "numpy", "pandas", "matplotlib", "seaborn",
             "scikit-learn", "statsmodels")
STACK_FILES = {"pinned": "course.txt", "Colab": "colab.txt"}
REQUIREMENTS = Path(__file__).resolve().parents[2] / "requirements"
_PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;#]+)")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(path: Path) -> dict[str, str]:
    """``{library: version}`` of every ``name==version`` line of a requirements file.

    Names are normalised as pip does (``scikit_learn`` -> ``scikit-learn``). Raises
    ``FileNotFoundError`` if the file is missing and ``ValueError`` if it pins nothing.
    """
    path = Path(path)
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            pins[_normal(match.group(1))] = match.group(2)
    if not pins:
        raise ValueError(f"{path} pins no library (expected lines like 'keras==3.15.1')")
    return pins


def tested_stacks(folder: Path = REQUIREMENTS) -> dict[str, dict[str, str]]:
    """The versions of ``LIBRARIES`` in each tested stack.

    Returns ``{"pinned": {library: version}, "Colab": {library: version}}``; raises
    ``ValueError`` when a stack file does not pin one of the libraries.
    """
    stacks = {}
    for stack, name in STACK_FILES.items():
        pins = read_pins(Path(folder) / name)
        missing = [library for library in LIBRARIES if library not in pins]
        if missing:
            raise ValueError(f"{Path(folder) / name} does not pin {', '.join(missing)}")
        stacks[stack] = {library: pins[library] for library in LIBRARIES}
    return stacks


def installed_versions() -> dict[str, str]:
    """The installed version of each of ``LIBRARIES`` ("missing" when not installed)."""
    versions = {}
    for library in LIBRARIES:
        try:
            versions[library] = metadata.version(library)
        except metadata.PackageNotFoundError:
            versions[library] = "missing"
    return versions


def stack_line(installed: dict[str, str], stacks: dict[str, dict[str, str]]) -> str:
    """One line: the tested stack that ``installed`` matches, or how it differs from the nearer.

    Example: ``"Colab's tested stack"`` or ``"WARNING: untested versions: tensorflow 2.19.0
    (Colab: 2.20.0), ... (the nearest tested stack is Colab's)"``.
    """
    if not stacks:
        raise ValueError("no tested stack to compare with")
    differences = {
        stack: [library for library in pins if installed.get(library) != pins[library]]
        for stack, pins in stacks.items()}
    nearest = min(differences, key=lambda stack: len(differences[stack]))
    if not differences[nearest]:
        return f"the {nearest} stack (tested)"
    listed = ", ".join(f"{library} {installed.get(library, 'missing')} "
                       f"({nearest}: {stacks[nearest][library]})"
                       for library in differences[nearest])
    return (f"WARNING: untested versions: {listed}; nearest tested stack: {nearest} "
            "(see the README, 'Tested stacks')")


def running_stack_line(folder: Path = REQUIREMENTS) -> str:
    """:func:`stack_line` for this Python's installed libraries, or why it cannot say."""
    try:
        stacks = tested_stacks(folder)
    except (OSError, ValueError) as error:
        return f"not compared with the tested stacks ({error})"
    return stack_line(installed_versions(), stacks)
