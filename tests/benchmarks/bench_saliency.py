"""Benchmark: the saliency overlay's cost per drawing, on the worker and end to end.

A script, not a test. Needs a DIGITPAD_HOME with a cached model (``--home``).

    python tests/benchmarks/bench_saliency.py --home DIR [--releases 200]

Each mouse release is timed until the bars are updated, first with the
overlay off, then on (the same drawings). With it on, the inference worker
records what each saliency cost (gradient call + carrying the map back onto
the canvas + colouring), measured on its own thread.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    p50 = ordered[len(ordered) // 2]
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"p50 {p50:.1f} ms, p99 {p99:.1f} ms (n={len(ordered)})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", help="DIGITPAD_HOME with a cached model")
    parser.add_argument("--releases", type=int, default=200)
    args = parser.parse_args()
    if args.home:
        os.environ["DIGITPAD_HOME"] = args.home

    from PySide6.QtCore import QEvent, QEventLoop, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    from digitpad.gui.window import MainWindow

    app = QApplication(sys.argv[:1])
    window = MainWindow()
    window.resize(980, 860)
    window.show()
    deadline = time.monotonic() + 180
    while not window.is_model_ready() and time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    if not window.is_model_ready():
        print(f"model not ready: {window.status_text()}", file=sys.stderr)
        return 1
    canvas = window.canvas
    left = Qt.MouseButton.LeftButton

    def send(kind, point, button, buttons):
        square = canvas.square()
        scale = square.width() / 280.0
        pos = QPointF(square.x() + point[0] * scale, square.y() + point[1] * scale)
        event = QMouseEvent(
            kind, pos, QPointF(canvas.mapToGlobal(pos)), button, buttons,
            Qt.KeyboardModifier.NoModifier,
        )  # fmt: skip
        QApplication.sendEvent(canvas, event)

    def digit(offset: float) -> list[tuple[float, float]]:
        points = [
            (140 + 50 * math.cos(math.radians(a)) + offset, 100 + 45 * math.sin(math.radians(a)))
            for a in range(-170, 50, 6)
        ]
        return points + [(90 + offset, 225), (200 + offset, 225)]

    shown: list[float] = []
    window.predictionShown.connect(lambda: shown.append(time.perf_counter()))

    def run(releases: int) -> list[float]:
        latencies = []
        for i in range(releases + 5):
            canvas.clear()
            app.processEvents()
            points = digit((i % 7) - 3.0)
            send(QEvent.Type.MouseButtonPress, points[0], left, left)
            for point in points[1:]:
                send(QEvent.Type.MouseMove, point, Qt.MouseButton.NoButton, left)
            end = time.perf_counter() + 0.2
            while window.is_prediction_pending() and time.perf_counter() < end:
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
            shown.clear()
            started = time.perf_counter()
            send(QEvent.Type.MouseButtonRelease, points[-1], left, Qt.MouseButton.NoButton)
            while window.is_prediction_pending() or not shown:
                if time.perf_counter() - started > 5:
                    break
                app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
            canvas.repaint()
            if shown and i >= 5:
                latencies.append((time.perf_counter() - started) * 1000)
        return latencies

    off = run(args.releases)
    print(f"release -> bars, overlay off: {percentiles(off)}", flush=True)
    window.show_saliency(True)
    deadline = time.monotonic() + 60
    while not window.is_saliency_ready() and time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    worker = window._inference
    worker.saliency_ms.clear()
    on = run(args.releases)
    print(f"release -> bars + overlay painted, overlay on: {percentiles(on)}", flush=True)
    # Every saliency computed (releases and the throttled ones while drawing).
    print(
        f"saliency on the worker ({worker.saliency_thread[0]}): "
        f"{percentiles(list(worker.saliency_ms))}",
        flush=True,
    )
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
