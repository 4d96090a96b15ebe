"""Read a digit image file (PNG, JPEG, ...) as an ink array, whatever its form.

Used by ``digitpad predict``, ``digitpad adapt --samples`` and File > Open
image. A file handed in may be hostile, so:

- its type is checked before it is opened, and it is opened non-blocking: a
  named pipe or a device is refused, never waited on;
- it is read whole into memory (at most :data:`MAX_FILE_BYTES`) and decoded
  from there, so no decoder ever opens another path;
- only raster formats recognised by their first bytes are decoded (PNG,
  JPEG, GIF, BMP, WebP, TIFF, PBM/PGM/PPM), with the decoder named
  explicitly. SVG is refused: Qt's SVG reader follows ``<image href>`` to
  any local file (a FIFO hangs it, any image is read), and rendering its
  ``<text>`` needs the font database, which aborts the process outside a
  GUI application. A digit is drawn or photographed, not typeset;
- decoding runs under Qt's allocation limit and a size limit, and images
  larger than :data:`WORKING_SIDE` are scaled down while decoding.

The result is the canvas's convention: float32, ink 1.0 on 0.0, ready for
:func:`digitpad.drawing.mnist_format.to_mnist`.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QImage, QImageReader

MAX_SIDE = 8192
#: Larger images are scaled down to this side while decoding: the network
#: reads 28 x 28, and float copies of a full 8000 x 8000 photo take gigabytes.
WORKING_SIDE = 1024
ALLOCATION_LIMIT_MB = 256
#: Larger files are refused unread (a digit photo is a few megabytes).
MAX_FILE_BYTES = 64 * 1024 * 1024
# Contrast below this (on a 0..1 scale) is paper texture or JPEG noise.
NOISE_FLOOR = 0.12
FORMATS = "PNG, JPEG, GIF, BMP, WebP, TIFF or PBM/PGM/PPM"


class ImageError(Exception):
    """The file is not a usable image; the message says why, for people."""


def load_ink(path: str | os.PathLike[str]) -> np.ndarray:
    """Read ``path`` and return its ink as a float32 array, ink 1.0 on 0.0.

    Dark ink on light paper and light ink on a dark background are both
    recognised (by the border's brightness); on images with transparency the
    opaque parts are the ink.

    Raises:
        ImageError: missing, unreadable, not a regular file, empty, not a
            supported image (SVG included), truncated, too large.
    """
    path = Path(path)
    data = read_image_file(path)
    fmt = sniff_format(data)
    if fmt is None:
        if _looks_like_svg(data):
            raise ImageError(
                f"{path}: SVG is not supported (it can name other files and needs fonts); "
                f"export it as PNG first"
            )
        raise ImageError(f"{path}: not an image digitpad can read (use {FORMATS})")
    QImageReader.setAllocationLimit(ALLOCATION_LIMIT_MB)
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer, fmt)
    try:
        image = _decode(reader, path)
    finally:
        # The format handler may touch the device as it dies (TIFF's does):
        # setDevice deletes it now, while the buffer surely still exists.
        reader.setDevice(None)
        buffer.close()
    return ink_from_qimage(image)


def _decode(reader: QImageReader, path: Path) -> QImage:
    """Decode with ``reader`` (format fixed, device set) under the size limits."""
    reader.setDecideFormatFromContent(False)
    reader.setAutoTransform(True)
    if not reader.canRead():
        raise ImageError(
            f"{path}: the image could not be decoded ({reader.errorString()}); "
            "it may be truncated or corrupt"
        )
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
    return image


def read_image_file(path: Path) -> bytes:
    """The bytes of a regular file of at most :data:`MAX_FILE_BYTES`.

    Raises:
        ImageError: missing, not permitted, not a regular file, empty, too large.
    """
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise ImageError(f"{path}: {_not_a_file(mode)}")
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags)
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):  # swapped since the check above
                raise ImageError(f"{path}: {_not_a_file(info.st_mode)}")
            if info.st_size > MAX_FILE_BYTES:
                raise ImageError(_too_large(path, info.st_size))
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ImageError(f"{path}: no such file") from None
    except PermissionError:
        raise ImageError(f"{path}: permission denied; check the file's permissions") from None
    except OSError as exc:
        if exc.errno == errno.ENOTDIR:
            raise ImageError(f"{path}: no such file (a part of the path is a file)") from None
        raise ImageError(f"{path}: the file cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_FILE_BYTES:
        raise ImageError(_too_large(path, len(data)))
    if not data:
        raise ImageError(f"{path}: the file is empty (0 bytes)")
    return data


def sniff_format(data: bytes) -> bytes | None:
    """The Qt format name of a supported raster image, from its first bytes; else ``None``."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return b"png"
    if data.startswith(b"\xff\xd8\xff"):
        return b"jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return b"gif"
    if data.startswith(b"BM"):
        return b"bmp"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return b"webp"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return b"tiff"
    if len(data) > 2 and data[0:1] == b"P" and data[1:2] in b"123456" and data[2:3].isspace():
        return b"ppm"
    return None


def _looks_like_svg(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in head


def _not_a_file(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a folder, not an image"
    if stat.S_ISFIFO(mode):
        return "is a named pipe, not an image file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not an image file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not an image file"
    return "is not a regular file"


def _too_large(path: Path, size: int) -> str:
    return (
        f"{path}: the file is too large ({size / 2**20:.0f} MB; at most "
        f"{MAX_FILE_BYTES // 2**20} MB). Scale it down first."
    )


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
