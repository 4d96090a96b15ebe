"""Crash stress: fresh windows that switch the saliency overlay and network view while drawing.

Each run is a fresh process (a new interpreter, TensorFlow imported anew)
under ``faulthandler``: it opens the window on a copy of a home with a
cached model and, while real mouse events draw strokes, turns View >
Saliency Overlay and View > Network View on and off, the way the crash of
issue 11 was found (8 of 8 fresh windows died). A run that ends by a signal
is a crash; its faulthandler dump is printed.

    python tests/reliability/saliency_stress.py --home HOME --runs 100

``HOME`` is a DIGITPAD_HOME holding a trained model (``digitpad train``).
``tests/reliability/test_saliency_stress.py`` runs a few of these in CI.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def child(strokes: int) -> int:
    """One fresh window: load, then draw while switching the views (in this process)."""
    import faulthandler

    faulthandler.enable()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(HERE.parent / "gui"))
    from helpers import SEVEN, ZERO, draw_stroke
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QApplication

    from digitpad.gui import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow()
    window.resize(900, 640)
    window.show()
    saliency = window.findChild(QObject, "actionShowSaliency")
    network = window.findChild(QObject, "actionShowNetwork")
    # Switch before the model is even loaded, then keep switching while drawing.
    saliency.trigger()
    deadline = time.monotonic() + 120
    shapes = [SEVEN[0], ZERO[0]]
    drawn = 0
    while drawn < strokes and time.monotonic() < deadline:
        app.processEvents()
        draw_stroke(window.canvas, shapes[drawn % 2], step=4.0)
        if drawn % 3 == 0:
            saliency.trigger()
        if drawn % 4 == 1:
            network.trigger()
        if drawn % 5 == 4:
            window.canvas.clear()
        if window.session.is_model_ready():
            drawn += 1
    for _ in range(50):
        app.processEvents()
        time.sleep(0.01)
    ok = window.session.is_model_ready()
    window.close()
    return 0 if ok else 3


def run(home: Path, runs: int, strokes: int) -> dict[str, int]:
    """``runs`` fresh processes; returns how many ended how."""
    outcomes: dict[str, int] = {}
    for index in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "home"
            shutil.copytree(home, copy)
            env = {**os.environ, "DIGITPAD_HOME": str(copy), "QT_QPA_PLATFORM": "offscreen"}
            started = time.monotonic()
            result = subprocess.run(
                [sys.executable, __file__, "--child", "--strokes", str(strokes)],
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
        code = result.returncode
        kind = "ok" if code == 0 else (f"signal {-code}" if code < 0 else f"exit {code}")
        outcomes[kind] = outcomes.get(kind, 0) + 1
        print(f"run {index + 1:3d}: {kind:10s} {time.monotonic() - started:5.1f} s", flush=True)
        if code != 0:
            print(result.stderr[-4000:], flush=True)
    return outcomes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, help="a DIGITPAD_HOME with a trained model")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--strokes", type=int, default=40)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.strokes)
    if args.home is None:
        parser.error("--home is required")
    outcomes = run(args.home, args.runs, args.strokes)
    print("outcomes:", ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items())))
    return 0 if set(outcomes) == {"ok"} else 1


if __name__ == "__main__":
    sys.exit(main())
