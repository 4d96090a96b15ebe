import numpy as np
import pytest

from digitpad.net.inference import batch_input as to_input
from digitpad.net.inference import evaluate
from digitpad.net.lenet import NUM_WEIGHTS, build_lenet, lenet_from_weights, weight_shapes


def test_lenet_has_the_articles_931080_weights():
    model = build_lenet()
    assert model.count_params() == NUM_WEIGHTS == 931_080


def test_lenet_layers_are_the_articles():
    model = build_lenet()
    layers = [layer for layer in model.layers if layer.name != "digit"]
    kinds = [type(layer).__name__ for layer in layers]
    assert kinds == [
        "Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Flatten", "Dense", "Dense",
    ]  # fmt: skip
    conv1, pool1, conv2, pool2, _, fc1, out = layers
    assert (conv1.filters, conv1.kernel_size, conv1.padding) == (20, (5, 5), "valid")
    assert (conv2.filters, conv2.kernel_size, conv2.padding) == (50, (5, 5), "same")
    for pool in (pool1, pool2):
        assert (pool.pool_size, pool.strides, pool.padding) == ((2, 2), (2, 2), "same")
    assert conv1.activation.__name__ == conv2.activation.__name__ == fc1.activation.__name__
    assert fc1.activation.__name__ == "relu"
    assert (fc1.units, out.units, out.activation.__name__) == (500, 10, "softmax")
    assert model.input_shape == (None, 28, 28, 1)
    assert [tuple(w.shape) for w in model.get_weights()] == weight_shapes()


def test_output_is_a_probability_distribution():
    model = build_lenet()
    out = np.asarray(model(to_input(np.random.default_rng(0).random((3, 28, 28)))))
    assert out.shape == (3, 10)
    np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-5)


def test_weights_of_another_shape_are_refused():
    weights = build_lenet().get_weights()
    weights[4] = np.zeros((2450, 500), np.float32)
    with pytest.raises(ValueError, match="do not fit"):
        lenet_from_weights(weights)


def test_batch_input_scales_uint8_and_adds_channel():
    x = to_input(np.full((1, 28, 28), 255, np.uint8))
    assert x.shape == (1, 28, 28, 1)
    assert x.dtype == np.float32
    assert x.max() == 1.0


def test_evaluate_reports_loss_and_accuracy():
    model = build_lenet()
    x = np.random.default_rng(1).integers(0, 256, (50, 28, 28), dtype=np.uint8)
    predicted = np.argmax(np.asarray(model(to_input(x))), axis=1)
    loss, accuracy = evaluate(model, x, predicted)
    assert accuracy == 1.0
    assert 0 < loss < 10
