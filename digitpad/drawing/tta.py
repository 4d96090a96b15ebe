"""Test-time augmentation: a few slightly changed copies of a 28x28 drawing.

The network reads the drawing and these copies in one batched call and the
probabilities are averaged: a drawing that sits on the edge between two
digits (a curly 9 that looks a little like a 3) is read by where most of its
near neighbours fall, not by one exact pixel grid. The copies stay within
what the training distortions already covered (one pixel of shift, a few
degrees of slant, a little more or less ink), so each is a drawing the
network knows how to read.

Pure numpy: no Qt, no TensorFlow.
"""

from __future__ import annotations

import math

import numpy as np

#: The copies :func:`tta_batch` makes, in order (the first is the drawing itself).
VARIANTS: tuple[str, ...] = (
    "identity",
    "shift_left",
    "shift_right",
    "shift_up",
    "shift_down",
    "slant_left",
    "slant_right",
    "thicker",
)
SLANT_DEG = 8.0


def tta_batch(x28: np.ndarray) -> np.ndarray:
    """The drawing and its changed copies, to read in one call and average.

    Args:
        x28: one prepared drawing, 28 x 28, float in [0, 1] (ink 1.0) or uint8.

    Returns:
        float32 ``len(VARIANTS)`` x 28 x 28 in [0, 1]; row 0 is ``x28`` itself.

    Raises:
        ValueError: ``x28`` is not 28 x 28.
    """
    image = np.asarray(x28)
    if image.shape != (28, 28):
        raise ValueError(f"expected one 28 x 28 drawing, got shape {image.shape}")
    image = image.astype(np.float32) / 255.0 if image.dtype == np.uint8 else image
    image = np.clip(image.astype(np.float32, copy=False), 0.0, 1.0)
    slant = math.tan(math.radians(SLANT_DEG))
    copies = [
        image,
        _shift(image, 0, -1),
        _shift(image, 0, 1),
        _shift(image, -1, 0),
        _shift(image, 1, 0),
        _shear(image, -slant),
        _shear(image, slant),
        _thicker(image),
    ]
    return np.stack(copies).astype(np.float32, copy=False)


def average(probabilities: np.ndarray) -> np.ndarray:
    """The mean of the copies' probabilities (``len(VARIANTS)`` x 10 -> 10)."""
    return np.asarray(probabilities, dtype=np.float64).mean(axis=0)


def _shift(image: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """``image`` moved by whole pixels; what leaves the field is lost, new pixels are 0."""
    out = np.zeros_like(image)
    height, width = image.shape
    src_r = slice(max(0, -rows), height - max(0, rows))
    dst_r = slice(max(0, rows), height - max(0, -rows))
    src_c = slice(max(0, -cols), width - max(0, cols))
    dst_c = slice(max(0, cols), width - max(0, -cols))
    out[dst_r, dst_c] = image[src_r, src_c]
    return out


def _shear(image: np.ndarray, factor: float) -> np.ndarray:
    """Slant ``image`` about its centre: row ``r`` moves ``factor * (centre - r)`` pixels.

    A positive ``factor`` leans the top to the right. Each row is resampled
    linearly, so ink is conserved up to what leaves the field.
    """
    height, width = image.shape
    centre = (height - 1) / 2.0
    cols = np.arange(width, dtype=np.float32)
    out = np.empty_like(image)
    for row in range(height):
        source = cols - factor * (centre - row)
        out[row] = np.interp(source, cols, image[row], left=0.0, right=0.0)
    return out


def _thicker(image: np.ndarray) -> np.ndarray:
    """Half-way to a 3 x 3 maximum filter: strokes about half a pixel wider."""
    padded = np.pad(image, 1)
    height, width = image.shape
    grown = np.max(
        [padded[r : r + height, c : c + width] for r in range(3) for c in range(3)], axis=0
    )
    return 0.5 * (image + grown)
