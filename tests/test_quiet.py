import os
import subprocess
import sys

import numpy as np
import pytest
from PySide6.QtGui import QImage

from digitpad import quiet

# What TensorFlow 2.21 printed on import and first device use, on a machine without a GPU.
PREAMBLE = (
    b"WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
)
ONEDNN = (
    b"I0000 00:00:1796002137.201987   14411 port.cc:153] oneDNN custom operations are on. "
    b"To turn them off, set the environment variable `TF_ENABLE_ONEDNN_OPTS=0`.\n"
)
CPU = (
    b"I0000 00:00:1796002137.285747   14411 cpu_feature_guard.cc:227] This TensorFlow binary "
    b"is optimized to use available CPU instructions in performance-critical operations.\n"
    b"To enable the following instructions: AVX2 FMA, in other operations, rebuild "
    b"TensorFlow with the appropriate compiler flags.\n"
)
WARNING = b"W0000 00:00:1796002141.000000   14411 some_op.cc:12] a warning\n"
CUINIT = (
    b"E0000 00:00:1796002141.602640   14411 cuda_platform.cc:52] failed call to cuInit: "
    b"INTERNAL: CUDA error: Failed call to cuInit: UNKNOWN ERROR (303)\n"
)
CHATTER = PREAMBLE + ONEDNN + CPU + WARNING + CUINIT


def test_filter_drops_every_tensorflow_line_at_the_default_level():
    mine = b"UserWarning: something of ours\n"
    assert quiet.filter_native_lines(ONEDNN + mine + CHATTER, 3) == mine


@pytest.mark.parametrize(
    ("level", "kept"),
    [
        (0, CHATTER),
        (1, PREAMBLE + WARNING + CUINIT),
        (2, CUINIT),
        (3, b""),
    ],
)
def test_filter_keeps_the_lines_at_or_above_the_level(level, kept):
    assert quiet.filter_native_lines(CHATTER, level) == kept


def test_a_line_after_a_dropped_record_is_kept_unless_it_continues_it():
    text = CPU + b"To enable the following instructions: but as a line of ours\n"
    assert quiet.filter_native_lines(b"ours\n" + text, 3) == b"ours\n"
    assert quiet.filter_native_lines(ONEDNN + b"ours\n", 3) == b"ours\n"


@pytest.fixture
def not_verbose(monkeypatch):
    monkeypatch.delenv(quiet.DEBUG_ENV, raising=False)
    monkeypatch.delenv(quiet.TF_LEVEL_ENV, raising=False)


def test_the_block_keeps_native_lines_off_stderr_and_replays_the_rest(not_verbose, capfd):
    with quiet.tensorflow_import():
        os.write(2, CHATTER)
        print("a warning of ours", file=sys.stderr)
        os.write(2, CUINIT)
    print("after", file=sys.stderr)
    assert capfd.readouterr().err == "a warning of ours\nafter\n"
    assert os.environ[quiet.TF_LEVEL_ENV] == quiet.DEFAULT_TF_LEVEL


def test_the_users_level_is_kept_and_used(not_verbose, monkeypatch, capfd):
    monkeypatch.setenv(quiet.TF_LEVEL_ENV, "2")
    with quiet.tensorflow_import():
        os.write(2, CHATTER)
    assert capfd.readouterr().err.encode() == CUINIT
    assert os.environ[quiet.TF_LEVEL_ENV] == "2"


def _failing_import():
    with quiet.tensorflow_import():
        os.write(2, ONEDNN)
        raise ImportError("no tensorflow")


def test_a_failed_import_shows_everything_it_printed(not_verbose, capfd):
    with pytest.raises(ImportError, match="no tensorflow"):
        _failing_import()
    assert capfd.readouterr().err.encode() == ONEDNN


@pytest.mark.parametrize("value", ["1", "yes"])
def test_debug_shows_everything_and_sets_no_level(not_verbose, monkeypatch, capfd, value):
    monkeypatch.setenv(quiet.DEBUG_ENV, value)
    with quiet.tensorflow_import():
        os.write(2, CHATTER)
    assert capfd.readouterr().err.encode() == CHATTER
    assert quiet.TF_LEVEL_ENV not in os.environ


def test_stderr_is_the_same_file_afterwards(not_verbose):
    before = os.fstat(2)
    with quiet.tensorflow_import():
        assert os.fstat(2).st_ino != before.st_ino
    assert (os.fstat(2).st_dev, os.fstat(2).st_ino) == (before.st_dev, before.st_ino)


def _environment(**extra):
    env = {k: v for k, v in os.environ.items() if k not in (quiet.TF_LEVEL_ENV, quiet.DEBUG_ENV)}
    env.update(extra)
    return env


def test_the_import_hook_imports_tensorflow_in_silence(tmp_path):
    script = (
        "import sys\n"
        "from digitpad import quiet\n"
        "quiet.install_import_hook()\n"
        "import keras\n"
        "import tensorflow as tf\n"
        "assert not any(type(f).__name__ == '_QuietFinder' for f in sys.meta_path)\n"
        "assert type(tf.__loader__).__name__ == 'SourceFileLoader', tf.__loader__\n"
        "print(float(tf.constant(2.0) * 2))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=_environment(),
        cwd=tmp_path,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "4.0\n"
    assert proc.stderr == ""


def _digit_png(path, pixels):
    big = np.ascontiguousarray(np.kron(pixels, np.ones((4, 4), np.uint8)))
    image = QImage(
        big.data, big.shape[1], big.shape[0], big.shape[1], QImage.Format.Format_Grayscale8
    )
    assert image.copy().save(str(path))
    return str(path)


@pytest.mark.mnist
def test_predict_prints_nothing_on_stderr(mnist, cached_model_home, tmp_path):
    path = _digit_png(tmp_path / "seven.png", mnist.x_test[0])
    command = [sys.executable, "-m", "digitpad", "predict", path]
    proc = subprocess.run(command, capture_output=True, text=True, env=_environment(), check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"{path}: 7 (")
    assert proc.stderr == ""

    verbose = subprocess.run(
        [sys.executable, "-m", "digitpad", "--verbose", "predict", path],
        capture_output=True,
        text=True,
        env=_environment(),
        check=False,
    )
    assert verbose.returncode == 0, verbose.stderr
    assert verbose.stdout == proc.stdout
    # This TensorFlow says at least where oneDNN stands, or that CUDA is missing.
    assert "I0000" in verbose.stderr or "E0000" in verbose.stderr
