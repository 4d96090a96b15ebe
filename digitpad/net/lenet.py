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
