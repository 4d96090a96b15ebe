"""Render the window reading a hand-drawn digit, offscreen, to docs/screenshot.png.

Uses the cached model (``digitpad train`` first; DIGITPAD_HOME is honoured)
and draws with real mouse events, so the picture is what a user sees.

    python scripts/screenshot.py [--out docs/screenshot.png] [--number]
        [--language zh_CN] [--dark]
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "gui"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


from tests.benchmarks.gui_driving import draw, start_window, wait_until  # noqa: E402


def three() -> list[list[tuple[float, float]]]:
    """A handwritten-looking "3" in canvas units (one stroke, two bowls)."""
    upper = [
        (140 + 56 * math.cos(math.radians(a)), 98 + 46 * math.sin(math.radians(a)))
        for a in range(-165, 91, 5)
    ]
    lower = [
        (138 + 62 * math.cos(math.radians(a)), 190 + 50 * math.sin(math.radians(a)))
        for a in range(-90, 161, 5)
    ]
    return [upper + lower]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(REPO / "docs" / "screenshot.png"))
    parser.add_argument("--width", type=int, default=1000)
    parser.add_argument("--height", type=int, default=640)
    parser.add_argument(
        "--number", action="store_true", help="write a 5-digit number (a pen-digit writer's)"
    )
    parser.add_argument("--language", default="en", help="the window's language (en, zh_CN)")
    parser.add_argument("--dark", action="store_true", help="the dark colour scheme")
    args = parser.parse_args()

    from digitpad.gui import app as gui_app

    try:
        app, window = start_window((args.width, args.height), args.language)
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 1
    if args.dark:
        app.setPalette(gui_app.dark_palette())
    window.canvas.set_dark_ink(False)  # the default look, whatever the user chose
    if args.number:
        from helpers import send_mouse
        from PySide6.QtCore import QEvent, QPointF, Qt

        from tests.benchmarks.number_data import make_numbers

        paper = window.canvas.paper_rect()
        number = make_numbers(
            1, split="train", lengths=(5,), paper=(paper.width(), paper.height()), seed=3
        )[0]
        left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
        for stroke in number.strokes:
            points = [QPointF(float(x), float(y)) for x, y in stroke]
            send_mouse(window.canvas, QEvent.Type.MouseButtonPress, points[0], left, left)
            for point in points[1:]:
                send_mouse(window.canvas, QEvent.Type.MouseMove, point, none, left)
            send_mouse(window.canvas, QEvent.Type.MouseButtonRelease, points[-1], left, none)
            app.processEvents()
    else:
        draw(window.canvas, three(), app)
    wait_until(app, lambda: not window.is_prediction_pending(), 30)
    for _ in range(5):
        app.processEvents()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    ok = window.grab().save(str(out))
    digit = window.findChild(type(window.digit_label), "predictedDigit").text()
    window.close()
    if not ok:
        print(f"Could not write {out}", file=sys.stderr)
        return 1
    print(f"{out}: the window reads {digit!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
