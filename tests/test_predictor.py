"""Predictor: a compiled call that agrees with the model, on any input form."""

from __future__ import annotations

import numpy as np
import pytest

from digitpad.net.inference import Predictor
from digitpad.net.lenet import build_lenet
from digitpad.storage.model_store import NoModelError


@pytest.fixture(scope="module")
def model():
    import keras

    keras.utils.set_random_seed(7)
    return build_lenet()


@pytest.fixture(scope="module")
def predictor(model):
    return Predictor.from_model(model)


@pytest.fixture(scope="module")
def images():
    return np.random.default_rng(3).random((6, 28, 28)).astype(np.float32)


def reference(model, xs: np.ndarray) -> np.ndarray:
    return np.asarray(model(xs.reshape(-1, 28, 28, 1), training=False))


def test_single_prediction_is_a_distribution_that_matches_the_model(predictor, model, images):
    probabilities = predictor.predict(images[0])
    assert probabilities.shape == (10,)
    assert probabilities.dtype == np.float32
    assert np.isfinite(probabilities).all()
    assert probabilities.sum() == pytest.approx(1.0, abs=1e-6)
    np.testing.assert_allclose(probabilities, reference(model, images[:1])[0], atol=1e-5)


@pytest.mark.parametrize("shape", [(28, 28), (28, 28, 1), (1, 28, 28, 1)])
def test_accepted_single_shapes_agree(predictor, images, shape):
    expected = predictor.predict(images[1])
    np.testing.assert_allclose(predictor.predict(images[1].reshape(shape)), expected, atol=1e-6)


def test_batch_agrees_with_single_and_model(predictor, model, images):
    batch = predictor.predict_batch(images)
    assert batch.shape == (6, 10)
    assert batch.dtype == np.float32
    np.testing.assert_allclose(batch.sum(axis=1), 1.0, atol=1e-6)
    np.testing.assert_allclose(batch, reference(model, images), atol=1e-5)
    for image, row in zip(images, batch, strict=True):
        np.testing.assert_allclose(predictor.predict(image), row, atol=1e-5)
    np.testing.assert_allclose(predictor.predict_batch(images[..., None]), batch, atol=1e-6)
    assert predictor.predict_batch(np.zeros((0, 28, 28), np.float32)).shape == (0, 10)


def test_uint8_is_scaled_like_training(predictor, images):
    as_uint8 = np.round(images[2] * 255).astype(np.uint8)
    np.testing.assert_allclose(
        predictor.predict(as_uint8), predictor.predict(as_uint8 / np.float32(255)), atol=1e-6
    )


@pytest.mark.parametrize(
    "bad",
    [
        np.zeros((27, 28)),
        np.zeros((28, 28, 3)),
        np.zeros((2, 28, 28, 1)),
        np.zeros((28 * 28,)),
        np.zeros((1, 1, 28, 28)),
    ],
    ids=["27x28", "rgb", "two", "flat", "channels-first"],
)
def test_bad_shapes_are_clear_errors(predictor, bad):
    with pytest.raises(ValueError, match="28x28"):
        predictor.predict(bad)


@pytest.mark.parametrize("bad", [np.zeros((5, 28)), np.zeros((3, 28, 28, 2)), np.zeros((28, 28))])
def test_bad_batch_shapes_are_clear_errors(predictor, bad):
    with pytest.raises(ValueError, match="batch"):
        predictor.predict_batch(bad)


@pytest.mark.parametrize(
    ("value", "message"), [(np.nan, "NaN"), (np.inf, "NaN or infinite"), (3.0, r"\[0, 1\]")]
)
def test_bad_values_are_clear_errors(predictor, value, message):
    image = np.zeros((28, 28), np.float32)
    image[3, 3] = value
    with pytest.raises(ValueError, match=message):
        predictor.predict(image)


def test_new_weights_are_used_at_once(images):
    import keras

    keras.utils.set_random_seed(1)
    model = build_lenet()
    predictor = Predictor.from_model(model)
    before = predictor.predict(images[0])
    keras.utils.set_random_seed(2)
    model.set_weights(build_lenet().get_weights())
    after = predictor.predict(images[0])
    assert not np.allclose(before, after, atol=1e-4)
    np.testing.assert_allclose(after, reference(model, images[:1])[0], atol=1e-5)


def test_from_cache_without_a_model_says_so(tmp_path):
    from digitpad.storage.model_store import ModelStore

    with pytest.raises(NoModelError, match="No trained model"):
        Predictor.from_cache(ModelStore(tmp_path / "models"))


def test_from_cache_loads_the_verified_model(tmp_path, model, images):
    from digitpad.net.lenet import ARCHITECTURE_ID
    from digitpad.storage.model_store import ModelStore

    store = ModelStore(tmp_path / "models")
    store.save(model.get_weights(), {"architecture": ARCHITECTURE_ID, "note": "test"})
    predictor = Predictor.from_cache(store)
    assert predictor.manifest["note"] == "test"
    np.testing.assert_allclose(
        predictor.predict(images[0]), reference(model, images[:1])[0], atol=1e-5
    )


def test_layers_and_saliency_agree_with_the_probabilities():
    from digitpad.net.inference import LAYERS
    from digitpad.net.lenet import build_lenet

    model = build_lenet()
    predictor = Predictor(model)
    x = np.random.default_rng(1).random((28, 28)).astype(np.float32)
    layers = predictor.layers(x)
    assert {key: value.shape for key, value in layers.items()} == LAYERS
    assert np.allclose(predictor.predict_batch(x[None])[0], predictor.predict(x), atol=1e-6)
    assert np.allclose(layers["probabilities"], predictor.predict(x), atol=1e-6)
    assert abs(float(layers["probabilities"].sum()) - 1.0) < 1e-6
    # New weights on the model are used at once (shared variables, no retrace).
    model.set_weights([w * 1.5 for w in model.get_weights()])
    again = predictor.layers(x)["probabilities"]
    assert np.allclose(again, predictor.predict(x), atol=1e-6)
    top, gradient = predictor.saliency(x)
    assert top == int(np.argmax(predictor.predict(x)))
    assert gradient.shape == (28, 28)
    assert np.isfinite(gradient).all()
    with pytest.raises(ValueError, match="28x28"):
        predictor.layers(np.zeros((27, 28), np.float32))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        predictor.layers(np.full((28, 28), 2.0, np.float32))
