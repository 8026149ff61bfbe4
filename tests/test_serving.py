"""lstm_course.serving: a SavedModel called in a fresh process, version folders, manifests."""

import json

import numpy as np
import pytest

from lstm_course import serving


@pytest.fixture(scope="module")
def saved_model(tmp_path_factory):
    """A tiny SavedModel: `double` (y = 2x) and `checked` (refuses negative x)."""
    import tensorflow as tf

    class Doubler(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([None], tf.float32, name="x")])
        def double(self, x):
            return {"y": 2.0 * x}

        @tf.function(input_signature=[tf.TensorSpec([None], tf.float32, name="x")])
        def checked(self, x):
            ok = tf.debugging.assert_greater_equal(x, 0.0, message="x must be non-negative")
            with tf.control_dependencies([ok]):
                return {"y": 2.0 * x}

    module = Doubler()
    path = tmp_path_factory.mktemp("export") / "doubler"
    tf.saved_model.save(module, str(path),
                        signatures={"serving_default": module.double, "checked": module.checked})
    return path


@pytest.mark.slow
def test_fresh_process_returns_the_signature_outputs(saved_model):
    x = np.array([0.5, -1.0, 3.0], dtype="float32")
    result = serving.run_saved_model(saved_model, {"x": x})
    assert set(result.outputs) == {"y"}
    np.testing.assert_array_equal(result.outputs["y"], 2 * x)
    assert result.seconds > 0


@pytest.mark.slow
def test_a_failed_check_in_the_model_is_a_rejected_input_with_its_message(saved_model):
    with pytest.raises(serving.RejectedInput) as raised:
        serving.run_saved_model(saved_model, {"x": np.array([1.0, -2.0], "float32")},
                                signature="checked")
    assert str(raised.value) == "signature 'checked' rejected the inputs: x must be non-negative"
    assert isinstance(raised.value, ValueError)


@pytest.mark.slow
def test_a_wrong_input_name_is_rejected_naming_the_missing_argument(saved_model):
    with pytest.raises(serving.RejectedInput, match="missing a required argument: 'x'"):
        serving.run_saved_model(saved_model, {"values": np.ones(2, "float32")})


@pytest.mark.slow
def test_an_unknown_signature_lists_the_available_ones(saved_model):
    with pytest.raises(ValueError, match="no signature 'serve'; it has: checked, serving_default"):
        serving.run_saved_model(saved_model, {"x": np.ones(2, "float32")}, signature="serve")


@pytest.mark.slow
def test_a_child_that_runs_too_long_is_stopped(saved_model):
    with pytest.raises(RuntimeError, match="did not finish within 0.2 s"):
        serving.run_saved_model(saved_model, {"x": np.ones(2, "float32")}, timeout=0.2)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"inputs": {}}, TypeError, "non-empty mapping"),
        ({"inputs": [np.ones(2)]}, TypeError, "non-empty mapping"),
        ({"inputs": {"not valid": np.ones(2)}}, ValueError, "not a valid keyword"),
        ({"inputs": {"x": np.array([None, 1])}}, TypeError, "dtype object"),
        ({"inputs": {"x": np.ones(2)}, "timeout": 0}, ValueError, "positive number"),
        ({"inputs": {"x": np.ones(2)}, "signature": ""}, TypeError, "non-empty string"),
    ],
)
def test_bad_arguments_are_refused_before_starting_a_process(saved_model, kwargs, error, message):
    with pytest.raises(error, match=message):
        serving.run_saved_model(saved_model, **kwargs)


def test_a_folder_that_is_not_a_saved_model_is_refused(tmp_path):
    with pytest.raises(ValueError, match="not a SavedModel folder"):
        serving.run_saved_model(tmp_path, {"x": np.ones(2)})
    with pytest.raises(TypeError, match="must be a path"):
        serving.run_saved_model(42, {"x": np.ones(2)})


def test_versions_count_up_from_one(tmp_path):
    base = tmp_path / "models" / "forecaster"
    assert serving.next_version(base) == base / "1"
    with pytest.raises(ValueError, match="no version folders"):
        serving.latest_version(base)
    for version in ("1", "2", "10"):
        (base / version).mkdir(parents=True)
    assert serving.next_version(base) == base / "11"
    assert serving.latest_version(base) == base / "10"  # numeric, not alphabetical order


@pytest.mark.parametrize("stray", ["README.md", "01", "v3"])
def test_anything_but_numbered_folders_in_the_base_is_refused(tmp_path, stray):
    (tmp_path / "1").mkdir()
    target = tmp_path / stray
    target.mkdir() if stray != "README.md" else target.write_text("notes")
    with pytest.raises(ValueError, match=f"holds \\['{stray}'\\]"):
        serving.next_version(tmp_path)


def test_a_base_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "model").write_text("")
    with pytest.raises(ValueError, match="not a folder"):
        serving.latest_version(tmp_path / "model")


def test_manifest_round_trip_records_versions(saved_model):
    path = serving.write_manifest(saved_model, model="doubler", test_mae=0.25,
                                  reference_output=[1.0, 2.0])
    assert path == saved_model / "assets.extra" / "manifest.json"
    manifest = serving.read_manifest(saved_model)
    assert manifest["model"] == "doubler" and manifest["reference_output"] == [1.0, 2.0]
    for key in ("created_utc", "python", "tensorflow", "keras", "numpy"):
        assert manifest[key]
    assert json.loads(path.read_text()) == manifest


def test_manifest_refuses_reserved_names_and_unserialisable_values(saved_model, tmp_path):
    with pytest.raises(ValueError, match="recorded automatically"):
        serving.write_manifest(saved_model, tensorflow="mine")
    with pytest.raises(TypeError, match="JSON-serialisable"):
        serving.write_manifest(saved_model, weights=np.ones(2))
    with pytest.raises(ValueError, match="not a SavedModel folder"):
        serving.write_manifest(tmp_path)


def test_reading_a_missing_manifest_says_how_to_write_one(tmp_path):
    (tmp_path / "saved_model.pb").write_bytes(b"")
    with pytest.raises(ValueError, match="write_manifest"):
        serving.read_manifest(tmp_path)
