"""Adapting a real (small) LeNet to a "user", judged by cross-validation with the memory on."""

import dataclasses
import threading

import numpy as np
import pytest

from digitpad.net.adaptation import AdaptSettings, ReplaySet, adapt
from digitpad.net.adoption import NotEnoughSamplesError, decide
from digitpad.net.training import TrainingCancelled

QUICK = AdaptSettings(steps=50, batch_size=64, user_per_batch=16, folds=2)


@pytest.fixture(scope="module")
def base(small_model_dir):
    from digitpad.net import saved_models
    from digitpad.storage.model_store import ModelStore

    loaded = saved_models.load(ModelStore(small_model_dir))
    return loaded.model.get_weights(), loaded.manifest


@pytest.fixture(scope="module")
def replay(mnist):
    validation = (mnist.x_train[-600:], mnist.y_train[-600:].astype(np.int64), np.zeros(600, bool))
    return ReplaySet(mnist.x_train[:6000], mnist.y_train[:6000], validation)


@pytest.fixture(scope="module")
def sideways_user(mnist):
    """A user who writes every digit turned a quarter: 6 drawings of each digit."""
    picks = np.concatenate([np.nonzero(mnist.y_test == d)[0][:6] for d in range(10)])
    x = np.rot90(mnist.x_test[picks], k=1, axes=(1, 2)).astype(np.float32) / 255.0
    return x, mnist.y_test[picks].astype(np.int64)


def test_adapting_learns_the_users_digits_and_keeps_mnist(base, replay, sideways_user, mnist):
    weights, manifest = base
    x, y = sideways_user
    result = adapt(
        weights,
        x,
        y,
        mnist,
        replay=replay,
        base_mnist_accuracy=manifest["test_accuracy"],
        settings=QUICK,
    )
    # Every drawing is read once by a network that had not seen it.
    assert (result.trained_on, result.held_back) == (60, 60)
    assert len(result.before.right) == len(result.after.right) == 60
    # The base network reads quarter-turned digits badly, with or without the
    # memory of the other fold; the adapted one (with it) well.
    assert result.network_only.user_accuracy < 0.6
    assert result.before.user_accuracy < 0.7
    assert result.after.user_accuracy >= result.before.user_accuracy + 0.2
    assert result.decision.fixed >= 12
    assert result.before.mnist_accuracy == pytest.approx(manifest["test_accuracy"])
    assert result.after.mnist_accuracy > 0.9
    assert result.decision == decide(result.before, result.after)
    # The base weights are untouched; the adapted ones differ.
    assert not all(np.array_equal(a, b) for a, b in zip(weights, result.weights, strict=True))
    assert result.calibration.images == 600
    info = result.manifest_info()
    assert info["adapted"]["folds"] == 2
    assert info["test_accuracy"] == pytest.approx(result.after.mnist_accuracy, abs=1e-6)
    summary = result.summary()
    assert summary["fixed"] == result.decision.fixed
    assert summary["user_network_only"] == pytest.approx(result.network_only.user_accuracy)


def test_nothing_to_learn_is_refused(base, replay, mnist):
    """Digits the base network already reads: adapting cannot beat the memory alone."""
    weights, manifest = base
    picks = np.concatenate([np.nonzero(mnist.y_test == d)[0][:2] for d in range(10)])
    result = adapt(
        weights,
        mnist.x_test[picks],
        mnist.y_test[picks].astype(np.int64),
        mnist,
        replay=replay,
        base_mnist_accuracy=manifest["test_accuracy"],
        settings=dataclasses.replace(QUICK, steps=10),
    )
    assert result.before.user_accuracy >= 0.9
    assert not result.decision.adopt
    assert result.decision.p_value >= 0.05


def test_a_network_that_forgets_mnist_is_refused(base, replay, sideways_user, mnist):
    weights, manifest = base
    x, y = sideways_user
    reckless = dataclasses.replace(QUICK, learning_rate=0.05, user_per_batch=48, steps=40)
    result = adapt(
        weights,
        x,
        y,
        mnist,
        replay=replay,
        base_mnist_accuracy=manifest["test_accuracy"],
        settings=reckless,
    )
    assert result.after.mnist_accuracy < result.before.mnist_accuracy - 0.003
    assert not result.decision.adopt
    assert "MNIST" in result.decision.reason


def test_cancel_stops_within_a_step(base, replay, sideways_user, mnist):
    weights, manifest = base
    x, y = sideways_user
    cancel = threading.Event()

    class StopAtOnce:
        def on_progress(self, progress):
            cancel.set()

    with pytest.raises(TrainingCancelled):
        adapt(
            weights,
            x,
            y,
            mnist,
            replay=replay,
            base_mnist_accuracy=manifest["test_accuracy"],
            settings=QUICK,
            listener=StopAtOnce(),
            cancel=cancel,
        )


def test_bad_input_is_refused_before_any_training(base, replay, mnist):
    weights, _ = base
    with pytest.raises(NotEnoughSamplesError):
        adapt(weights, np.zeros((3, 28, 28)), np.array([1, 2, 3]), mnist, replay=replay)
    with pytest.raises(ValueError, match="N x 28 x 28"):
        adapt(weights, np.zeros((12, 20, 20)), np.zeros(12), mnist, replay=replay)
    with pytest.raises(ValueError, match="one digit label"):
        adapt(weights, np.zeros((12, 28, 28)), np.full(12, 11), mnist, replay=replay)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        adapt(weights, np.full((12, 28, 28), 3.0), np.zeros(12), mnist, replay=replay)
    with pytest.raises(ValueError, match="folds"):
        AdaptSettings(folds=1)


class _Recorder:
    def __init__(self):
        self.epochs = []

    def on_epoch_end(self, progress, logs):
        self.epochs.append((progress.epoch, progress.epochs, round(progress.fraction, 6)))


def test_every_fine_tune_is_reported_as_one_epoch(base, replay, sideways_user, mnist):
    weights, manifest = base
    x, y = sideways_user
    recorder = _Recorder()
    adapt(
        weights,
        x[:20],
        y[:20],
        mnist,
        replay=replay,
        base_mnist_accuracy=manifest["test_accuracy"],
        settings=dataclasses.replace(QUICK, steps=5),
        listener=recorder,
    )
    assert recorder.epochs == [
        (1, 3, pytest.approx(1 / 3)),
        (2, 3, pytest.approx(2 / 3)),
        (3, 3, 1.0),
    ]
