import pytest

import lstm_course as lc
from lstm_course import stacks

PINNED = {library: "1.0" for library in stacks.LIBRARIES}
COLAB = {**PINNED, "tensorflow": "0.9", "keras": "0.9"}


def test_the_repository_pins_every_library_in_both_stacks():
    tested = stacks.tested_stacks()
    assert set(tested) == {"pinned", "Colab"}
    assert tested["pinned"]["keras"] != tested["Colab"]["keras"]  # two stacks, not one twice


def test_matching_a_stack_names_it_without_a_warning():
    assert stacks.stack_line(PINNED, {"pinned": PINNED, "Colab": COLAB}) == \
        "the pinned stack (tested)"
    assert stacks.stack_line(dict(COLAB), {"pinned": PINNED, "Colab": COLAB}) == \
        "the Colab stack (tested)"


def test_other_versions_warn_in_one_line_against_the_nearer_stack():
    installed = {**COLAB, "numpy": "9.9"}  # one step from Colab's, three from the pins
    line = stacks.stack_line(installed, {"pinned": PINNED, "Colab": COLAB})
    assert line.startswith("WARNING: untested versions: numpy 9.9 (Colab: 1.0)")
    assert "nearest tested stack: Colab" in line and "\n" not in line
    missing = stacks.stack_line({}, {"pinned": PINNED})
    assert "tensorflow missing (pinned: 1.0)" in missing


def test_read_pins_normalises_names_and_refuses_a_file_without_pins(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("# comment\nscikit_learn==1.6.1  # why\nKeras == 3.13.2\n-r other.txt\n")
    assert stacks.read_pins(good) == {"scikit-learn": "1.6.1", "keras": "3.13.2"}
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n")
    with pytest.raises(ValueError, match="pins no library"):
        stacks.read_pins(empty)


def test_a_stack_file_without_a_library_is_named(tmp_path):
    (tmp_path / "course.txt").write_text("".join(f"{lib}==1\n" for lib in stacks.LIBRARIES))
    (tmp_path / "colab.txt").write_text("keras==1\n")
    with pytest.raises(ValueError, match="colab.txt does not pin tensorflow"):
        stacks.tested_stacks(tmp_path)
    assert stacks.running_stack_line(tmp_path).startswith("not compared with the tested stacks")


def test_setup_prints_the_stack_line(capsys):
    info = lc.setup(seed=1)
    assert info.stack == stacks.running_stack_line()
    assert f"versions    : {info.stack}" in capsys.readouterr().out
