"""Network files written by Keras here, as the article's code writes them (tests only)."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def article_model(weights: list[np.ndarray] | None = None, lambda_marker: Path | None = None):
    """The article's LeNet as its code builds it (Sequential), optionally with a Lambda layer.

    The Lambda calls ``os.system`` to create ``lambda_marker``: whoever runs
    the layer's code creates the file.
    """
    import keras
    from keras import layers

    stack = [keras.Input((28, 28, 1))]
    if lambda_marker is not None:
        command = f"touch {lambda_marker}"
        stack.append(
            layers.Lambda(lambda x: (__import__("os").system(command), x)[1], name="lambda")
        )
    stack += [
        layers.Conv2D(20, (5, 5), activation="relu"),
        layers.MaxPooling2D((2, 2), strides=2, padding="same"),
        layers.Conv2D(50, (5, 5), padding="same", activation="relu"),
        layers.MaxPooling2D((2, 2), strides=2, padding="same"),
        layers.Flatten(),
        layers.Dense(500, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ]
    model = keras.Sequential(stack)
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    if weights is not None:
        model.set_weights(weights)
    return model


def other_model():
    """Another architecture: 3x3 convolutions with 32 filters."""
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(32, (3, 3), activation="relu"),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ]
    )
