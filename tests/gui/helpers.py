"""Real mouse input for GUI tests, and a few digits as stroke lists.

QTest's mouse drags do not carry the held button on move events, so moves
are sent as explicit ``QMouseEvent`` s with the left button held (the way
pyqtgraph's test helpers do it).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

from digitpad.gui.canvas import CANVAS_UNITS

Stroke = Sequence[tuple[float, float]]

#: A "1": one vertical stroke, in canvas units (the 280 x 280 virtual canvas).
ONE: list[Stroke] = [[(150.0 - 0.1 * i, 50.0 + 4.0 * i) for i in range(46)]]
#: A "0": one closed oval.
ZERO: list[Stroke] = [
    [
        (
            140.0 + 62.0 * math.sin(2 * math.pi * t / 60),
            140.0 - 92.0 * math.cos(2 * math.pi * t / 60),
        )
        for t in range(62)
    ]
]
#: A "7": top bar, then the diagonal.
SEVEN: list[Stroke] = [[(80.0, 60.0), (200.0, 60.0), (185.0, 100.0), (130.0, 230.0)]]


def densify(stroke: Stroke, step: float = 3.0) -> list[tuple[float, float]]:
    """Points along ``stroke`` at most ``step`` apart (what a real mouse sends)."""
    points = [tuple(map(float, stroke[0]))]
    for (x0, y0), (x1, y1) in zip(stroke, stroke[1:], strict=False):
        count = max(1, math.ceil(math.hypot(x1 - x0, y1 - y0) / step))
        points.extend(
            (x0 + (x1 - x0) * k / count, y0 + (y1 - y0) * k / count) for k in range(1, count + 1)
        )
    return points


def to_widget(canvas: QWidget, point: tuple[float, float]) -> QPointF:
    """Canvas units -> the canvas widget's coordinates."""
    square = canvas.square()
    scale = square.width() / CANVAS_UNITS
    return QPointF(square.x() + point[0] * scale, square.y() + point[1] * scale)


def send_mouse(
    widget: QWidget,
    kind: QEvent.Type,
    pos: QPointF,
    button: Qt.MouseButton,
    buttons: Qt.MouseButton,
) -> None:
    """Send one mouse event to ``widget`` at local ``pos``."""
    global_pos = QPointF(widget.mapToGlobal(pos))
    event = QMouseEvent(kind, pos, global_pos, button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def hover(widget: QWidget, pos: QPointF) -> None:
    """Move the mouse over ``widget`` at local ``pos`` with no button held."""
    send_mouse(
        widget, QEvent.Type.MouseMove, pos, Qt.MouseButton.NoButton, Qt.MouseButton.NoButton
    )


def draw_stroke(canvas: QWidget, stroke: Stroke, step: float = 3.0) -> int:
    """Press, move with the left button held, release; returns the moves sent."""
    points = densify(stroke, step)
    left = Qt.MouseButton.LeftButton
    send_mouse(canvas, QEvent.Type.MouseButtonPress, to_widget(canvas, points[0]), left, left)
    for point in points[1:]:
        send_mouse(
            canvas, QEvent.Type.MouseMove, to_widget(canvas, point), Qt.MouseButton.NoButton, left
        )
    send_mouse(
        canvas,
        QEvent.Type.MouseButtonRelease,
        to_widget(canvas, points[-1]),
        left,
        Qt.MouseButton.NoButton,
    )
    return len(points) - 1


def draw_strokes(qtbot, canvas: QWidget, strokes: Sequence[Stroke], step: float = 3.0) -> int:
    """Draw ``strokes`` (canvas units) with real mouse events; returns the moves sent."""
    moves = 0
    for stroke in strokes:
        moves += draw_stroke(canvas, stroke, step)
        qtbot.wait(1)
    return moves
