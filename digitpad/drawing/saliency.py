"""Saliency on the canvas: where the 28x28 input came from, and the map put back there.

:func:`digitpad.drawing.mnist_format.to_mnist` crops a drawing to its ink, scales it
so the long side fills 20 pixels (after changing the stroke width on a
supersampled copy) and shifts it so its centre of mass is in the middle of
the 28x28 field. Every step is a scale and a shift, the same on both axes,
so a canvas point ``p`` (continuous pixel coordinates, pixel ``i`` spanning
``[i, i + 1)``) lands at ``offset + scale * p`` in the model input.
:func:`placement` reproduces only that geometry (the same crop, widths and
offsets as ``to_mnist``, none of the final resampling); :func:`to_canvas`
uses it to carry a 28x28 map (a saliency map) back onto the canvas, smoothly.

Pure numpy: no Qt, no TensorFlow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from digitpad.drawing import mnist_format as pp

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


@dataclass(frozen=True)
class Placement:
    """Where a canvas image lands in the 28x28 model input.

    A canvas point ``(row, col)`` maps to ``(row_offset + scale * row,
    col_offset + scale * col)`` in the 28x28 input (continuous coordinates).

    Attributes:
        scale: model-input pixels per canvas pixel.
        row_offset: input row of canvas row 0.
        col_offset: input column of canvas column 0.
    """

    scale: float
    row_offset: float
    col_offset: float

    def to_input(self, row: float, col: float) -> tuple[float, float]:
        """Canvas point -> model-input point."""
        return self.row_offset + self.scale * row, self.col_offset + self.scale * col

    def to_canvas(self, row: float, col: float) -> tuple[float, float]:
        """Model-input point -> canvas point."""
        return (row - self.row_offset) / self.scale, (col - self.col_offset) / self.scale


def placement(
    image: np.ndarray,
    *,
    stroke_width: float | None = pp.TARGET_STROKE_WIDTH,
    remove_specks: bool = True,
) -> Placement | None:
    """The geometry :func:`digitpad.drawing.mnist_format.to_mnist` applies to ``image``.

    Takes the same arguments and makes the same decisions (crop, specks,
    stroke-width change, refit, centring), step for step, but returns the
    affine map instead of resampling. Keep it in step with ``to_mnist``: the
    tests compare the two.

    Args:
        image: the canvas image given to ``to_mnist``.
        stroke_width: as for ``to_mnist``.
        remove_specks: as for ``to_mnist``.

    Returns:
        The placement, or ``None`` for a blank image.
    """
    img, peak = pp._prepare(image)
    row_mass = img.sum(axis=1)
    if float(row_mass.sum(dtype=np.float64)) < pp.BLANK_INK:
        return None
    mask = img >= pp.INK_LEVEL * peak
    rows = mask.any(axis=1)
    cols = mask.any(axis=0)
    r0, r1 = pp._span(rows)
    c0, c1 = pp._span(cols)
    if remove_specks:
        r0, r1, c0, c1 = pp._crop_without_specks(
            img, mask, (rows, cols), (row_mass, img.sum(axis=0)), (r0, r1, c0, c1)
        )
    crop = img[r0:r1, c0:c1]
    height, width = crop.shape
    scale = pp.BOX / max(height, width)

    if stroke_width is None:
        centre = pp._centre_of_mass(crop)
        row_off = pp._offset(centre[0], scale, height)
        col_off = pp._offset(centre[1], scale, width)
        return Placement(scale, row_off - scale * r0, col_off - scale * c0)

    fine = scale * pp.SUPERSAMPLE
    pad = math.ceil(stroke_width * pp.SUPERSAMPLE) + 1
    fine_h = math.ceil(height * fine - 1e-6) + 2 * pad
    fine_w = math.ceil(width * fine - 1e-6) + 2 * pad
    work = pp._resample(crop, (fine, float(pad), fine_h), (fine, float(pad), fine_w))
    work *= np.float32(1.0 / float(work.max()))
    np.clip(work, 0.0, 1.0, out=work)
    drawn_length = pp._long_side(work)
    measured = pp._stroke_width(work)
    if measured > 0:
        change = stroke_width * pp.SUPERSAMPLE - measured
        if change < 0:
            change = max(change, -pp.MAX_THINNING * measured)
        changed = pp._morph(work, round(change / 2.0))
        if float(changed.max()) >= 0.5:
            work = changed
    centre = pp._centre_of_mass(work)
    down = drawn_length / pp._long_side(work) / pp.SUPERSAMPLE
    inked_rows = pp._span(work.max(axis=1) > 0)
    inked_cols = pp._span(work.max(axis=0) > 0)
    row_off = pp._offset(centre[0], down, fine_h, inked_rows)
    col_off = pp._offset(centre[1], down, fine_w, inked_cols)
    # canvas -> crop (minus r0) -> work (pad + fine * .) -> input (off + down * .)
    total = down * fine
    return Placement(total, row_off + down * (pad - fine * r0), col_off + down * (pad - fine * c0))


def to_canvas(map28: np.ndarray, where: Placement, shape: tuple[int, int]) -> np.ndarray:
    """Carry a 28x28 map back onto a canvas of ``shape``, bilinearly.

    Each canvas pixel takes the map's value at the point its centre lands on
    in the model input (bilinear between the input pixels' centres); canvas
    pixels that land outside the 28x28 field get 0.

    Args:
        map28: 28 x 28 values (e.g. a saliency map).
        where: the canvas's :func:`placement`.
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


def overlay_rgba(
    gradient: np.ndarray, image: np.ndarray, where: Placement | None = None
) -> np.ndarray | None:
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
        where: its :func:`placement` (computed when not given).

    Returns:
        uint8 H x W x 4 *premultiplied* RGBA, or ``None`` when the image is
        blank or the gradient is zero on all the ink (nothing to show).
    """
    if where is None:
        where = placement(image)
    if where is None:
        return None
    ink = pp.as_image(image)
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
