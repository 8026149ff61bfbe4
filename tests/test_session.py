import numpy as np
import pytest

import lstm_course as lc


def test_setup_reports_versions_devices_and_profile(capsys, monkeypatch):
    monkeypatch.setenv("LSTM_COURSE_PROFILE", "smoke")
    info = lc.setup(seed=7)
    out = capsys.readouterr().out
    import keras
    import tensorflow as tf

    assert info.profile == "smoke" and "profile     : smoke" in out
    assert info.tensorflow == tf.__version__ and tf.__version__ in out
    assert info.keras == keras.__version__ and keras.__version__ in out
    assert any(d.startswith("CPU") for d in info.devices)


def test_setup_makes_numpy_and_tensorflow_reproducible():
    import keras
    import tensorflow as tf

    def draw():
        lc.setup(seed=123, verbose=False)
        layer = keras.layers.Dense(3)
        layer.build((None, 4))
        legacy_numpy = np.random.rand(3)  # noqa: NPY002 (learners use the global RNG too)
        return legacy_numpy, tf.random.uniform((3,)).numpy(), layer.kernel.numpy()

    first, second = draw(), draw()
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)
    lc.setup(seed=124, verbose=False)
    assert not np.array_equal(np.random.rand(3), first[0])  # noqa: NPY002


def test_setup_quiets_tensorflow_cpp_logs_without_overriding_user_choice(monkeypatch):
    monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL", raising=False)
    lc.setup(seed=0, verbose=False)
    import os

    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "2"
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "0")
    lc.setup(seed=0, verbose=False)
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "0"


@pytest.mark.parametrize("seed, error", [(-1, ValueError), (2**32, ValueError), (1.5, TypeError),
                                         ("42", TypeError), (True, TypeError)])
def test_setup_rejects_bad_seeds(seed, error):
    with pytest.raises(error, match="seed"):
        lc.setup(seed=seed, verbose=False)


def test_setup_applies_the_plot_theme_unless_asked_not_to():
    import matplotlib.pyplot as plt

    plt.rcdefaults()
    lc.setup(seed=0, theme=False, verbose=False)
    assert plt.rcParams["axes.spines.top"] is True
    lc.setup(seed=0, verbose=False)
    assert plt.rcParams["axes.spines.top"] is False


def test_determinism_cannot_silently_be_switched_off_again():
    lc.setup(seed=0, verbose=False)
    with pytest.raises(ValueError, match="restart the kernel"):
        lc.setup(seed=0, deterministic=False, verbose=False)


def test_seed_offset_moves_the_seed_and_every_derived_seed(monkeypatch, capsys):
    monkeypatch.setenv("LSTM_COURSE_SEED_OFFSET", "3")
    info = lc.setup(seed=40)
    assert (info.seed, info.base_seed, info.seed_offset) == (43, 40, 3)
    assert info.seeds(3) == [43, 44, 45]
    assert "43, 40 + offset 3" in capsys.readouterr().out
    first = np.random.rand(2)  # noqa: NPY002
    monkeypatch.delenv("LSTM_COURSE_SEED_OFFSET")
    lc.setup(seed=43, verbose=False)
    np.testing.assert_array_equal(np.random.rand(2), first)  # noqa: NPY002
    assert lc.setup(seed=43, verbose=False).seeds(1) == [43]


@pytest.mark.parametrize("raw", ["-1", "one", "1.5", "70000"])
def test_bad_seed_offset_is_refused_with_the_variable_named(monkeypatch, raw):
    monkeypatch.setenv("LSTM_COURSE_SEED_OFFSET", raw)
    with pytest.raises(ValueError, match="LSTM_COURSE_SEED_OFFSET"):
        lc.setup(seed=0, verbose=False)


def test_seeds_needs_a_positive_count():
    info = lc.setup(seed=0, verbose=False)
    with pytest.raises(ValueError, match="n must be a positive int"):
        info.seeds(0)


def test_perturbations_are_reported(monkeypatch, capsys):
    monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", "0")
    monkeypatch.setenv("TF_NUM_INTRAOP_THREADS", "1")
    info = lc.setup(seed=0)
    assert (info.onednn, info.intra_op_threads) == ("off", "1")
    assert ("cpu settings: oneDNN off, intra-op threads 1 (from the environment)"
            in capsys.readouterr().out)
    monkeypatch.delenv("TF_ENABLE_ONEDNN_OPTS")
    monkeypatch.delenv("TF_NUM_INTRAOP_THREADS")
    lc.setup(seed=0)
    assert "cpu settings" not in capsys.readouterr().out


def test_setup_turns_tensorfloat32_off():
    import tensorflow as tf

    tf.config.experimental.enable_tensor_float_32_execution(True)
    info = lc.setup(seed=0, verbose=False)
    assert not tf.config.experimental.tensor_float_32_execution_enabled()
    assert info.tf32 is False


class _FakeTF:
    """The part of ``tf.config`` that ``_configure_gpus`` uses, with two GPUs."""

    def __init__(self, started=False):
        self.started, self.growth, self.tf32 = started, {}, True
        self.config = self
        self.experimental = self

    def enable_tensor_float_32_execution(self, on):
        self.tf32 = on

    def list_physical_devices(self, kind):
        return ["GPU:0", "GPU:1"] if kind == "GPU" else []

    def set_memory_growth(self, gpu, on):
        if self.started:
            raise RuntimeError("Physical devices cannot be modified after being initialized")
        self.growth[gpu] = on

    def get_memory_growth(self, gpu):
        return self.growth.get(gpu, False)


def test_every_gpu_gets_memory_growth_and_tf32_off():
    from lstm_course.session import _configure_gpus

    fake = _FakeTF()
    assert _configure_gpus(fake) == ["GPU:0", "GPU:1"]
    assert fake.growth == {"GPU:0": True, "GPU:1": True} and fake.tf32 is False
    fake.started = True  # a second setup call in the same kernel keeps what was set
    assert _configure_gpus(fake) == ["GPU:0", "GPU:1"]


def test_gpu_already_in_use_without_memory_growth_is_a_clear_error():
    from lstm_course.session import _configure_gpus

    with pytest.raises(RuntimeError, match="call lc.setup first"):
        _configure_gpus(_FakeTF(started=True))


def test_has_gpu_reads_the_devices_and_the_report_names_gpu_settings():
    import dataclasses

    info = lc.setup(seed=0, verbose=False)
    cpu_only = dataclasses.replace(info, devices=("CPU:0",))
    with_gpu = dataclasses.replace(info, devices=("CPU:0", "GPU:0"))
    assert not cpu_only.has_gpu and with_gpu.has_gpu
    assert "memory growth on" in with_gpu.report() and "TF32 off" in with_gpu.report()
    assert "memory growth" not in cpu_only.report()
