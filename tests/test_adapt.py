"""Adapting a real (small) LeNet to a "user" whose digits the base network misreads."""

import dataclasses
import threading

import numpy as np
import pytest

from digitpad.net.adaptation import AdaptSettings, ReplaySet, adapt
from digitpad.net.adoption import NotEnoughSamplesError, decide
from digitpad.net.training import TrainingCancelled

QUICK = AdaptSettings(steps=60, batch_size=64, user_per_batch=16)


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
    assert (result.trained_on, result.held_back) == (50, 10)
    # The base network reads quarter-turned digits badly; the adapted one well.
    assert result.before.user_accuracy < 0.6
    assert result.after.user_accuracy >= result.before.user_accuracy + 0.25
    assert result.before.mnist_accuracy == pytest.approx(manifest["test_accuracy"])
    assert result.after.mnist_accuracy > 0.9
    assert result.decision == decide(result.before, result.after)
    # The base weights are untouched; the adapted ones differ.
    assert not all(np.array_equal(a, b) for a, b in zip(weights, result.weights, strict=True))
    assert result.calibration.images == 600
    info = result.manifest_info()
    assert info["adapted"]["held_back"] == 10
    assert info["test_accuracy"] == pytest.approx(result.after.mnist_accuracy, abs=1e-6)


def test_a_network_that_forgets_mnist_is_refused(base, replay, sideways_user, mnist):
    weights, manifest = base
    x, y = sideways_user
    reckless = dataclasses.replace(QUICK, learning_rate=0.05, user_per_batch=48)
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
