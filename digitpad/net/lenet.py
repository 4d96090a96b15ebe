"""The network: the article's LeNet, built in code (never deserialized)."""

from __future__ import annotations

import keras
import numpy as np
from keras import layers

ARCHITECTURE_ID = "lenet-article-v1"
INPUT_SHAPE = (28, 28, 1)
NUM_CLASSES = 10
NUM_WEIGHTS = 931_080


def build_lenet() -> keras.Model:
    """Build the LeNet of the article "Keras实现LeNet识别mnist".

    Conv2D 20@5x5 relu (valid) -> MaxPool 2/2 same -> Conv2D 50@5x5 relu same
    -> MaxPool 2/2 same -> Flatten -> Dense 500 relu -> Dense 10 softmax, on a
    28x28x1 input in [0, 1]: 931,080 weights.

    Returns:
        An uncompiled Keras model with freshly initialised weights.
    """
    inputs = keras.Input(shape=INPUT_SHAPE, name="digit")
    x = layers.Conv2D(20, (5, 5), activation="relu", name="conv1")(inputs)
    x = layers.MaxPooling2D((2, 2), strides=2, padding="same", name="pool1")(x)
    x = layers.Conv2D(50, (5, 5), activation="relu", padding="same", name="conv2")(x)
    x = layers.MaxPooling2D((2, 2), strides=2, padding="same", name="pool2")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(500, activation="relu", name="fc1")(x)
    outputs = layers.Dense(NUM_CLASSES, activation="softmax", name="probabilities")(x)
    return keras.Model(inputs, outputs, name="lenet")


def weight_shapes() -> list[tuple[int, ...]]:
    """Shapes of the weight arrays of :func:`build_lenet`, in Keras order."""
    return [(5, 5, 1, 20), (20,), (5, 5, 20, 50), (50,), (1800, 500), (500,), (500, 10), (10,)]


def lenet_from_weights(weights: list[np.ndarray]) -> keras.Model:
    """Build the network in code and set the given weights.

    Raises:
        ValueError: the arrays do not fit this architecture.
    """
    shapes = [tuple(w.shape) for w in weights]
    if shapes != weight_shapes():
        raise ValueError(
            f"these weights do not fit the LeNet architecture (shapes {shapes}, "
            f"expected {weight_shapes()})"
        )
    model = build_lenet()
    model.set_weights(weights)
    return model


def to_input(images: np.ndarray) -> np.ndarray:
    """Turn uint8 (0-255) or float (0-1) 28x28 images into the model's input.

    Args:
        images: N x 28 x 28 or 28 x 28 array.

    Returns:
        float32 N x 28 x 28 x 1 array in [0, 1].
    """
    images = np.asarray(images)
    if images.ndim == 2:
        images = images[None]
    if images.dtype == np.uint8:
        images = images.astype(np.float32) / 255.0
    return images.astype(np.float32, copy=False)[..., None]


def predict_probabilities(model: keras.Model, images: np.ndarray) -> np.ndarray:
    """``model``'s probabilities for many 28x28 images, in batches of 1,000."""
    x = to_input(images)
    if len(x) == 0:
        return np.zeros((0, NUM_CLASSES), np.float32)
    return np.concatenate(
        [np.asarray(model(x[i : i + 1000], training=False)) for i in range(0, len(x), 1000)]
    )


def evaluate(model: keras.Model, x_test: np.ndarray, y_test: np.ndarray) -> tuple[float, float]:
    """Test loss (categorical cross-entropy) and accuracy of ``model``."""
    probabilities = predict_probabilities(model, x_test)
    picked = probabilities[np.arange(len(y_test)), np.asarray(y_test, dtype=np.int64)]
    loss = float(-np.mean(np.log(np.clip(picked, 1e-7, 1.0))))
    accuracy = float(np.mean(np.argmax(probabilities, axis=1) == y_test))
    return loss, accuracy
