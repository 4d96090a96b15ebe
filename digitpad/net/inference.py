"""Fast inference on one drawing: a compiled, warmed-up call, never ``model.predict``.

``model.predict`` builds a data pipeline and a step function on every call
(tens of milliseconds for one image); calling a ``tf.function`` traced once
for a fixed input signature takes a fraction of a millisecond. See
``tests/benchmarks/bench_predict.py`` for the numbers.

TensorFlow is imported at module level here and only here (besides the
model and training modules); GUI modules import this lazily on a worker.
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
import tensorflow as tf

from digitpad.net.lenet import INPUT_SHAPE, NUM_CLASSES
from digitpad.storage.model_store import ModelStore

#: Largest batch sent through the network at once (bounds memory).
MAX_BATCH = 1024


class Predictor:
    """The 10 digit probabilities for 28x28 inputs, from a Keras model.

    Threads: a predictor belongs to the thread that created it (in the app,
    the inference worker thread, which also owns the Keras model); only that
    thread may call it. It is not locked: two threads calling it at once, or
    changing the model's weights while it runs, is a bug.

    Attributes:
        model: the wrapped network (its current weights are used: a call reads
            the model's variables, so ``set_weights`` takes effect at once).
        manifest: the cache manifest the model came from, or ``None``.
    """

    def __init__(self, model: keras.Model, manifest: dict[str, Any] | None = None) -> None:
        """Wrap ``model``, trace the compiled call and warm it up.

        Args:
            model: a network taking N x 28 x 28 x 1 float inputs in [0, 1] and
                returning N x 10 probabilities (``digitpad.net.lenet.build_lenet``).
            manifest: where the weights came from, for display.
        """
        self.model = model
        self.manifest = manifest
        # One concrete function for any batch size: a single drawing and a
        # batch share the trace, and no input shape can cause a retrace.
        self._forward = tf.function(
            self._probabilities,
            input_signature=[tf.TensorSpec((None, *INPUT_SHAPE), tf.float32)],
            reduce_retracing=True,
        )
        # Tracing and the first run (memory allocation, kernel selection)
        # happen here, on the owning thread, not on the user's first stroke.
        # Calling the concrete function skips tf.function's argument matching:
        # ~0.3 ms of the ~1.2 ms a single drawing costs (measured).
        self._call = self._forward.get_concrete_function()
        self._run(np.zeros((1, *INPUT_SHAPE), np.float32))

    @classmethod
    def from_model(cls, model: keras.Model) -> Predictor:
        """A predictor for ``model`` (no manifest)."""
        return cls(model)

    @classmethod
    def from_cache(cls, store: ModelStore | None = None, name: str = "base") -> Predictor:
        """A predictor for the verified cached model ``name``.

        Args:
            store: the model cache; ``None`` means the one under DIGITPAD_HOME
                (or the user's data directory).
            name: the cache entry.

        Raises:
            digitpad.storage.model_store.NoModelError: nothing is cached under ``name``
                (train one first: ``digitpad train``).
            digitpad.storage.model_store.CorruptModelError: the cached files failed
                verification and were moved aside.
        """
        from digitpad.net import saved_models

        loaded = saved_models.load(store, name)
        return cls(loaded.model, manifest=loaded.manifest)

    def predict(self, x28: np.ndarray) -> np.ndarray:
        """Probabilities of the digits 0-9 for one input.

        Args:
            x28: 28 x 28, 28 x 28 x 1 or 1 x 28 x 28 x 1; float in [0, 1]
                (ink 1.0) or uint8 0-255.

        Returns:
            float32 array of shape (10,), finite, summing to 1.

        Raises:
            ValueError: wrong shape, NaN/infinite or out-of-range values.
        """
        return self._run(one_input(x28))[0]

    def predict_batch(self, xs: np.ndarray) -> np.ndarray:
        """Probabilities for N inputs at once.

        Args:
            xs: N x 28 x 28 or N x 28 x 28 x 1, float in [0, 1] or uint8 0-255.

        Returns:
            float32 N x 10, each row finite and summing to 1.

        Raises:
            ValueError: wrong shape, NaN/infinite or out-of-range values.
        """
        array = np.asarray(xs)
        if array.ndim == 4 and array.shape[1:] == INPUT_SHAPE:
            pass
        elif array.ndim == 3 and array.shape[1:] == INPUT_SHAPE[:2]:
            array = array[..., None]
        else:
            raise ValueError(
                f"expected a batch of 28x28 images (N x 28 x 28 or N x 28 x 28 x 1), "
                f"got shape {array.shape}"
            )
        if len(array) == 0:
            return np.zeros((0, NUM_CLASSES), np.float32)
        inputs = _as_input(array)
        return np.concatenate(
            [self._run(inputs[i : i + MAX_BATCH]) for i in range(0, len(inputs), MAX_BATCH)]
        )

    def _probabilities(self, x: tf.Tensor) -> tf.Tensor:
        return self.model(x, training=False)

    def _run(self, inputs: np.ndarray) -> np.ndarray:
        probabilities = self._call(tf.constant(inputs)).numpy().astype(np.float32)
        if not np.isfinite(probabilities).all():
            raise RuntimeError(
                "the model produced non-finite probabilities; its weights are "
                "damaged: retrain it (digitpad train)"
            )
        # Softmax sums to 1 up to float32 rounding; make it exact for display.
        return probabilities / probabilities.sum(axis=1, keepdims=True)


def one_input(x28: Any) -> np.ndarray:
    """Check one image and convert it to the model's float32 1 x 28 x 28 x 1 input.

    Raises:
        ValueError: wrong shape, non-numeric, NaN/infinite or out of [0, 1].
    """
    array = np.asarray(x28)
    if array.shape not in ((28, 28), (28, 28, 1), (1, 28, 28, 1)):
        raise ValueError(
            f"expected one 28x28 image (shape 28x28, 28x28x1 or 1x28x28x1), "
            f"got shape {array.shape}"
        )
    return _as_input(array.reshape(1, *INPUT_SHAPE))


def _as_input(array: np.ndarray) -> np.ndarray:
    """Check values and convert to float32 in [0, 1]."""
    if array.dtype == np.uint8:
        return array.astype(np.float32) / np.float32(255.0)
    if array.dtype == np.bool_:
        return array.astype(np.float32)
    if not (np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.integer)):
        raise ValueError(f"expected a numeric image, got dtype {array.dtype}")
    values = array.astype(np.float32, copy=False)
    if not np.isfinite(values).all():
        raise ValueError("the input contains NaN or infinite values")
    low, high = float(values.min()), float(values.max())
    if low < 0.0 or high > 1.0 + 1e-6:
        raise ValueError(
            f"expected values in [0, 1] (ink 1.0), got [{low:g}, {high:g}]; "
            "scale 0-255 images by 1/255 or pass uint8"
        )
    return np.minimum(values, np.float32(1.0))
