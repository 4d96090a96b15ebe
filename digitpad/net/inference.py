"""Every compiled call on a LeNet, traced once: never ``model.predict``.

``model.predict`` builds a data pipeline and a step function on every call
(tens of milliseconds for one image); calling a ``tf.function`` traced once
for a fixed input signature takes about a millisecond. See
``tests/benchmarks/bench_predict.py`` for the numbers.

:class:`Predictor` traces all of its calls in its constructor (the
probabilities of a batch, the probabilities and embeddings of a batch, the
inner layers of one drawing, the saliency of one drawing) and runs each
once, so nothing is traced later: in the window's process TensorFlow work
happens on one thread (the inference worker), and it never traces while a
drawing is being read.

Threads: a predictor belongs to the thread that created it (in the app, the
inference worker thread, which also owns the Keras model); only that thread
may call it.
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

#: The layer whose output is a drawing's embedding (:meth:`Predictor.features_batch`).
EMBEDDING_LAYER = "fc1"

#: The layers :meth:`Predictor.layers` returns, in order, with their output
#: shapes for one image.
LAYERS: dict[str, tuple[int, ...]] = {
    "conv1": (24, 24, 20),
    "pool2": (6, 6, 50),
    "fc1": (500,),
    "probabilities": (10,),
}

_SIGNATURE = [tf.TensorSpec((None, *INPUT_SHAPE), tf.float32)]


class Predictor:
    """Probabilities, inner layers and saliency of a LeNet, from compiled calls.

    Attributes:
        model: the wrapped network. A call reads the model's variables, so
            ``model.set_weights`` takes effect at once, with no retrace.
        manifest: the cache manifest the model came from, or ``None``.
    """

    def __init__(
        self,
        model: keras.Model,
        manifest: dict[str, Any] | None = None,
        *,
        batch_only: bool = False,
    ) -> None:
        """Wrap ``model``; trace and warm up every compiled call now.

        Args:
            model: a network built by ``digitpad.net.lenet.build_lenet``.
            manifest: where the weights came from, for display.
            batch_only: trace only the probabilities call (:meth:`predict`,
                :meth:`predict_batch`): for scoring data sets, where the
                features, layers and saliency calls would only cost tracing time.

        Raises:
            ValueError: ``model`` lacks one of the layers in :data:`LAYERS`.
        """
        self.model = model
        self.manifest = manifest
        try:
            outputs = [model.get_layer(name).output for name in LAYERS]
        except ValueError as exc:
            raise ValueError(
                f"the model has no layer named like one of {', '.join(LAYERS)}: "
                "build it with digitpad.net.lenet.build_lenet()"
            ) from exc
        # A second model over the same layers, hence the same variables.
        self._layers_model = keras.Model(model.inputs, outputs, name="lenet_layers")
        self._features_model = keras.Model(
            model.inputs,
            [model.output, model.get_layer(EMBEDDING_LAYER).output],
            name="lenet_features",
        )
        # Concrete functions: one trace each for any batch size, and calling
        # them skips tf.function's argument matching (~0.3 ms of the ~1.2 ms
        # a single drawing costs, measured).
        self._probabilities_call = _concrete(self._probabilities)
        calls = [self._probabilities_call]
        self._features_call: Any = None
        if not batch_only:
            self._features_call = _concrete(self._features)
            self._layers_call = _concrete(self._all_layers)
            self._saliency_call = _concrete(self._saliency)
            calls += [self._features_call, self._layers_call, self._saliency_call]
        # The first run allocates memory and picks kernels: here, not on the
        # user's first stroke.
        blank = tf.constant(np.zeros((1, *INPUT_SHAPE), np.float32))
        for call in calls:
            call(blank)

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
            digitpad.storage.model_store.NoModelError: nothing is cached under
                ``name`` (train one first: ``digitpad train``).
            digitpad.storage.model_store.CorruptModelError: the cached files
                failed verification and were moved aside.
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
            RuntimeError: the network produced non-finite probabilities.
        """
        return self.predict_batch(one_input(x28))[0]

    def predict_batch(self, xs: np.ndarray) -> np.ndarray:
        """Probabilities for N inputs at once.

        Args:
            xs: N x 28 x 28 or N x 28 x 28 x 1, float in [0, 1] or uint8 0-255.

        Returns:
            float32 N x 10, each row finite and summing to 1.

        Raises:
            ValueError: wrong shape, NaN/infinite or out-of-range values.
            RuntimeError: the network produced non-finite probabilities.
        """
        inputs = batch_input(xs)
        if len(inputs) == 0:
            return np.zeros((0, NUM_CLASSES), np.float32)
        return np.concatenate(
            [
                _normalised(self._probabilities_call(tf.constant(inputs[i : i + MAX_BATCH])))
                for i in range(0, len(inputs), MAX_BATCH)
            ]
        )

    def features_batch(self, xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Probabilities and embeddings (``fc1``, 500 values) for N inputs at once.

        One compiled call gives both, so a reading that consults the personal
        memory (:mod:`digitpad.net.memory`) costs no second pass.

        Args:
            xs: N x 28 x 28 or N x 28 x 28 x 1, float in [0, 1] or uint8 0-255.

        Returns:
            ``(probabilities, embeddings)``: float32 N x 10 (rows finite, summing
            to 1, as :meth:`predict_batch`) and float32 N x 500.

        Raises:
            ValueError: wrong shape, NaN/infinite or out-of-range values.
            RuntimeError: the network produced non-finite values, or the
                predictor was made with ``batch_only=True`` (not traced).
        """
        if self._features_call is None:
            raise RuntimeError(
                "features_batch is not traced by a batch_only predictor: "
                "make it with Predictor(model)"
            )
        inputs = batch_input(xs)
        if len(inputs) == 0:
            width = LAYERS[EMBEDDING_LAYER][0]
            return np.zeros((0, NUM_CLASSES), np.float32), np.zeros((0, width), np.float32)
        probabilities, embeddings = [], []
        for i in range(0, len(inputs), MAX_BATCH):
            chunk_probabilities, chunk_embeddings = self._features_call(
                tf.constant(inputs[i : i + MAX_BATCH])
            )
            probabilities.append(_normalised(chunk_probabilities))
            embedding = np.asarray(chunk_embeddings, dtype=np.float32)
            if not np.isfinite(embedding).all():
                raise RuntimeError(
                    "the model produced non-finite embeddings; its weights are "
                    "damaged: retrain it (digitpad train)"
                )
            embeddings.append(embedding)
        return np.concatenate(probabilities), np.concatenate(embeddings)

    def layers(self, x28: np.ndarray) -> dict[str, np.ndarray]:
        """Every layer of :data:`LAYERS` for one input, in one compiled call.

        Args:
            x28: one input, as for :meth:`predict`.

        Returns:
            ``{"conv1": 24x24x20, "pool2": 6x6x50, "fc1": (500,),
            "probabilities": (10,)}``, float32; probabilities sum to 1.

        Raises:
            ValueError: wrong shape, NaN/infinite or out-of-range values.
            RuntimeError: the network produced non-finite probabilities.
        """
        outputs = self._layers_call(tf.constant(one_input(x28)))
        result = {name: np.asarray(t)[0] for name, t in zip(LAYERS, outputs, strict=True)}
        result["probabilities"] = _normalised(outputs[-1])[0]
        return result

    def saliency(self, x28: np.ndarray) -> tuple[int, np.ndarray]:
        """Which input pixels pushed the top class up: d p(top) / d input.

        Args:
            x28: one input, as for :meth:`predict`.

        Returns:
            The top digit and a float32 28 x 28 array of gradients (signed).
        """
        top, gradient = self._saliency_call(tf.constant(one_input(x28)))
        return int(top[0]), np.asarray(gradient)[0, :, :, 0].astype(np.float32)

    def _probabilities(self, x: tf.Tensor) -> tf.Tensor:
        return self.model(x, training=False)

    def _features(self, x: tf.Tensor) -> list[tf.Tensor]:
        return self._features_model(x, training=False)

    def _all_layers(self, x: tf.Tensor) -> list[tf.Tensor]:
        return self._layers_model(x, training=False)

    def _saliency(self, x: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        with tf.GradientTape() as tape:
            tape.watch(x)
            probabilities = self.model(x, training=False)
            top = tf.argmax(probabilities, axis=1, output_type=tf.int32)
            picked = tf.gather(probabilities, top, axis=1, batch_dims=1)
        return top, tape.gradient(picked, x)


def predict_probabilities(model: keras.Model, images: np.ndarray) -> np.ndarray:
    """``model``'s probabilities for many 28 x 28 images (uint8 or float in [0, 1])."""
    return Predictor(model, batch_only=True).predict_batch(images)


def evaluate(model: keras.Model, x_test: np.ndarray, y_test: np.ndarray) -> tuple[float, float]:
    """Test loss (categorical cross-entropy) and accuracy of ``model``."""
    probabilities = predict_probabilities(model, x_test)
    picked = probabilities[np.arange(len(y_test)), np.asarray(y_test, dtype=np.int64)]
    loss = float(-np.mean(np.log(np.clip(picked, 1e-7, 1.0))))
    accuracy = float(np.mean(np.argmax(probabilities, axis=1) == y_test))
    return loss, accuracy


def _concrete(function: Any) -> Any:
    """Trace ``function`` for N x 28 x 28 x 1 float inputs; its concrete function."""
    return tf.function(function, input_signature=_SIGNATURE).get_concrete_function()


def _normalised(probabilities: Any) -> np.ndarray:
    """Checked probabilities whose rows sum to 1 exactly (softmax is off by rounding)."""
    array = np.asarray(probabilities, dtype=np.float32)
    sums = array.sum(axis=1, keepdims=True)
    if not np.isfinite(array).all() or (sums <= 0).any():
        raise RuntimeError(
            "the model produced non-finite probabilities; its weights are "
            "damaged: retrain it (digitpad train)"
        )
    return array / sums


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


def batch_input(xs: Any) -> np.ndarray:
    """Check a batch of images and convert it to float32 N x 28 x 28 x 1.

    Raises:
        ValueError: wrong shape, non-numeric, NaN/infinite or out of [0, 1].
    """
    array = np.asarray(xs)
    if array.ndim == 3 and array.shape[1:] == INPUT_SHAPE[:2]:
        array = array[..., None]
    elif not (array.ndim == 4 and array.shape[1:] == INPUT_SHAPE):
        raise ValueError(
            f"expected a batch of 28x28 images (N x 28 x 28 or N x 28 x 28 x 1), "
            f"got shape {array.shape}"
        )
    return _as_input(array)


def _as_input(array: np.ndarray) -> np.ndarray:
    """Check values and convert to float32 in [0, 1]."""
    if array.dtype == np.uint8:
        return array.astype(np.float32) / np.float32(255.0)
    if array.dtype == np.bool_:
        return array.astype(np.float32)
    if not (np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.integer)):
        raise ValueError(f"expected a numeric image, got dtype {array.dtype}")
    values = array.astype(np.float32, copy=False)
    if values.size == 0:
        return values
    if not np.isfinite(values).all():
        raise ValueError("the input contains NaN or infinite values")
    low, high = float(values.min()), float(values.max())
    if low < 0.0 or high > 1.0 + 1e-6:
        raise ValueError(
            f"expected values in [0, 1] (ink 1.0), got [{low:g}, {high:g}]; "
            "scale 0-255 images by 1/255 or pass uint8"
        )
    return np.minimum(values, np.float32(1.0))
