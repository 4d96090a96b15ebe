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
  larger than :data:`WORKING_SIDE` are scaled down while decoding;
- nothing reaches the terminal from the decoders: what they say through
  Qt's log ("libpng warning: zTXt: truncated") goes to this module's logger
  at debug level, and a PNG cut short or damaged is refused before libpng
  sees it, as libpng reports those on stderr itself ("libpng error: Read
  Error"). A file that cannot be read is an :class:`ImageError`, which
  says so in the app's own words.

The result is the canvas's convention: float32, ink 1.0 on 0.0, ready for
:func:`digitpad.drawing.mnist_format.to_mnist`.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import stat
import struct
import sys
import threading
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMessageLogContext,
    QSize,
    QtMsgType,
    qFormatLogMessage,
    qInstallMessageHandler,
)
from PySide6.QtGui import QImage, QImageReader

log = logging.getLogger(__name__)

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
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


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
    if fmt == b"png":
        check_png_chunks(data, path)
    QImageReader.setAllocationLimit(ALLOCATION_LIMIT_MB)
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    with _qt_messages_logged():
        reader = QImageReader(buffer, fmt)
        try:
            image = _decode(reader, path)
        finally:
            # The format handler may touch the device as it dies (TIFF's does):
            # setDevice deletes it now, while the buffer surely still exists.
            reader.setDevice(None)
            buffer.close()
    return ink_from_qimage(image)


QtMessageHandler = Callable[[QtMsgType, QMessageLogContext, str], None]


class _QtMessageRoute:
    """Qt's messages from the threads decoding an image, sent to :data:`log`.

    Qt has one message handler for the whole process: it is installed while
    any thread decodes, and the one before it is put back when the last
    thread is done. Messages from the other threads meanwhile go where they
    went before.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        #: Thread id -> how many decodings it is in (nested ones included).
        self.decoding: dict[int, int] = {}
        self.previous: QtMessageHandler | None = None

    @contextlib.contextmanager
    def during(self) -> Iterator[None]:
        """Route this thread's Qt messages to the log inside the ``with`` block."""
        thread = threading.get_ident()
        with self.lock:
            if not self.decoding:
                self.previous = qInstallMessageHandler(self.handle)
            self.decoding[thread] = self.decoding.get(thread, 0) + 1
        try:
            yield
        finally:
            with self.lock:
                self.decoding[thread] -= 1
                if not self.decoding[thread]:
                    del self.decoding[thread]
                if not self.decoding:
                    current = qInstallMessageHandler(self.previous)
                    if current != self.handle:
                        # Installed by someone else meanwhile: theirs stays.
                        qInstallMessageHandler(current)
                    self.previous = None

    def handle(self, kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        """Qt's message handler: log a decoding thread's message, pass on the others."""
        if threading.get_ident() in self.decoding:
            log.debug("Qt: %s", message)
            return
        previous = self.previous
        if previous is not None:
            previous(kind, context, message)
        else:  # Qt's default handler, which Python cannot call: do as it does.
            sys.stderr.write(qFormatLogMessage(kind, context, message) + "\n")


_qt_messages_logged = _QtMessageRoute().during


def _decode(reader: QImageReader, path: Path) -> QImage:
    """Decode with ``reader`` (format fixed, device set) under the size limits."""
    reader.setDecideFormatFromContent(False)
    reader.setAutoTransform(True)
    if not reader.canRead():
        raise ImageError(_undecodable(path, reader.errorString()))
    size = reader.size()
    if size.isValid() and max(size.width(), size.height()) > MAX_SIDE:
        raise ImageError(
            f"{path}: the image is too large ({size.width()}x{size.height()} pixels, "
            f"at most {MAX_SIDE} per side); scale it down first"
        )
    if size.isValid() and max(size.width(), size.height()) > WORKING_SIDE:
        scale = WORKING_SIDE / max(size.width(), size.height())
        reader.setScaledSize(
            QSize(max(1, round(size.width() * scale)), max(1, round(size.height() * scale)))
        )
    image = reader.read()
    if image.isNull():
        raise ImageError(_undecodable(path, reader.errorString()))
    return image


def check_png_chunks(data: bytes, path: Path) -> None:
    """Refuse a PNG whose chunks are cut short or damaged, as libpng would.

    libpng tells of those on the process's stderr, past any Qt message
    handler; found here first, they are an :class:`ImageError` like the
    rest. Only critical chunks' checksums count: libpng skips a damaged
    ancillary chunk (text, colour profile) and reads the image.

    Raises:
        ImageError: the chunks end before ``IEND``, or one is damaged.
    """
    view = memoryview(data)
    offset = len(PNG_SIGNATURE)
    while True:
        if offset + 8 > len(data):
            raise ImageError(_undecodable(path, "the PNG data ends too early"))
        length, kind = struct.unpack_from(">I4s", data, offset)
        end = offset + 8 + length + 4
        if length > 0x7FFFFFFF or not kind.isalpha():
            raise ImageError(_undecodable(path, "a PNG chunk is damaged"))
        if end > len(data):
            raise ImageError(_undecodable(path, "the PNG data ends too early"))
        (checksum,) = struct.unpack_from(">I", data, end - 4)
        if kind[:1].isupper() and zlib.crc32(view[offset + 4 : end - 4]) != checksum:
            raise ImageError(_undecodable(path, f"its {kind.decode()} chunk is damaged"))
        if kind == b"IEND":
            return
        offset = end


def _undecodable(path: Path, why: str) -> str:
    return f"{path}: the image could not be decoded ({why}); it may be truncated or corrupt"


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
    if data.startswith(PNG_SIGNATURE):
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
        f"{path}: the file is too large ({size / 2**20:.0f} MB, at most "
        f"{MAX_FILE_BYTES // 2**20} MB); scale it down first"
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
