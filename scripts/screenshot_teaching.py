"""Render the teaching features offscreen: the "?" answer and the My Digits view.

Uses the cached model (``digitpad train`` first; DIGITPAD_HOME is honoured),
draws with real mouse events and keeps drawings with real key presses, so
the pictures are what a user sees. Writes ``docs/not-sure.png`` and
``docs/my-digits.png``. Kept drawings go to the sample store of
DIGITPAD_HOME: point it at a scratch folder.

    DIGITPAD_HOME=/tmp/shot python scripts/screenshot_teaching.py
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from screenshot import REPO, three  # noqa: E402

from tests.benchmarks.gui_driving import draw, wait_until  # noqa: E402


def one(x: float) -> list[tuple[float, float]]:
    """A "1" as one slightly slanted stroke at ``x``."""
    return [(x + 8 - 0.4 * i, 60.0 + 4.0 * i) for i in range(41)]


def zero(x: float) -> list[tuple[float, float]]:
    """A narrow "0" centred at ``x``."""
    return [
        (x + 38 * math.sin(2 * math.pi * t / 48), 140 - 80 * math.cos(2 * math.pi * t / 48))
        for t in range(50)
    ]


def main() -> int:
    """Draw "10" (two digits): "?"; keep some drawings; show My Digits."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(REPO / "docs"))
    args = parser.parse_args()

    from digitpad.gui.window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow()
    window.canvas.set_dark_ink(False)
    window.resize(880, 620)
    window.show()
    if not wait_until(app, window.session.is_model_ready, 180):
        print(f"The model did not load: {window.status_text()}", file=sys.stderr)
        return 1
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for strokes, key in (
        ([one(140)], Qt.Key.Key_1),
        ([zero(140)], Qt.Key.Key_0),
        (three(), Qt.Key.Key_3),
    ):
        window.teaching.on_actionClear_triggered()
        draw(window.canvas, strokes, app)
        wait_until(app, lambda: not window.is_prediction_pending(), 30)
        QTest.keyClick(window.canvas, key)
    # A reading let stand: written, read sure, cleared with Edit > Clear.
    window.teaching.on_actionClear_triggered()
    draw(window.canvas, [one(150)], app)
    wait_until(app, lambda: not window.is_prediction_pending(), 30)
    window.teaching.on_actionClear_triggered()
    draw(window.canvas, [one(70), zero(190)], app)
    wait_until(app, lambda: not window.is_prediction_pending(), 30)
    for _ in range(5):
        app.processEvents()
    window.grab().save(str(out / "not-sure.png"))
    print(f"not-sure.png: {window.digit_label.text()!r} ({window.reason_text()})")
    window.teaching.on_actionMyDigits_triggered()
    dialog = window.teaching.my_digits_dialog
    dialog.resize(640, 420)
    for _ in range(5):
        app.processEvents()
    dialog.grab().save(str(out / "my-digits.png"))
    print(f"my-digits.png: {dialog.thumbnail_count()} drawings")
    dialog.close()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
