"""Read a digit image file (PNG, JPEG, ...) as an ink array, whatever its form.

Used by ``digitpad predict`` and by File > Open image. Decoding uses Qt's
image readers (QtGui only, no window needed) with a bounded allocation, so a
huge or hostile file gives a clear message instead of exhausting memory.
The result is the canvas's convention: float32, ink 1.0 on 0.0, ready for
:func:`digitpad.drawing.mnist_format.to_mnist`.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage, QImageReader

MAX_SIDE = 8192
#: Larger images are scaled down to this side while decoding: the network
#: reads 28 x 28, and float copies of a full 8000 x 8000 photo take gigabytes.
WORKING_SIDE = 1024
ALLOCATION_LIMIT_MB = 256
# Contrast below this (on a 0..1 scale) is paper texture or JPEG noise.
NOISE_FLOOR = 0.12


class ImageError(Exception):
    """The file is not a usable image; the message says why, for people."""


def load_ink(path: str | os.PathLike[str]) -> np.ndarray:
    """Read ``path`` and return its ink as a float32 array, ink 1.0 on 0.0.

    Dark ink on light paper and light ink on a dark background are both
    recognised (by the border's brightness); on images with transparency the
    opaque parts are the ink.

    Raises:
        ImageError: missing, empty, not an image, truncated, too large.
    """
    path = Path(path)
    if not path.exists():
        raise ImageError(f"{path}: no such file")
    if path.is_dir():
        raise ImageError(f"{path}: is a folder, not an image")
    if path.stat().st_size == 0:
        raise ImageError(f"{path}: the file is empty (0 bytes)")
    QImageReader.setAllocationLimit(ALLOCATION_LIMIT_MB)
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    if not reader.canRead():
        raise ImageError(f"{path}: not an image digitpad can read ({reader.errorString()})")
    size = reader.size()
    if size.isValid() and max(size.width(), size.height()) > MAX_SIDE:
        raise ImageError(
            f"{path}: the image is too large ({size.width()}x{size.height()} pixels; "
            f"at most {MAX_SIDE} per side). Scale it down first."
        )
    if size.isValid() and max(size.width(), size.height()) > WORKING_SIDE:
        scale = WORKING_SIDE / max(size.width(), size.height())
        reader.setScaledSize(
            QSize(max(1, round(size.width() * scale)), max(1, round(size.height() * scale)))
        )
    image = reader.read()
    if image.isNull():
        raise ImageError(
            f"{path}: the image could not be decoded ({reader.errorString()}); "
            "it may be truncated or corrupt"
        )
    return ink_from_qimage(image)


def ink_from_qimage(image: QImage) -> np.ndarray:
    """Turn any QImage into a float32 ink array (ink 1.0 on 0.0)."""
    rgba = image.convertToFormat(QImage.Format.Format_RGBA8888)
    height, width = rgba.height(), rgba.width()
    raw = np.frombuffer(rgba.constBits(), dtype=np.uint8, count=rgba.sizeInBytes())
    pixels = raw.reshape(height, rgba.bytesPerLine())[:, : width * 4].reshape(height, width, 4)
    pixels = pixels.astype(np.float32) / 255.0
    return ink_from_rgba(pixels)


def ink_from_rgba(pixels: np.ndarray) -> np.ndarray:
    """Ink from an H x W x 4 float RGBA array in [0, 1] (pure numpy)."""
    gray = pixels[..., :3] @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    alpha = pixels[..., 3]
    border = _border(alpha)
    if np.median(border) < 0.5 and alpha.max() - alpha.min() > 0.5:
        # Drawn on a transparent background: the opaque strokes are the ink.
        ink = alpha
    else:
        # Composite over the border colour so stray transparency reads as paper.
        background = float(np.median(_border(gray)))
        gray = alpha * gray + (1 - alpha) * background
        ink = background - gray if background >= 0.5 else gray - background
    ink = np.clip(ink, 0.0, None)
    peak = float(ink.max())
    if peak < NOISE_FLOOR:
        return np.zeros(ink.shape, dtype=np.float32)
    ink = ink / peak
    ink[ink < NOISE_FLOOR] = 0.0
    return ink.astype(np.float32)


def _border(channel: np.ndarray) -> np.ndarray:
    return np.concatenate([channel[0], channel[-1], channel[:, 0], channel[:, -1]])
