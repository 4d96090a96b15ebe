"""Saliency on the canvas: a 28x28 map carried back to where the input came from.

:func:`digitpad.drawing.mnist_format.to_mnist_placed` returns the placement
it applied (one scale and one shift from canvas to model input);
:func:`to_canvas` inverts it to carry a 28x28 map (a saliency map) back onto
the canvas, smoothly, and :func:`overlay_rgba` colours the ink with it.

Pure numpy: no Qt, no TensorFlow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from digitpad.drawing import mnist_format as pp
from digitpad.drawing.mnist_format import Placement

#: Gaussian blur (in model-input pixels) of the gradient before it is shown:
#: a raw gradient is speckled pixel to pixel; the blur keeps its large shape.
BLUR_SIGMA = 0.6
#: Colour shown where a pixel raised the top class (RGB, 0-255).
PUSH_COLOUR = (255, 120, 20)
#: Colour shown where a pixel lowered it.
PULL_COLOUR = (40, 140, 255)
#: Opacity of the strongest value (0-255).
MAX_ALPHA = 215
#: Values are scaled so this quantile of the magnitudes is full strength
#: (one extreme pixel does not wash out the rest).
FULL_QUANTILE = 0.995


def to_canvas(map28: np.ndarray, where: Placement, shape: tuple[int, int]) -> np.ndarray:
    """Carry a 28x28 map back onto a canvas of ``shape``, bilinearly.

    Each canvas pixel takes the map's value at the point its centre lands on
    in the model input (bilinear between the input pixels' centres); canvas
    pixels that land outside the 28x28 field get 0.

    Args:
        map28: 28 x 28 values (e.g. a saliency map).
        where: where ``to_mnist_placed`` put the canvas in the model input.
        shape: the canvas's ``(height, width)``.

    Returns:
        float32 ``shape`` array.
    """
    values = np.asarray(map28, dtype=np.float32)
    if values.shape != (pp.SIZE, pp.SIZE):
        raise ValueError(f"expected a 28x28 map, got shape {values.shape}")
    rows = _interpolation(shape[0], where.scale, where.row_offset)
    cols = _interpolation(shape[1], where.scale, where.col_offset)
    return (rows @ values @ cols.T).astype(np.float32)


def _interpolation(n_out: int, scale: float, offset: float) -> np.ndarray:
    """``n_out x 28`` bilinear weights: canvas pixel centre -> input samples."""
    # Input pixel j's centre is at j + 0.5; position in "index" units:
    position = offset + scale * (np.arange(n_out, dtype=np.float64) + 0.5) - 0.5
    weights = np.maximum(0.0, 1.0 - np.abs(position[:, None] - np.arange(pp.SIZE)[None, :]))
    # Outside the field (beyond the outer pixels' centres by more than half a
    # pixel) the map fades to zero instead of being extended.
    return weights.astype(np.float32)


def smooth(map28: np.ndarray, sigma: float = BLUR_SIGMA) -> np.ndarray:
    """Gaussian-blur a 28x28 map (separable, zero outside the field)."""
    values = np.asarray(map28, dtype=np.float32)
    if sigma <= 0:
        return values.copy()
    radius = max(1, math.ceil(3 * sigma))
    taps = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    taps /= taps.sum()
    n = values.shape[0]
    kernel = np.zeros((n, n), np.float64)
    for k, tap in zip(range(-radius, radius + 1), taps, strict=True):
        kernel += tap * np.eye(n, k=k)
    return (kernel @ values @ kernel.T).astype(np.float32)


def overlay_rgba(gradient: np.ndarray, image: np.ndarray, where: Placement) -> np.ndarray | None:
    """A translucent colour picture of how the ink of ``image`` pushed the prediction.

    The gradient says how the top class's probability changes with each input
    pixel; times the ink (gradient x input) it says what each piece of ink
    did: orange where the ink raised the probability, blue where it lowered
    it, more opaque where it mattered more. The gradient is carried back onto
    the canvas (:func:`to_canvas`) and multiplied by the canvas's own ink, so
    the colour follows the strokes as drawn. Values are scaled to the
    drawing's own strongest ones: the overlay shows where, not how much.

    Args:
        gradient: 28 x 28 gradient of the top class w.r.t. the model input.
        image: the canvas image the model input was made from (H x W, ink 1).
        where: where ``to_mnist_placed`` put the image in the model input.

    Returns:
        uint8 H x W x 4 *premultiplied* RGBA, or ``None`` when the image is
        blank or the gradient is zero on all the ink (nothing to show).
    """
    ink = pp.as_image(image)
    if float(ink.sum(dtype=np.float64)) < pp.BLANK_INK:
        return None
    values = to_canvas(smooth(gradient), where, ink.shape)
    magnitude = np.abs(values)
    inked = magnitude[ink >= pp.INK_LEVEL * float(ink.max())]
    full = float(np.quantile(inked, FULL_QUANTILE)) if inked.size else 0.0
    if not math.isfinite(full) or full <= 0.0:
        full = float((magnitude * ink).max())
    if not math.isfinite(full) or full <= 0.0:
        return None
    strength = np.minimum(magnitude / np.float32(full), np.float32(1.0))
    # A gentle curve, so weak evidence stays visible; times the ink, so the
    # colour lies on the strokes and fades with their anti-aliased edges.
    alpha = np.sqrt(strength) * ink * np.float32(MAX_ALPHA / 255.0)
    push = values > 0
    out = np.empty((*values.shape, 4), np.uint8)
    for channel in range(3):
        colour = np.where(push, PUSH_COLOUR[channel], PULL_COLOUR[channel]).astype(np.float32)
        out[..., channel] = np.rint(colour * alpha)
    out[..., 3] = np.rint(alpha * 255.0)
    return out


@dataclass(frozen=True)
class Saliency:
    """The saliency of one drawing, as the inference worker sends it.

    Attributes:
        top: the digit whose probability was differentiated.
        gradient: float32 28 x 28, d p(top) / d input (signed).
        rgba: the canvas overlay from :func:`overlay_rgba` (``None``: nothing
            to show).
        milliseconds: what computing it cost (gradient and overlay).
    """

    top: int
    gradient: np.ndarray
    rgba: np.ndarray | None
    milliseconds: float
