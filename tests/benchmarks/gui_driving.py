"""Driving the real window from benchmark scripts: start it, draw, time releases.

The mouse events themselves come from ``tests/gui/helpers.py`` (the tests'
own, so benchmarks and tests draw the same way); this module adds what the
benchmarks share on top: a started window, the benchmark digit, the
release -> bars loop and an event-loop stall meter.

    from tests.benchmarks.gui_driving import start_window, release_latencies
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from PySide6.QtCore import QEvent, QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from tests.gui.helpers import send_mouse, to_widget  # noqa: E402

Points = list[tuple[float, float]]


def bench_digit(offset: float) -> Points:
    """A one-stroke "2"-ish curve in canvas units, shifted by ``offset``."""
    points = [
        (140 + 50 * math.cos(math.radians(a)) + offset, 100 + 45 * math.sin(math.radians(a)))
        for a in range(-170, 50, 6)
    ]
    return points + [(90 + offset, 225), (200 + offset, 225)]


def press_and_move(canvas: Any, points: Points, app: QApplication | None = None) -> None:
    """Press at the first point, move through the rest with the button held.

    Args:
        canvas: the drawing canvas.
        points: canvas units.
        app: when given, events are processed after each move (as a real
            mouse's would be, between moves).
    """
    left = Qt.MouseButton.LeftButton
    send_mouse(canvas, QEvent.Type.MouseButtonPress, to_widget(canvas, points[0]), left, left)
    for point in points[1:]:
        send_mouse(
            canvas, QEvent.Type.MouseMove, to_widget(canvas, point), Qt.MouseButton.NoButton, left
        )
        if app is not None:
            app.processEvents()


def release(canvas: Any, point: tuple[float, float]) -> None:
    """Release the left button at ``point`` (canvas units)."""
    send_mouse(
        canvas,
        QEvent.Type.MouseButtonRelease,
        to_widget(canvas, point),
        Qt.MouseButton.LeftButton,
        Qt.MouseButton.NoButton,
    )


def draw(canvas: Any, strokes: list[Points], app: QApplication) -> None:
    """Draw ``strokes`` with real mouse events, processing events as it goes."""
    for stroke in strokes:
        press_and_move(canvas, stroke, app)
        release(canvas, stroke[-1])


def wait_until(app: QApplication, condition: Callable[[], bool], timeout_s: float) -> bool:
    """Process events until ``condition()`` holds; ``False`` on timeout."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    return True


def start_window(
    size: tuple[int, int] = (980, 860), language: str = "en"
) -> tuple[QApplication, Any]:
    """A shown main window with its cached model loaded (DIGITPAD_HOME).

    Args:
        size: the window's size.
        language: the window's language (``digitpad.gui.i18n.LANGUAGES``).

    Raises:
        RuntimeError: no cached model, or it did not load within 3 minutes.
    """
    from digitpad.gui import i18n, icons
    from digitpad.gui.window import MainWindow
    from digitpad.storage.model_store import ModelStore

    if not ModelStore().has():
        raise RuntimeError("No cached model: run 'digitpad train' first.")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("digitpad")
    app.setWindowIcon(icons.icon("digitpad"))
    i18n.install_translators(app, language)
    window = MainWindow()
    window.resize(*size)
    window.show()
    if not wait_until(app, window.session.is_model_ready, 180):
        raise RuntimeError(f"model not ready: {window.status_text()}")
    return app, window


def release_latencies(
    app: QApplication,
    window: Any,
    releases: int,
    paint: Callable[[], None] | None = None,
) -> list[float]:
    """Milliseconds from each mouse release to the bars showing its prediction.

    Each drawing is made with the button held and the throttled mid-stroke
    prediction allowed to come back (as in real drawing), so the release
    finds the worker idle. The first five releases warm caches up and are
    not counted.

    Args:
        app: the application.
        window: a ready main window.
        releases: how many releases to time.
        paint: when given, called once the bars are updated (e.g. to repaint
            a view) and included in the time; otherwise the time ends when
            ``predictionShown`` fires.
    """
    canvas = window.canvas
    shown: list[float] = []
    window.predictionShown.connect(lambda: shown.append(time.perf_counter()))
    latencies = []
    for i in range(releases + 5):
        canvas.clear()
        app.processEvents()
        points = bench_digit((i % 7) - 3.0)
        press_and_move(canvas, points)
        deadline = time.perf_counter() + 0.2
        while window.is_prediction_pending() and time.perf_counter() < deadline:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        shown.clear()
        started = time.perf_counter()
        release(canvas, points[-1])
        while window.is_prediction_pending() or not shown:
            if time.perf_counter() - started > 5:
                break
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
        if not shown or i < 5:
            continue
        if paint is not None:
            paint()
            latencies.append((time.perf_counter() - started) * 1000)
        else:
            latencies.append((shown[-1] - started) * 1000)
    return latencies


def percentiles(values: list[float]) -> tuple[float, float]:
    """p50 and p99 of ``values``."""
    ordered = sorted(values)
    return ordered[len(ordered) // 2], ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def stall_meter() -> tuple[dict[str, float], QTimer]:
    """A started 5 ms timer and the figures it keeps: longest lateness (ms), ticks."""
    lateness = {"max": 0.0, "last": None, "ticks": 0}

    def tick() -> None:
        now = time.perf_counter()
        if lateness["last"] is not None:
            lateness["max"] = max(lateness["max"], (now - lateness["last"]) * 1000 - 5.0)
            lateness["ticks"] += 1
        lateness["last"] = now

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    return lateness, timer
