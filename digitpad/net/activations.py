"""What each layer computes for one drawing: one compiled call, several outputs.

:class:`ActivationPredictor` wraps a LeNet (``digitpad.net.lenet.build_lenet``)
in a second Keras model over the *same layers* (so the same variables: new
weights set on the LeNet are used at once) whose outputs are the first
convolution's 20 maps, the 50 maps after the second pooling, the 500 dense
activations and the 10 probabilities. One ``tf.function`` call with a fixed
input signature returns them all, so the app's live prediction and its
network view cost one call per drawing.

It also computes the saliency of a drawing (the gradient of the top class's
probability with respect to the input pixels).

Both compiled calls are traced and run once, on the owning thread, in the
constructor or (saliency) in :meth:`ActivationPredictor.enable_saliency`:
tracing a new ``tf.function`` while another thread is inside ``fit`` crashed
TensorFlow 2.21, so nothing here traces lazily; the caller picks the moment.
"""

from __future__ import annotations

from typing import Any

import keras  # noqa: TID253 - the Keras layer; the GUI imports this lazily on a worker
import numpy as np
import tensorflow as tf  # noqa: TID253

from digitpad.net.inference import one_input
from digitpad.net.lenet import INPUT_SHAPE

#: The layers whose outputs are returned, in order, with their output shapes
#: for one image.
LAYERS: dict[str, tuple[int, ...]] = {
    "conv1": (24, 24, 20),
    "pool2": (6, 6, 50),
    "fc1": (500,),
    "probabilities": (10,),
}


class ActivationPredictor:
    """Probabilities plus the inner activations of a LeNet for one 28x28 input.

    Threads: like :class:`digitpad.net.inference.Predictor`, it belongs to the
    thread that created it; only that thread may call it.

    Attributes:
        model: the wrapped LeNet (its current weights are always used).
    """

    def __init__(self, model: keras.Model, *, saliency: bool = True) -> None:
        """Build the multi-output model, trace the compiled calls, warm them up.

        Args:
            model: a network built by ``digitpad.net.lenet.build_lenet``.
            saliency: also trace the saliency call (a gradient computation).

        Raises:
            ValueError: ``model`` lacks one of the layers in :data:`LAYERS`.
        """
        self.model = model
        try:
            outputs = [model.get_layer(name).output for name in LAYERS]
        except ValueError as exc:
            raise ValueError(
                f"the model has no layer named like one of {', '.join(LAYERS)}: "
                "build it with digitpad.net.lenet.build_lenet()"
            ) from exc
        self._extra = keras.Model(model.inputs, outputs, name="lenet_activations")
        signature = [tf.TensorSpec((None, *INPUT_SHAPE), tf.float32)]
        self._forward = tf.function(
            self._all_outputs, input_signature=signature, reduce_retracing=True
        )
        self._gradient: Any = None
        blank = np.zeros((1, *INPUT_SHAPE), np.float32)
        self._forward(tf.constant(blank))
        # The concrete function skips tf.function's argument matching per call.
        self._call = self._forward.get_concrete_function()
        if saliency:
            self.enable_saliency()

    @property
    def has_saliency(self) -> bool:
        """Whether the saliency call is traced (:meth:`saliency` may be called)."""
        return self._gradient is not None

    def enable_saliency(self) -> None:
        """Trace and warm up the saliency call now (once; later calls do nothing).

        It traces a ``tf.function``: call it only when no other thread is
        inside Keras ``fit`` (see the module's note).
        """
        if self._gradient is not None:
            return
        signature = [tf.TensorSpec((None, *INPUT_SHAPE), tf.float32)]
        gradient = tf.function(self._saliency, input_signature=signature, reduce_retracing=True)
        gradient(tf.constant(np.zeros((1, *INPUT_SHAPE), np.float32)))
        self._gradient = gradient

    def predict_all(self, x28: np.ndarray) -> dict[str, np.ndarray]:
        """Every layer of :data:`LAYERS` for one input, in one compiled call.

        Args:
            x28: 28 x 28 (or 28 x 28 x 1, 1 x 28 x 28 x 1), float in [0, 1]
                with ink 1.0, or uint8 0-255.

        Returns:
            ``{"conv1": 24x24x20, "pool2": 6x6x50, "fc1": (500,),
            "probabilities": (10,)}``, float32; probabilities sum to 1.

        Raises:
            ValueError: wrong shape, NaN/infinite or out-of-range values.
            RuntimeError: the network produced non-finite probabilities.
        """
        inputs = one_input(x28)
        arrays = [np.asarray(t)[0] for t in self._call(tf.constant(inputs))]
        result = dict(zip(LAYERS, arrays, strict=True))
        probabilities = result["probabilities"].astype(np.float32)
        if not np.isfinite(probabilities).all() or probabilities.sum() <= 0:
            raise RuntimeError(
                "the model produced non-finite probabilities; its weights are "
                "damaged: retrain it (digitpad train)"
            )
        # Softmax sums to 1 up to float32 rounding; make it exact for display.
        result["probabilities"] = probabilities / probabilities.sum()
        return result

    def saliency(self, x28: np.ndarray) -> tuple[int, np.ndarray]:
        """Which input pixels pushed the top class up: d p(top) / d input.

        Args:
            x28: one input, as for :meth:`predict_all`.

        Returns:
            The top digit and a float32 28 x 28 array of gradients (signed).

        Raises:
            RuntimeError: the predictor was built with ``saliency=False``.
        """
        if self._gradient is None:
            raise RuntimeError("this predictor was built without saliency")
        top, gradient = self._gradient(tf.constant(one_input(x28)))
        return int(top[0]), np.asarray(gradient)[0, :, :, 0].astype(np.float32)

    def _all_outputs(self, x: tf.Tensor) -> list[tf.Tensor]:
        return self._extra(x, training=False)

    def _saliency(self, x: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        with tf.GradientTape() as tape:
            tape.watch(x)
            probabilities = self.model(x, training=False)
            top = tf.argmax(probabilities, axis=1, output_type=tf.int32)
            picked = tf.gather(probabilities, top, axis=1, batch_dims=1)
        return top, tape.gradient(picked, x)
