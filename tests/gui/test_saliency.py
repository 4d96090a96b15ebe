"""The saliency overlay: toggles, computed on the inference worker, lands on the ink.

Real window, real worker threads, the real small LeNet; the tracing rule
(every compiled call is traced when a network is loaded, on the inference
thread, never later) is checked by recording every trace.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest
from helpers import SEVEN, ZERO, draw_strokes
from PySide6.QtCore import QSettings, QThread
from PySide6.QtGui import QAction

import digitpad.net.inference
from digitpad.drawing.mnist_format import to_mnist_placed
from digitpad.drawing.number_input import prepare
from digitpad.drawing.saliency import to_canvas
from digitpad.storage import paths

pytestmark = pytest.mark.mnist

TIMEOUT_MS = 90_000


def saliency_action(window) -> QAction:
    action = window.findChild(QAction, "actionShowSaliency")
    assert action is not None
    return action


def wait_overlay(qtbot, window) -> np.ndarray:
    qtbot.waitUntil(lambda: not window.is_prediction_pending(), timeout=TIMEOUT_MS)
    qtbot.waitUntil(window.canvas.has_overlay, timeout=TIMEOUT_MS)
    return window.canvas.overlay_array()


def ink_near(ink: np.ndarray, steps: int) -> np.ndarray:
    """Pixels within ``steps`` (4-neighbour steps) of ink."""
    out = ink > 0.5
    for _ in range(steps):
        padded = np.pad(out, 1)
        out = padded[1:-1, 1:-1] | padded[:-2, 1:-1] | padded[2:, 1:-1]
        out |= padded[1:-1, :-2] | padded[1:-1, 2:]
    return out


@pytest.fixture
def traces(monkeypatch):
    """The thread of every compiled call traced from now on."""
    calls: list[str] = []
    original = digitpad.net.inference._concrete

    def recording(function):
        calls.append(QThread.currentThread().objectName())
        return original(function)

    monkeypatch.setattr(digitpad.net.inference, "_concrete", recording)
    return calls


def saliency_ready(window) -> bool:
    return window.session.is_predicting() and window.session.reading.saliency_wanted()


def test_action_toggles_and_is_remembered(qtbot, make_window, cached_model_home):  # noqa: ARG001
    window = make_window()
    action = saliency_action(window)
    assert action.isCheckable()
    assert not action.isChecked()
    assert not window.canvas.has_overlay()
    action.trigger()
    assert action.isChecked()
    window.close()
    settings = QSettings(str(paths.data_dir() / "settings.ini"), QSettings.Format.IniFormat)
    assert settings.value("view/saliency") in (True, "true")
    again = make_window()
    assert saliency_action(again).isChecked()
    qtbot.waitUntil(lambda: saliency_ready(again), timeout=TIMEOUT_MS)
    saliency_action(again).trigger()
    assert not saliency_ready(again)


def test_overlay_appears_after_a_stroke_computed_on_the_worker(qtbot, ready_window, traces):
    window = ready_window
    worker = window.session.worker()
    draw_strokes(qtbot, window.canvas, SEVEN)
    qtbot.waitUntil(lambda: not window.is_prediction_pending(), timeout=TIMEOUT_MS)
    assert not window.canvas.has_overlay()
    assert len(worker.saliency_ms) == 0  # off: no saliency computed at all

    with qtbot.waitSignal(window.saliencyShown, timeout=TIMEOUT_MS):
        saliency_action(window).trigger()  # the drawing already there gets one
    assert traces == []  # traced when the network was loaded, not now
    overlay = wait_overlay(qtbot, window)
    # The overlay covers the digit's crop, drawn over the digit's box.
    digit = prepare(window.canvas.drawing()).digits(None)[0]
    ink = digit.ink
    assert overlay.shape == (*ink.shape, 4)
    rect = window.canvas._overlay_rect
    assert (rect.left(), rect.top(), rect.right(), rect.bottom()) == pytest.approx(digit.box)
    alpha = overlay[..., 3].astype(np.float64)
    assert alpha.max() > 150
    # The colour lies on the strokes as drawn, and the geometry that carried
    # the 28x28 map back puts the model's input itself onto the drawn ink.
    placed = to_mnist_placed(ink)
    where = placed.placement
    back = to_canvas(placed.x28, where, ink.shape)
    near = ink_near(ink, round(2.0 / where.scale))
    assert back[near].sum() / back.sum() > 0.95
    assert alpha[ink > 0.5].mean() > 60
    assert alpha[ink > 0.5].sum() / alpha.sum() > 0.9
    assert alpha[ink == 0].max(initial=0) == 0

    # Computed on the inference thread, never on the GUI thread.
    name, ident = worker.saliency_thread
    assert name == "digitpad-inference"
    assert ident != threading.main_thread().ident
    assert ident != threading.get_ident()

    # A new drawing replaces the overlay; clearing removes it.
    before = len(worker.saliency_ms)
    window.canvas.clear()
    qtbot.waitUntil(lambda: not window.canvas.has_overlay(), timeout=TIMEOUT_MS)
    with qtbot.waitSignal(window.saliencyShown, timeout=TIMEOUT_MS):
        draw_strokes(qtbot, window.canvas, ZERO)
    wait_overlay(qtbot, window)
    assert len(worker.saliency_ms) > before
    assert traces == []  # only run, never traced again

    # Off: the overlay goes and no more saliency is computed.
    saliency_action(window).trigger()
    assert not window.canvas.has_overlay()
    count = len(worker.saliency_ms)
    window.canvas.undo()
    qtbot.waitUntil(lambda: not window.is_prediction_pending(), timeout=TIMEOUT_MS)
    draw_strokes(qtbot, window.canvas, SEVEN)
    qtbot.waitUntil(lambda: not window.is_prediction_pending(), timeout=TIMEOUT_MS)
    assert len(worker.saliency_ms) == count
    assert not window.canvas.has_overlay()


def test_turning_it_on_during_training_shows_it_at_once(qtbot, ready_window, traces, monkeypatch):
    """Training runs in its own process: nothing in this one waits for it."""
    window = ready_window
    monkeypatch.setenv("DIGITPAD_TRAIN_SAMPLES", "60000")  # long enough to look at
    monkeypatch.setenv("DIGITPAD_EPOCHS", "1")
    draw_strokes(qtbot, window.canvas, SEVEN)
    assert window.session.start_training()
    with qtbot.waitSignal(window.trainingProgressed, timeout=TIMEOUT_MS):
        pass  # inside fit now, in the child
    with qtbot.waitSignal(window.saliencyShown, timeout=TIMEOUT_MS):
        saliency_action(window).trigger()
    assert window.session.is_training()
    wait_overlay(qtbot, window)
    assert traces == []
    window.session.cancel_job()
    qtbot.waitUntil(lambda: not window.session.is_training(), timeout=TIMEOUT_MS)


def test_every_call_is_traced_at_load_on_the_inference_thread(
    qtbot, make_window, cached_model_home, traces
):  # noqa: ARG001, E501
    window = make_window()
    qtbot.waitUntil(window.session.is_model_ready, timeout=TIMEOUT_MS)
    # probabilities, probabilities with embeddings, layers, saliency
    assert traces == ["digitpad-inference"] * 4
    saliency_action(window).trigger()
    window.show_network_view()
    draw_strokes(qtbot, window.canvas, SEVEN)
    wait_overlay(qtbot, window)
    assert traces == ["digitpad-inference"] * 4
