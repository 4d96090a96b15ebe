import numpy as np
import pytest

from digitpad.net import pen_training_set
from digitpad.net.training import get_recipe, training_images
from digitpad.storage.mnist import Mnist


def test_bundled_pen_digits_render_like_mnist_digits(digitpad_home):
    x, y = pen_training_set.pen_training_set(limit=40)
    assert x.shape == (40, 28, 28)
    assert x.dtype == np.uint8
    assert set(np.unique(y)) <= set(range(10))
    # MNIST form: every digit has ink, mostly inside the central 20x20 box
    # (centring by mass shifts the box; MNIST's own digits have 3.3% outside).
    assert (x.reshape(40, -1).max(axis=1) > 200).all()
    border = x.astype(np.int64)
    border[:, 4:24, 4:24] = 0
    assert border.sum() < 0.08 * x.astype(np.int64).sum()


def test_rendered_set_is_cached_and_repeatable(digitpad_home):
    first = pen_training_set.pen_training_set(limit=20)
    cached = list((digitpad_home / "cache").glob("pen-train-*.npz"))
    assert len(cached) == 1
    second = pen_training_set.pen_training_set(limit=20)
    np.testing.assert_array_equal(first[0], second[0])
    cached[0].unlink()
    rebuilt = pen_training_set.pen_training_set(limit=20)
    np.testing.assert_array_equal(first[0], rebuilt[0])


def test_damaged_bundle_is_refused(tmp_path, monkeypatch):
    fake = tmp_path / "pendigits-train.gz"
    fake.write_bytes(b"not the real file")
    monkeypatch.setattr(pen_training_set, "bundled_path", lambda: fake)
    with pytest.raises(pen_training_set.HandwritingError, match="damaged"):
        pen_training_set.pen_training_set(limit=5)


def test_default_recipe_mixes_pen_digits_in_proportion(digitpad_home):
    x = np.zeros((1000, 28, 28), np.uint8)
    y = np.zeros(1000, np.uint8)
    mnist = Mnist(x, y, x[:10], y[:10], source="zeros")
    recipe = get_recipe("default", train_samples=800)
    images, labels = training_images(recipe, mnist)
    _x, _y, writers = pen_training_set.pen_digits_by_writer(limit=round(800 * 7494 / 60000))
    # The held-out writers' digits are never trained on (they calibrate).
    held = np.isin(writers, recipe.validation_writers)
    assert 0 < held.sum() < len(held)
    assert len(images) == 800 + len(writers) - held.sum()
    assert images[:800].max() == 0
    assert images[800:].max() > 0
    seed_images, _ = training_images(get_recipe("seed", train_samples=800), mnist)
    assert len(seed_images) == 800


def test_rendering_in_processes_equals_rendering_serially(digitpad_home, monkeypatch):
    from digitpad.storage import pendigits

    monkeypatch.setattr(pen_training_set, "PARALLEL_MIN_DIGITS", 10)
    x, y = pen_training_set.pen_training_set(limit=30)
    digits = pendigits.read_pendigits(pen_training_set.bundled_path())[:30]
    np.testing.assert_array_equal(x, pen_training_set._to_images(digits, 0, -1, 0, 30, None))
    np.testing.assert_array_equal(y, [d.label for d in digits])


def test_variants_are_new_handwriting_repeatable_and_cached(digitpad_home):
    from digitpad.net.augmentation import StrokeAugmentation

    plain, _y = pen_training_set.pen_training_set(limit=12)
    variants = pen_training_set.pen_variants(0, 12, 2, StrokeAugmentation())
    assert variants.shape == (2, 12, 28, 28)
    assert variants.dtype == np.uint8
    assert (variants.reshape(24, -1).max(axis=1) > 200).all()
    # Each variant differs from the plain render and from the other variant.
    for a, b in ((variants[0], plain), (variants[1], plain), (variants[0], variants[1])):
        changed = np.abs(a.astype(int) - b.astype(int)).reshape(12, -1).sum(axis=1)
        assert (changed > 0).all()
    assert len(list((digitpad_home / "cache").glob("pen-variants-*.npz"))) == 1
    again = pen_training_set.pen_variants(0, 12, 2, StrokeAugmentation())
    np.testing.assert_array_equal(variants, again)
    other = pen_training_set.pen_variants(1, 12, 2, StrokeAugmentation())
    assert not np.array_equal(variants, other)


def test_variants_render_in_processes_as_serially(digitpad_home, monkeypatch):
    from digitpad.net.augmentation import StrokeAugmentation

    monkeypatch.setattr(pen_training_set, "PARALLEL_MIN_DIGITS", 10)
    x = pen_training_set.pen_variants(0, 8, 2, StrokeAugmentation())
    digits = pendigits_train()[:8]
    for variant in range(2):
        serial = pen_training_set._to_images(digits, 0, variant, 0, 8, StrokeAugmentation())
        np.testing.assert_array_equal(x[variant], serial)


def pendigits_train():
    from digitpad.storage import pendigits

    return pendigits.read_pendigits(pen_training_set.bundled_path())


def test_pen_training_set_also_renders_the_default_recipes_variants(digitpad_home, monkeypatch):
    import dataclasses

    from digitpad.net import recipes

    cache = digitpad_home / "cache"
    default = recipes.RECIPES["default"]
    monkeypatch.setitem(recipes.RECIPES, "default", dataclasses.replace(default, pen_variants=0))
    pen_training_set.pen_training_set(limit=6)
    assert list(cache.glob("pen-variants-*.npz")) == []
    monkeypatch.setitem(recipes.RECIPES, "default", dataclasses.replace(default, pen_variants=1))
    pen_training_set.pen_training_set(limit=6)
    assert len(list(cache.glob("pen-variants-*.npz"))) == 1
