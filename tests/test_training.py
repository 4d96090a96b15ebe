import dataclasses
import threading

import numpy as np
import pytest

from digitpad.net.training import (
    Augmentation,
    TrainingCancelled,
    get_recipe,
    recipe_from_env,
    train,
)
from digitpad.storage.mnist import Mnist


def tiny_mnist(n: int = 512, seed: int = 0) -> Mnist:
    """Random but learnable data: the label is which quadrant holds the blob."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 4, n).astype(np.uint8)
    x = rng.integers(0, 40, (n, 28, 28)).astype(np.uint8)
    for image, label in zip(x, y, strict=True):
        r, c = divmod(int(label), 2)
        image[4 + 12 * r : 12 + 12 * r, 4 + 12 * c : 12 + 12 * c] = 255
    return Mnist(x, y, x[:128].copy(), y[:128].copy(), source="tiny")


class Recorder:
    def __init__(self, cancel_after: int | None = None, cancel: threading.Event | None = None):
        self.progress = []
        self.snapshots = []
        self.epochs = []
        self.cancel_after = cancel_after
        self.cancel = cancel

    def on_progress(self, progress):
        self.progress.append(progress)
        if self.cancel_after is not None and len(self.progress) >= self.cancel_after:
            self.cancel.set()

    def on_snapshot(self, weights, progress):
        self.snapshots.append(weights)

    def on_epoch_end(self, progress, logs):
        self.epochs.append(logs)


def test_training_learns_and_reports_progress():
    recorder = Recorder()
    recipe = dataclasses.replace(
        get_recipe("default", epochs=2, batch_size=32, pen_digits=False), augmentation=None
    )
    result = train(
        recipe, tiny_mnist(), listener=recorder, progress_interval_s=0, snapshot_every=5
    )
    assert result.test_accuracy > 0.9
    assert len(recorder.epochs) == 2
    fractions = [p.fraction for p in recorder.progress]
    assert fractions == sorted(fractions)
    assert fractions[-1] == pytest.approx(1.0)
    assert recorder.progress[-1].epoch == 2
    assert len(recorder.snapshots) == (2 * 16) // 5
    assert all(len(w) == 8 for w in recorder.snapshots)


def test_cancel_stops_within_one_batch():
    cancel = threading.Event()
    recorder = Recorder(cancel_after=3, cancel=cancel)
    recipe = get_recipe("seed", epochs=3, batch_size=16)
    with pytest.raises(TrainingCancelled):
        train(recipe, tiny_mnist(), listener=recorder, cancel=cancel, progress_interval_s=0)
    # 3 reports = 3 batches; the cancel is seen after the third batch.
    assert len(recorder.progress) == 3
    assert recorder.progress[-1].step == 3


def test_cancel_before_start_trains_nothing():
    cancel = threading.Event()
    cancel.set()
    recorder = Recorder()
    with pytest.raises(TrainingCancelled):
        train(get_recipe("seed", epochs=1), tiny_mnist(), listener=recorder, cancel=cancel)
    assert recorder.progress == []


def test_same_seed_same_weights_with_augmentation():
    recipe = get_recipe("default", epochs=1, batch_size=64, seed=7, pen_digits=False)
    first = train(recipe, tiny_mnist()).model.get_weights()
    second = train(recipe, tiny_mnist()).model.get_weights()
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)


def test_augmentation_distorts_only_in_training():
    from digitpad.net.training import RandomDistortion

    layer = RandomDistortion(Augmentation(rotation_deg=15, scale=0.1, shift_px=2, thickness=1), 0)
    images = tiny_mnist(8).x_train[..., None].astype("float32") / 255
    np.testing.assert_array_equal(np.asarray(layer(images, training=False)), images)
    distorted = np.asarray(layer(images, training=True))
    assert distorted.shape == images.shape
    assert not np.allclose(distorted, images)
    assert distorted.min() >= -1e-6
    assert distorted.max() <= 1 + 1e-6


def test_recipes_differ_as_documented():
    seed = get_recipe("seed")
    assert (seed.epochs, seed.batch_size, seed.optimizer, seed.learning_rate) == (
        2, 32, "rmsprop", 0.001,
    )  # fmt: skip
    assert seed.augmentation is None
    default = get_recipe("default")
    assert default.augmentation is not None
    assert "epochs" in default.describe()
    # Strangers' pen digits weigh more than in MNIST's proportion.
    assert default.pen_digits
    assert default.pen_repeats > 1
    assert seed.pen_repeats == 1
    assert seed.mnist_per_epoch is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"epochs": 0}, "epochs"),
        ({"batch_size": 0}, "batch"),
        ({"optimizer": "adagrad"}, "adagrad"),
    ],
)
def test_bad_recipe_values_are_refused(overrides, message):
    with pytest.raises(ValueError, match=message):
        get_recipe("default", **overrides)


def test_unknown_recipe_is_refused():
    with pytest.raises(ValueError, match="choose one of"):
        get_recipe("fancy")


def test_recipe_from_env(monkeypatch):
    monkeypatch.setenv("DIGITPAD_RECIPE", "seed")
    monkeypatch.setenv("DIGITPAD_EPOCHS", "1")
    monkeypatch.setenv("DIGITPAD_TRAIN_SAMPLES", "500")
    recipe = recipe_from_env()
    assert (recipe.name, recipe.epochs, recipe.train_samples) == ("seed", 1, 500)
    monkeypatch.setenv("DIGITPAD_EPOCHS", "two")
    with pytest.raises(ValueError, match="DIGITPAD_EPOCHS"):
        recipe_from_env()


@pytest.mark.mnist
def test_small_real_mnist_run(mnist):
    recipe = get_recipe("default", train_samples=4000, epochs=1, batch_size=128)
    result = train(recipe, mnist)
    # 4000 images, one epoch: far from the full recipe, far above chance.
    assert result.test_accuracy > 0.85
    assert result.test_loss < 0.6


def test_each_epoch_draws_every_pen_digit_among_its_renders():
    from digitpad.net.training import batch_order

    recipe = get_recipe("default", epochs=3, batch_size=10, pen_variants=2, pen_repeats=2)
    batches = batch_order(recipe, mnist_count=40, pen_count=15, renders=3)
    steps = (40 + 15 * 2) // 10
    assert batches.shape == (3 * steps, 10)
    epochs = batches.reshape(3, -1)
    for epoch in epochs:
        mnist_part = epoch[epoch < 40]
        np.testing.assert_array_equal(np.sort(mnist_part), np.arange(40))
        digit = (epoch[epoch >= 40] - 40) % 15
        np.testing.assert_array_equal(np.bincount(digit, minlength=15), np.full(15, 2))
    renders = (epochs[epochs >= 40] - 40) // 15
    assert set(renders.tolist()) == {0, 1, 2}
    # Epochs differ in order and in the renders they pick; the seed repeats them.
    assert not np.array_equal(epochs[0], epochs[1])
    np.testing.assert_array_equal(batches, batch_order(recipe, 40, 15, 3))


def test_same_seed_same_weights_with_pen_variants(digitpad_home):
    recipe = get_recipe(
        "default", epochs=2, batch_size=64, train_samples=320, pen_variants=1, seed=3
    )
    recipe = dataclasses.replace(recipe, validation_writers=())
    first = train(recipe, tiny_mnist()).model.get_weights()
    second = train(recipe, tiny_mnist()).model.get_weights()
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)


def test_elastic_distortion_moves_ink_smoothly():
    from digitpad.net.training import RandomDistortion

    layer = RandomDistortion(Augmentation(elastic_alpha=8.0, elastic_sigma=4.0), 0)
    images = tiny_mnist(8).x_train[..., None].astype("float32") / 255
    distorted = np.asarray(layer(images, training=True))
    assert distorted.shape == images.shape
    assert not np.allclose(distorted, images)
    # A smooth field moves blobs, it does not scatter them: most ink stays near.
    assert distorted.sum() == pytest.approx(images.sum(), rel=0.1)
    np.testing.assert_array_equal(np.asarray(layer(images, training=False)), images)


def test_mnist_per_epoch_takes_a_new_subset_each_epoch():
    from digitpad.net.training import batch_order

    recipe = get_recipe("default", epochs=2, batch_size=5, mnist_per_epoch=20, pen_repeats=1)
    epochs = batch_order(recipe, mnist_count=40, pen_count=10, renders=1).reshape(2, -1)
    subsets = [set(epoch[epoch < 40].tolist()) for epoch in epochs]
    assert [len(subset) for subset in subsets] == [20, 20]
    assert subsets[0] != subsets[1]
    for epoch in epochs:
        np.testing.assert_array_equal(np.sort(epoch[epoch >= 40]), np.arange(40, 50))


def test_a_batch_larger_than_an_epoch_is_one_batch_of_all_its_images():
    from digitpad.net.training import batch_order

    recipe = get_recipe("default", epochs=2, batch_size=512, pen_variants=1, pen_repeats=2)
    batches = batch_order(recipe, mnist_count=40, pen_count=15, renders=2)
    assert batches.shape == (2, 40 + 15 * 2)
    for epoch in batches:
        np.testing.assert_array_equal(np.sort(epoch[epoch < 40]), np.arange(40))


@pytest.mark.parametrize(
    ("preset", "samples", "batch_size"),
    [("default", 100, 512), ("default", 300, 4096), ("seed", 100, 512)],
)
def test_fewer_images_than_one_batch_train_on_every_path(
    preset, samples, batch_size, digitpad_home
):
    recipe = get_recipe(preset, epochs=1, batch_size=batch_size, train_samples=samples)
    recorder = Recorder()
    result = train(recipe, tiny_mnist(), listener=recorder, progress_interval_s=0)
    # One step, of all the images: the batch is at most the images there are.
    assert recorder.progress[-1].steps_per_epoch == 1
    assert len(recorder.epochs) == 1
    assert 0 <= result.test_accuracy <= 1
