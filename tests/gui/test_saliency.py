"""The saliency overlay: toggles, computed on the inference worker, lands on the ink.

Real window, real worker threads, the real small LeNet; the tracing rule
(never trace a ``tf.function`` while training is inside ``fit``) is checked
by recording every saliency trace.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest
from helpers import SEVEN, ZERO, draw_strokes
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction

from digitpad.drawing.saliency import placement, to_canvas
from digitpad.gui import workers
from digitpad.gui.workers import TRACING_GATE, InferenceWorker
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
    """Every saliency trace, with whether a training run was inside fit then."""
    from digitpad.net.activations import ActivationPredictor

    calls: list[bool] = []
    original = ActivationPredictor.enable_saliency

    def recording(self):
        if not self.has_saliency:
            calls.append(TRACING_GATE.is_fitting())
        original(self)

    monkeypatch.setattr(ActivationPredictor, "enable_saliency", recording)
    return calls


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
    # Remembered on: traced with the model at load, before anything is drawn.
    qtbot.waitUntil(again.is_saliency_ready, timeout=TIMEOUT_MS)
    saliency_action(again).trigger()
    assert not again.is_saliency_ready()


def test_overlay_appears_after_a_stroke_computed_on_the_worker(qtbot, ready_window, traces):
    window = ready_window
    worker = window._inference
    draw_strokes(qtbot, window.canvas, SEVEN)
    qtbot.waitUntil(lambda: not window.is_prediction_pending(), timeout=TIMEOUT_MS)
    assert not window.canvas.has_overlay()
    assert len(worker.saliency_ms) == 0  # off: no saliency computed at all

    with qtbot.waitSignal(window.saliencyShown, timeout=TIMEOUT_MS):
        saliency_action(window).trigger()  # the drawing already there gets one
    assert traces == [False]
    overlay = wait_overlay(qtbot, window)
    ink = window.canvas.ink_array()
    assert overlay.shape == (*ink.shape, 4)
    alpha = overlay[..., 3].astype(np.float64)
    assert alpha.max() > 150
    # The colour lies on the strokes as drawn, and the geometry that carried
    # the 28x28 map back puts the model's input itself onto the drawn ink.
    where = placement(ink)
    back = to_canvas(window._latest, where, ink.shape)
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
    assert traces == [False]  # traced once, then only run

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


def test_turning_it_on_during_training_defers_tracing(qtbot, ready_window, traces, monkeypatch):
    window = ready_window
    monkeypatch.setenv("DIGITPAD_TRAIN_SAMPLES", "60000")  # long enough to look at
    monkeypatch.setenv("DIGITPAD_EPOCHS", "1")
    draw_strokes(qtbot, window.canvas, SEVEN)
    assert window.session.start_training()
    with qtbot.waitSignal(window.trainingProgressed, timeout=TIMEOUT_MS):
        pass  # inside fit now
    saliency_action(window).trigger()
    assert saliency_action(window).isChecked()  # the choice is kept
    assert "when training ends" in window.statusBar().currentMessage()
    qtbot.wait(500)
    assert window.session.is_training()
    assert TRACING_GATE.is_fitting()
    assert traces == []  # nothing traced while training runs
    assert not window.is_saliency_ready()
    assert not window.canvas.has_overlay()
    window.session.cancel_job()
    qtbot.waitUntil(lambda: not window.session.is_training(), timeout=TIMEOUT_MS)
    qtbot.waitUntil(window.is_saliency_ready, timeout=TIMEOUT_MS)
    assert traces == [False]  # traced once, once out of fit
    wait_overlay(qtbot, window)  # and the drawing gets its overlay


def test_the_worker_never_traces_inside_fit(qtbot):
    """The gate is the hard guarantee: even a direct request waits for the fit to end."""

    class Activations:
        has_saliency = False
        traced = 0

        def enable_saliency(self):
            self.traced += 1
            self.has_saliency = True

    worker = InferenceWorker()
    worker._activations = Activations()
    with TRACING_GATE.fitting(), qtbot.waitSignal(worker.saliencyDeferred):
        worker.set_saliency(True)
    assert worker._activations.traced == 0
    with qtbot.waitSignal(worker.saliencyTraced):
        worker.set_saliency(True)
    assert worker._activations.traced == 1
    assert workers.TRACING_GATE is TRACING_GATE
    assert not TRACING_GATE.is_fitting()
