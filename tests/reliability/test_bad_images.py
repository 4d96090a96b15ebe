"""Strange image files given to `digitpad predict` and to File > Open Image….

Each gives a clear message or a sensible prediction, never a crash or a
traceback: on the command line one line on stderr and exit 1 (or the
prediction), in the window a message and a window that still works. Huge
images are refused or scaled while decoding, so memory stays bounded.
"""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from helpers import ONE, draw_strokes
from PySide6.QtCore import QObject
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QFileDialog, QLabel

from digitpad.cli import main

pytestmark = pytest.mark.mnist

TIMEOUT_MS = 90_000
MB = 1024 * 1024


@dataclass(frozen=True)
class BadImage:
    """An image file and what the user must get from it."""

    name: str
    make: object  # (folder, mnist seven) -> Path
    error: str | None = None  # the message must match this
    blank: bool = False  # "no digit found"
    digit: int | None = None  # a sensible prediction


def png_of_size(width: int, height: int) -> bytes:
    """A valid all-white 1-bit PNG of any size, built by hand (compresses to little)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def gray_image(pixels: np.ndarray) -> QImage:
    pixels = np.ascontiguousarray(pixels, dtype=np.uint8)
    height, width = pixels.shape
    return QImage(pixels.data, width, height, width, QImage.Format.Format_Grayscale8).copy()


def seven_image(seven: np.ndarray) -> QImage:
    """An MNIST test "7", 4x enlarged, dark ink on white paper."""
    return gray_image(255 - np.kron(seven, np.ones((4, 4), np.uint8)))


def saved(folder: Path, name: str, image: QImage) -> Path:
    path = folder / name
    assert image.save(str(path)), name
    return path


def written(name: str, data: bytes):
    def make(folder: Path, seven: np.ndarray) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return make


def truncated_png(folder: Path, seven: np.ndarray) -> Path:
    path = saved(folder, "truncated.png", seven_image(seven))
    path.write_bytes(path.read_bytes()[:200])
    return path


def sixteen_bit(folder: Path, seven: np.ndarray) -> Path:
    path = saved(
        folder,
        "sixteen-bit.png",
        seven_image(seven).convertToFormat(QImage.Format.Format_Grayscale16),
    )
    assert path.read_bytes()[24] == 16, "not a 16-bit PNG"
    return path


def palette(folder: Path, seven: np.ndarray) -> Path:
    # Navy ink on cream paper, in a colour table: a real palette PNG.
    ink = np.kron(seven, np.ones((4, 4), np.uint8)).astype(np.float32)[..., None] / 255
    cream, navy = np.array([244, 236, 216, 255]), np.array([26, 42, 108, 255])
    rgba = np.ascontiguousarray(np.rint(cream + ink * (navy - cream)).astype(np.uint8))
    height, width = ink.shape[:2]
    image = QImage(rgba.data, width, height, QImage.Format.Format_RGBA8888).copy()
    image = image.convertToFormat(QImage.Format.Format_Indexed8)
    path = saved(folder, "palette.png", image)
    assert path.read_bytes()[25] == 3, "not a palette PNG"
    return path


def alpha(folder: Path, seven: np.ndarray) -> Path:
    # Black ink on a fully transparent background, as drawing apps export.
    ink = np.kron(seven, np.ones((4, 4), np.uint8))
    rgba = np.zeros((*ink.shape, 4), np.uint8)
    rgba[..., 3] = ink
    image = QImage(rgba.data, ink.shape[1], ink.shape[0], QImage.Format.Format_RGBA8888).copy()
    path = saved(folder, "alpha.png", image)
    assert path.read_bytes()[25] == 6, "not an RGBA PNG"
    return path


def plain(name: str, side: int, colour: str):
    def make(folder: Path, seven: np.ndarray) -> Path:
        image = QImage(side, side, QImage.Format.Format_RGB32)
        image.fill(QColor(colour))
        return saved(folder, name, image)

    return make


def plain_seven(folder: Path, seven: np.ndarray) -> Path:
    return saved(folder, "seven.png", seven_image(seven))


IMAGES = [
    BadImage("0 bytes", written("empty.png", b""), error="empty.png: the file is empty"),
    BadImage(
        "not an image",
        written("notes.png", b"shopping list: milk, eggs\n" * 40),
        error="notes.png: not an image",
    ),
    BadImage("truncated PNG", truncated_png, error="truncated.png: .*(decoded|not an image)"),
    BadImage("1x1", plain("one-pixel.png", 1, "black"), blank=True),
    BadImage(
        "20000x20000",
        written("huge.png", png_of_size(20000, 20000)),
        error="huge.png: the image is too large .20000x20000",
    ),
    BadImage(
        "8000x8000 (under the size limit)", written("big.png", png_of_size(8000, 8000)), blank=True
    ),
    BadImage("16-bit", sixteen_bit, digit=7),
    BadImage("palette", palette, digit=7),
    BadImage("alpha (transparent background)", alpha, digit=7),
    BadImage("all-white", plain("white.png", 200, "white"), blank=True),
    BadImage("all-black", plain("black.png", 200, "black"), blank=True),
    BadImage("control: plain 8-bit PNG", plain_seven, digit=7),
]


@pytest.fixture(scope="module")
def seven(mnist) -> np.ndarray:
    # The first "7" of the MNIST test set: the small model reads it.
    return mnist.x_test[int(np.flatnonzero(mnist.y_test == 7)[0])]


def expectation(image: BadImage) -> str:
    if image.error:
        return "clear error message"
    if image.blank:
        return "'no digit found' message"
    return f"predicts {image.digit}"


def test_cli_predict(cached_model_home, tmp_path, capsys, case, seven):  # noqa: ARG001
    failures: list[str] = []
    for image in IMAGES:
        entry = case(f"predict CLI: {image.name}", expectation(image) + ", exit code")
        path = image.make(tmp_path, seven)

        def check(image=image, path=path, entry=entry):
            code = main(["predict", "--json", str(path)])
            out, err = capsys.readouterr()
            assert "Traceback" not in out + err
            if image.digit is not None:
                assert code == 0, err
                result = json.loads(out)
                assert result["digit"] == image.digit, result
                entry.note(f"{result['digit']} at {result['confidence']:.0%}")
                return
            assert code == 1, (code, out, err)
            assert out == ""
            assert err.count("\n") == 1, err
            assert err.startswith("digitpad: "), err
            pattern = image.error or f"{path.name}: no digit found"
            assert re.search(pattern, err), err
            entry.note(err.strip().replace(f"{tmp_path}{os.sep}", "")[:70])

        entry.check(failures, check)
    assert not failures, "\n".join(failures)


PEAK_RSS = """
import sys
from digitpad.cli import main
code = main(sys.argv[1:])
# VmHWM: this process's peak resident memory (ru_maxrss would include the
# parent's at fork time: the test process, TensorFlow and all).
peak = [line for line in open("/proc/self/status") if line.startswith("VmHWM")]
print(int(peak[0].split()[1]) * 1024)
sys.exit(code)
"""


def child_peak_rss(args: list[str]) -> tuple[int, str, int]:
    """Run ``digitpad ARGS`` in a new process; return its exit code, stderr, peak RSS."""
    proc = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
        check=False,
    )
    return proc.returncode, proc.stderr, int(proc.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
@pytest.mark.parametrize(
    ("name", "size", "limit_mb", "message"),
    [
        ("20000x20000", 20000, 200, "too large"),
        ("8000x8000", 8000, 256 + 100, "no digit found"),
    ],
)
def test_huge_images_use_bounded_memory(tmp_path, case, name, size, limit_mb, message):
    entry = case(
        f"predict process: {name} PNG, peak memory",
        f"clear message; peak RSS growth < {limit_mb} MB",
    )
    baseline_file = tmp_path / "empty.png"
    baseline_file.write_bytes(b"")
    code, err, baseline = child_peak_rss(["predict", str(baseline_file)])
    assert code == 1, err
    assert "empty" in err
    path = tmp_path / f"{name}.png"
    path.write_bytes(png_of_size(size, size))
    code, err, peak = child_peak_rss(["predict", str(path)])
    assert code == 1, err
    assert "Traceback" not in err
    assert err.count("\n") == 1, err
    assert message in err
    growth = (peak - baseline) / MB
    entry.note(f"peak RSS growth {growth:.0f} MB")
    assert growth < limit_mb


def test_gui_open_image(qtbot, ready_window, tmp_path, message_boxes, monkeypatch, case, seven):
    window = ready_window
    chosen: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (chosen[-1], ""))
    probabilities = window.findChild(QObject, "predictionBars")
    digit_label = window.findChild(QLabel, "predictedDigit")
    messages: list[str] = []
    window.statusBar().messageChanged.connect(messages.append)
    failures: list[str] = []
    for image in IMAGES:
        entry = case(f"File > Open: {image.name}", expectation(image) + ", app alive")
        path = image.make(tmp_path, seven)

        def check(image=image, path=path, entry=entry):
            window.canvas.clear()
            message_boxes.shown.clear()
            messages.clear()
            chosen.append(str(path))
            window.findChild(QObject, "actionOpen").trigger()
            text = message_boxes.texts()
            assert "Traceback" not in text
            if image.error:
                assert message_boxes.titles() == ["Cannot open the image"], text
                assert re.search(image.error, text), text
                assert window.canvas.is_blank()
                reason = message_boxes.shown[0][2].replace(f"{tmp_path}{os.sep}", "")
                entry.note(f"dialog: {reason[:60]}")
            elif image.blank:
                assert message_boxes.shown == [], text
                assert any(f"No digit found in {path.name}" in m for m in messages), messages
                assert probabilities.property("probabilities") == []
                entry.note("status bar: no digit found")
            else:
                assert message_boxes.shown == [], text
                qtbot.waitUntil(lambda: not window.is_prediction_pending(), timeout=TIMEOUT_MS)
                qtbot.waitUntil(
                    lambda: len(probabilities.property("probabilities")) == 10, timeout=TIMEOUT_MS
                )
                assert digit_text() == str(image.digit), probabilities.property("probabilities")
                entry.note(f"reads {digit_text()}")

        def digit_text() -> str:
            return digit_label.text()

        entry.check(failures, check)
    # Still alive and working after all of them.
    window.canvas.clear()
    draw_strokes(qtbot, window.canvas, ONE)
    qtbot.waitUntil(lambda: not window.is_prediction_pending(), timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: digit_label.text() == "1", timeout=TIMEOUT_MS)
    assert not failures, "\n".join(failures)
