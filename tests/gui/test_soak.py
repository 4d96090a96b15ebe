"""Soak: tens of thousands of real mouse moves while the model predicts.

Guards against crashes and leaks in the Qt bindings (PySide6 6.12.0 on
CPython 3.11 drops a reference to None on every void Qt call: the
interpreter aborts after a few thousand drawing calls).
"""

from __future__ import annotations

import sys

import pytest
from helpers import ONE, SEVEN, ZERO, draw_stroke

pytestmark = [pytest.mark.mnist, pytest.mark.slow]


def test_fifty_thousand_mouse_moves(qtbot, ready_window):
    window = ready_window
    canvas = window.canvas
    shapes = [ONE[0], ZERO[0], SEVEN[0]]
    none_refs = sys.getrefcount(None)
    moves = 0
    strokes = 0
    while moves < 50_000:
        moves += draw_stroke(canvas, shapes[strokes % 3], step=1.5)
        strokes += 1
        if strokes % 8 == 0:
            qtbot.wait(1)  # let predictions and paints through
            canvas.clear()
    qtbot.waitUntil(lambda: not window.is_prediction_pending(), timeout=60_000)
    assert strokes > 100
    assert window.session.is_model_ready()
    # None's refcount must not have drifted down by one per call.
    assert sys.getrefcount(None) > none_refs - 1000
