"""Numbers through the real window: exact-number, digit-count and per-digit accuracy, latency.

Numbers of 2-6 digits, each made of ONE pendigits-test writer's digits at a
natural size with natural gaps (``number_data.make_numbers``: some boxes
overlapping, some digits touching), are written on the paper of a 1000 x 640
window with real mouse events (press, moves with the left button held,
release); after the last release the benchmark waits for the reading and
compares it with the truth. Single digits (length 1) are measured the same
way, for comparison with ``bench_pen.py``.

    python tests/benchmarks/bench_numbers.py --home HOME [--count 200] [--lengths 1-6]
    python tests/benchmarks/bench_numbers.py --home HOME --pace-ms 8   # a hand's pace

By default the mouse events of a stroke are sent as fast as they can be, so
the pen rests before it lifts and the reading asked for while writing is
often already of the whole drawing. ``--pace-ms`` lets the window run
between events, as a 125 Hz mouse would: the pen is lifted while a reading
of the half-finished stroke is under way, and that reading is dropped.

``HOME`` is a DIGITPAD_HOME with a trained network (``digitpad train``).
Targets: exact >= 93%, digit count >= 99%, release -> reading of a 6-digit
number p50 <= 15 ms, p99 <= 40 ms, segmentation of a 6-digit drawing p50 <= 3 ms.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "gui"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", required=True, help="DIGITPAD_HOME with a trained network")
    parser.add_argument("--count", type=int, default=200, help="numbers per length")
    parser.add_argument("--lengths", default="2-6", help="e.g. 2-6 or 1-6")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--pace-ms",
        type=float,
        default=0.0,
        help="time between mouse events, as a hand moves (0: as fast as they can be sent)",
    )
    args = parser.parse_args()
    os.environ["DIGITPAD_HOME"] = args.home
    low, _, high = args.lengths.partition("-")
    lengths = list(range(int(low), int(high or low) + 1))

    from helpers import send_mouse
    from PySide6.QtCore import QEvent, QEventLoop, QPointF, Qt
    from PySide6.QtWidgets import QApplication

    from digitpad.drawing.number_input import forget_recent, prepare
    from digitpad.gui.window import MainWindow
    from tests.benchmarks.number_data import make_numbers

    app = QApplication(sys.argv[:1])
    window = MainWindow()
    window.resize(1000, 640)
    window.show()
    deadline = time.monotonic() + 180
    while not window.session.is_model_ready() and time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    if not window.session.is_model_ready():
        print(f"model not ready: {window.status_text()}")
        return 1
    canvas = window.canvas
    paper = canvas.paper_rect()
    print(f"paper {paper.width():.0f} x {paper.height():.0f}, pen {canvas.pen_width():.0f} px")
    shown: list[float] = []
    window.predictionShown.connect(lambda: shown.append(time.perf_counter()))
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton

    def point(x: float, y: float) -> QPointF:
        return QPointF(paper.x() + x, paper.y() + y)

    def pace() -> None:
        """With ``--pace-ms``, let the window run until the next mouse event is due."""
        due = time.perf_counter() + args.pace_ms / 1000.0
        while time.perf_counter() < due:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 1)

    results: dict[int, list[tuple[str, str]]] = defaultdict(list)
    latency: dict[int, list[float]] = defaultdict(list)
    segmentation_ms: dict[int, list[float]] = defaultdict(list)
    for length in lengths:
        numbers = make_numbers(
            args.count,
            split="test",
            lengths=(length,),
            paper=(paper.width(), paper.height()),
            pen_width=canvas.pen_width(),
            seed=args.seed,
        )
        for number in numbers:
            canvas.clear()
            app.processEvents()
            for index, stroke in enumerate(number.strokes):
                send_mouse(canvas, QEvent.Type.MouseButtonPress, point(*stroke[0]), left, left)
                for x, y in stroke[1:]:
                    pace()
                    send_mouse(canvas, QEvent.Type.MouseMove, point(x, y), none, left)
                last = index == len(number.strokes) - 1
                pace()
                if last:
                    app.processEvents()
                    shown.clear()
                    released = time.perf_counter()
                send_mouse(canvas, QEvent.Type.MouseButtonRelease, point(*stroke[-1]), left, none)
                app.processEvents()
                pace()  # the pen travels to the next stroke
            limit = time.perf_counter() + 10
            while (window.is_prediction_pending() or not shown) and time.perf_counter() < limit:
                app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)
            latency[length].append((shown[-1] - released) * 1000.0 if shown else float("nan"))
            reading = window.session.reading.latest_reading()
            results[length].append((number.text, "" if reading is None else reading.text))
            forget_recent()  # cold: everything made anew, as on a first reading
            started = time.perf_counter()
            prepare(canvas.drawing())
            segmentation_ms[length].append((time.perf_counter() - started) * 1000.0)

    print(f"{'digits':>6} {'numbers':>8} {'exact':>8} {'count':>8} {'per-digit':>10} "
          f"{'p50 ms':>8} {'p99 ms':>8} {'prep p50':>9}")  # fmt: skip
    all_pairs = []
    for length in lengths:
        pairs = results[length]
        all_pairs += pairs
        _row(str(length), pairs, latency[length], segmentation_ms[length])
    _row("all", all_pairs, sum(latency.values(), []), sum(segmentation_ms.values(), []))
    window.close()
    return 0


def _row(label: str, pairs: list[tuple[str, str]], ms: list[float], prep: list[float]) -> None:
    exact = np.mean([truth == read for truth, read in pairs])
    count = np.mean([len(truth) == len(read) for truth, read in pairs])
    right = sum(
        sum(a == b for a, b in zip(truth, read, strict=False))
        for truth, read in pairs
        if len(truth) == len(read)
    )
    digits = sum(len(truth) for truth, _ in pairs)
    p50, p99 = np.nanpercentile(ms, [50, 99]) if ms else (float("nan"),) * 2
    print(
        f"{label:>6} {len(pairs):8d} {exact:8.1%} {count:8.1%} {right / digits:10.1%} "
        f"{p50:8.1f} {p99:8.1f} {np.percentile(prep, 50):9.2f}"
    )


if __name__ == "__main__":
    sys.exit(main())
