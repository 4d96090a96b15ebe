import struct
import zlib

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen

from digitpad.drawing.images import ImageError, ink_from_rgba, load_ink
from digitpad.drawing.mnist_format import to_mnist


def draw_seven(image: QImage, ink: QColor) -> QImage:
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(ink, image.width() / 12, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    w, h = float(image.width()), float(image.height())
    painter.drawLine(QPointF(w * 0.25, h * 0.2), QPointF(w * 0.75, h * 0.2))
    painter.drawLine(QPointF(w * 0.75, h * 0.2), QPointF(w * 0.4, h * 0.85))
    painter.end()
    return image


def make(fmt: QImage.Format, background: QColor, ink: QColor, size: int = 120) -> QImage:
    image = QImage(size, size, fmt)
    image.fill(background)
    return draw_seven(image, ink)


def reference_ink() -> np.ndarray:
    return load_ink_from(make(QImage.Format.Format_RGB32, QColor("white"), QColor("black")))


def load_ink_from(image: QImage, tmp_path=None, name="digit.png") -> np.ndarray:
    import tempfile
    from pathlib import Path

    folder = Path(tmp_path or tempfile.mkdtemp())
    path = folder / name
    assert image.save(str(path))
    return load_ink(path)


@pytest.mark.parametrize(
    ("fmt", "background", "ink"),
    [
        (QImage.Format.Format_RGB32, "white", "black"),
        (QImage.Format.Format_RGB32, "black", "white"),
        (QImage.Format.Format_RGB32, "#f4ecd8", "#1a2a6c"),  # blue pen on cream paper
        (QImage.Format.Format_Grayscale16, "white", "black"),
        (QImage.Format.Format_Grayscale8, "black", "white"),
    ],
    ids=["dark-on-light", "light-on-dark", "coloured", "16-bit", "gray8"],
)
def test_both_polarities_give_the_same_ink(tmp_path, fmt, background, ink):
    image = make(fmt, QColor(background), QColor(ink))
    result = load_ink_from(image, tmp_path)
    reference = reference_ink()
    assert result.dtype == np.float32
    assert result.max() == pytest.approx(1.0)
    assert np.abs(result - reference).mean() < 0.02


def test_palette_image(tmp_path):
    image = make(QImage.Format.Format_RGB32, QColor("white"), QColor("black"))
    indexed = image.convertToFormat(QImage.Format.Format_Indexed8)
    assert indexed.colorCount() > 0
    result = load_ink_from(indexed, tmp_path)
    assert np.abs(result - reference_ink()).mean() < 0.05


def test_transparent_background_uses_opaque_strokes(tmp_path):
    image = make(QImage.Format.Format_ARGB32, QColor(0, 0, 0, 0), QColor("white"))
    result = load_ink_from(image, tmp_path)
    assert np.abs(result - reference_ink()).mean() < 0.02


def test_jpeg_noise_is_not_ink(tmp_path):
    image = make(QImage.Format.Format_RGB32, QColor("white"), QColor("black"))
    result = load_ink_from(image, tmp_path, "digit.jpg")
    assert np.abs(result - reference_ink()).mean() < 0.03
    assert (result[:10, :10] == 0).all()


@pytest.mark.parametrize("colour", ["white", "black"])
def test_blank_images_have_no_ink(tmp_path, colour):
    image = QImage(50, 50, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    ink = load_ink_from(image, tmp_path)
    assert ink.max() == 0
    assert to_mnist(ink) is None


def test_one_pixel_image(tmp_path):
    image = QImage(1, 1, QImage.Format.Format_RGB32)
    image.fill(QColor("black"))
    assert load_ink_from(image, tmp_path).shape == (1, 1)


def test_empty_file(tmp_path):
    (tmp_path / "empty.png").write_bytes(b"")
    with pytest.raises(ImageError, match="empty"):
        load_ink(tmp_path / "empty.png")


def test_not_an_image(tmp_path):
    (tmp_path / "notes.png").write_text("this is text, not a picture\n" * 20)
    with pytest.raises(ImageError, match="not an image"):
        load_ink(tmp_path / "notes.png")


def test_truncated_png(tmp_path):
    path = tmp_path / "digit.png"
    make(QImage.Format.Format_RGB32, QColor("white"), QColor("black"), 400).save(str(path))
    path.write_bytes(path.read_bytes()[:300])
    with pytest.raises(ImageError, match="truncated|decoded|not an image"):
        load_ink(path)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ImageError, match="no such file"):
        load_ink(tmp_path / "nothing.png")
    with pytest.raises(ImageError, match="folder"):
        load_ink(tmp_path)


def png_of_size(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of any size, built by hand (compresses to little)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def test_huge_image_is_refused_before_decoding(tmp_path):
    path = tmp_path / "huge.png"
    path.write_bytes(png_of_size(20000, 20000))
    with pytest.raises(ImageError, match="too large.*20000x20000"):
        load_ink(path)


def test_hand_built_png_is_readable(tmp_path):
    path = tmp_path / "small.png"
    path.write_bytes(png_of_size(64, 48))
    assert load_ink(path).shape == (48, 64)


def test_ink_from_rgba_is_pure_numpy():
    pixels = np.ones((10, 10, 4), np.float32)
    pixels[4:6, 2:8, :3] = 0.0
    ink = ink_from_rgba(pixels)
    assert ink[5, 5] == 1.0
    assert ink[0, 0] == 0.0
