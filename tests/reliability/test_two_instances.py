"""Two digitpad processes training and saving at once never corrupt the cache."""

import os
import subprocess
import sys

import pytest

from digitpad.net import saved_models


@pytest.mark.slow
@pytest.mark.mnist
def test_two_processes_train_at_once_and_both_end_with_a_valid_model(mnist, digitpad_home, case):
    case("two processes train with no cache at once", "both exit 0; one valid model; no debris")
    env = {**os.environ, "DIGITPAD_HOME": str(digitpad_home), "TF_CPP_MIN_LOG_LEVEL": "2"}
    command = [
        sys.executable, "-m", "digitpad", "train",
        "--samples", "1500", "--epochs", "1", "--mnist", mnist.source,
    ]  # fmt: skip
    procs = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    outputs = [proc.communicate(timeout=240) for proc in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err.decode()[-2000:]
        assert b"test accuracy" in out
    loaded = saved_models.load()
    assert loaded.manifest["recipe"]["train_samples"] == 1500
    models = digitpad_home / "data" / "models"
    assert len(list(models.glob("*.npz"))) == 1
    assert not list(models.glob(".tmp-*"))
    assert not (models / "quarantine").exists()
