"""The main window with a real small model: live prediction, training, errors.

Real widgets, real mouse events, real worker threads and a real LeNet
trained briefly on real MNIST (the session fixture in tests/conftest.py).
"""

from __future__ import annotations

import os
import time

import numpy as np
import pytest
from helpers import ONE, SEVEN, ZERO, draw_strokes
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox

from digitpad.storage import paths
from digitpad.storage.model_store import ModelStore

pytestmark = pytest.mark.mnist

TIMEOUT_MS = 90_000


def probabilities(window) -> list[float]:
    return window.findChild(QObject, "predictionBars").property("probabilities")


def digit_text(window) -> str:
    return window.findChild(QLabel, "predictedDigit").text()


def wait_prediction(qtbot, window) -> list[float]:
    """Wait until the drawing on screen has its prediction; return it."""
    qtbot.waitUntil(lambda: not window.is_prediction_pending(), timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: len(probabilities(window)) == 10, timeout=TIMEOUT_MS)
    return probabilities(window)


def test_automation_contract(ready_window):
    window = ready_window
    for name in (
        "actionRetrain",
        "actionClear",
        "actionUndo",
        "actionRedo",
        "actionOpen",
        "actionSave",
        "actionModelInfo",
        "actionAbout",
    ):
        assert window.findChild(QObject, name) is not None, name
    canvas = window.findChild(QObject, "canvas")
    assert canvas.width() >= 280
    assert canvas.height() >= 280
    assert probabilities(window) == []
    assert digit_text(window) == ""
    assert window.status_text().startswith("LeNet, ")
    assert "% on MNIST test, trained " in window.status_text()


def test_the_window_fits_a_short_screen(qtbot, make_window, monkeypatch):
    """A 1024 x 600 netbook: the window's minimum fits it; the reading panel scrolls sooner."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QScrollArea

    from digitpad.gui.window import FRAME_ALLOWANCE, MainWindow

    class Netbook:
        def availableGeometry(self) -> QRect:
            return QRect(0, 0, 1024, 600)

    usual = make_window()
    assert usual.minimumSize().height() > 600 - FRAME_ALLOWANCE  # it would not fit
    monkeypatch.setattr(MainWindow, "screen", lambda _self: Netbook())
    small = make_window()
    assert small.minimumSize().height() <= 600 - FRAME_ALLOWANCE
    assert small.minimumSize().width() <= 1024
    panels = [w.findChild(QScrollArea, "sidePanelScroller") for w in (usual, small)]
    assert panels[1].minimumHeight() < panels[0].minimumHeight()


def test_drawing_a_stroke_predicts(qtbot, ready_window):
    window = ready_window
    with qtbot.waitSignal(window.predictionShown, timeout=TIMEOUT_MS):
        draw_strokes(qtbot, window.canvas, SEVEN)
    shown = wait_prediction(qtbot, window)
    assert abs(sum(shown) - 1.0) < 1e-6
    assert digit_text(window) == str(int(np.argmax(shown)))
    assert window.preview.array() is not None
    assert window.preview.array().shape == (28, 28)


@pytest.mark.parametrize(("strokes", "digit"), [(ONE, "1"), (ZERO, "0")])
def test_reads_drawn_digits(qtbot, ready_window, strokes, digit):
    window = ready_window
    draw_strokes(qtbot, window.canvas, strokes)
    shown = wait_prediction(qtbot, window)
    assert digit_text(window) == digit, shown
    assert max(shown) > 0.5


def test_blank_canvas_shows_no_prediction(qtbot, ready_window):
    window = ready_window
    draw_strokes(qtbot, window.canvas, ZERO)
    wait_prediction(qtbot, window)
    window.findChild(QObject, "actionClear").trigger()
    qtbot.waitUntil(lambda: not window.is_prediction_pending(), timeout=TIMEOUT_MS)
    assert probabilities(window) == []
    assert digit_text(window) == ""
    assert window.preview.array() is None


def test_undo_redo_clear_actions_update_the_prediction(qtbot, ready_window):
    window = ready_window
    undo = window.findChild(QObject, "actionUndo")
    redo = window.findChild(QObject, "actionRedo")
    assert not undo.isEnabled()
    draw_strokes(qtbot, window.canvas, ONE)
    assert wait_prediction(qtbot, window)
    assert digit_text(window) == "1"
    assert undo.isEnabled()
    undo.trigger()
    qtbot.waitUntil(lambda: probabilities(window) == [])
    assert window.canvas.is_blank()
    assert redo.isEnabled()
    redo.trigger()
    wait_prediction(qtbot, window)
    assert digit_text(window) == "1"
    window.findChild(QObject, "actionClear").trigger()
    assert window.canvas.is_blank()
    assert not redo.isEnabled()


def test_latest_drawing_wins(qtbot, ready_window):
    window = ready_window
    # Many quick changes: the final answer must be for the final drawing.
    draw_strokes(qtbot, window.canvas, ZERO)
    window.canvas.clear()
    draw_strokes(qtbot, window.canvas, ONE, step=1.0)
    wait_prediction(qtbot, window)
    assert digit_text(window) == "1"
    window.canvas.clear()
    assert probabilities(window) == []
    qtbot.wait(200)  # an answer still in flight must not bring bars back
    assert probabilities(window) == []


def test_open_image_shows_and_reads_it(qtbot, ready_window, tmp_path, monkeypatch):
    window = ready_window
    draw_strokes(qtbot, window.canvas, ZERO)
    path = tmp_path / "zero.png"
    assert window.canvas.save_png(str(path))
    window.canvas.clear()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window.findChild(QObject, "actionOpen").trigger()
    assert not window.canvas.is_blank()
    wait_prediction(qtbot, window)
    assert digit_text(window) == "0"


def test_unreadable_image_gives_a_message(qtbot, ready_window, tmp_path, message_boxes):
    window = ready_window
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n not really a png")
    assert not window.open_image(str(bad))
    assert len(message_boxes.shown) == 1
    assert "broken.png" in message_boxes.texts()
    assert "Traceback" not in message_boxes.texts()
    assert window.canvas.is_blank()


def test_model_info_and_about(ready_window, message_boxes):
    window = ready_window
    window.findChild(QObject, "actionModelInfo").trigger()
    window.findChild(QObject, "actionAbout").trigger()
    text = message_boxes.texts()
    assert "Accuracy" in text
    assert window.session.manifest()["sha256"] in text
    assert "28 × 28" in text
    assert "Personal memory" in text


def test_retrain_then_cancel_keeps_the_old_model(qtbot, ready_window, message_boxes, monkeypatch):
    window = ready_window
    monkeypatch.setenv("DIGITPAD_TRAIN_SAMPLES", "60000")
    monkeypatch.setenv("DIGITPAD_EPOCHS", "1")
    before = window.session.manifest()
    on_disk = ModelStore().read_manifest()
    message_boxes.answer = QMessageBox.StandardButton.Yes
    window.findChild(QObject, "actionRetrain").trigger()
    assert "Recipe: default: 1 epoch" in message_boxes.texts()
    assert window.session.is_training()
    assert window.findChild(QObject, "trainingProgress").isVisible()
    with qtbot.waitSignal(window.trainingProgressed, timeout=TIMEOUT_MS):
        pass
    # The current model keeps predicting during training.
    draw_strokes(qtbot, window.canvas, ONE)
    wait_prediction(qtbot, window)
    assert digit_text(window) == "1"
    window.findChild(QObject, "cancelTraining").click()
    qtbot.waitUntil(lambda: not window.session.is_training(), timeout=TIMEOUT_MS)
    assert window.session.is_model_ready()
    assert window.session.manifest()["sha256"] == before["sha256"]
    assert ModelStore().read_manifest()["sha256"] == on_disk["sha256"]
    window.canvas.clear()
    draw_strokes(qtbot, window.canvas, ZERO)
    wait_prediction(qtbot, window)
    assert digit_text(window) == "0"


def test_retrain_is_refused_at_once_when_its_run_could_not_be_kept(
    ready_window, message_boxes, monkeypatch
):
    monkeypatch.setenv("DIGITPAD_RUNS_CAP_MB", "abc")
    message_boxes.answer = QMessageBox.StandardButton.Yes
    ready_window.findChild(QObject, "actionRetrain").trigger()
    assert not ready_window.session.is_training()
    [(title, text, details)] = message_boxes.shown
    assert title == "Cannot retrain"
    assert "DIGITPAD_RUNS_CAP_MB must be a positive number of megabytes" in details


def test_first_launch_trains_with_still_learning_predictions(qtbot, make_window, monkeypatch):
    monkeypatch.setenv("DIGITPAD_TRAIN_SAMPLES", "2048")
    monkeypatch.setenv("DIGITPAD_EPOCHS", "1")
    window = make_window()
    states = []
    window.predictionShown.connect(lambda: states.append(window.session.state.value))
    draw_strokes(qtbot, window.canvas, ONE)
    qtbot.waitUntil(window.session.is_training, timeout=TIMEOUT_MS)
    assert window.findChild(QObject, "cancelTraining").isVisible()
    with qtbot.waitSignal(window.model_ready, timeout=TIMEOUT_MS):
        pass
    assert "learning" in states  # a snapshot answered before the final model
    wait_prediction(qtbot, window)
    assert window.session.is_model_ready()
    qtbot.waitUntil(lambda: not window.session.is_training(), timeout=TIMEOUT_MS)
    assert window.status_text().startswith("LeNet, ")
    assert ModelStore().read_manifest()["sha256"] == window.session.manifest()["sha256"]
    assert not window.learning_label.isVisible()


def test_closing_during_training_exits_cleanly(qtbot, make_window, monkeypatch):
    monkeypatch.setenv("DIGITPAD_TRAIN_SAMPLES", "60000")
    window = make_window()
    qtbot.waitUntil(window.session.is_training, timeout=TIMEOUT_MS)
    with qtbot.waitSignal(window.trainingProgressed, timeout=TIMEOUT_MS):
        pass
    child = window.session.training.process()
    started = time.monotonic()
    window.close()
    assert time.monotonic() - started < 30
    assert not child.is_alive()
    assert not window.session.training.is_running()
    assert not window.session.inference_thread().isRunning()
    assert not ModelStore().has()


def test_corrupt_cache_is_reported_and_retraining_offered(
    qtbot, make_window, cached_model_home, message_boxes, monkeypatch
):
    monkeypatch.setenv("DIGITPAD_TRAIN_SAMPLES", "60000")
    manifest = ModelStore().read_manifest()
    weights = cached_model_home / manifest["weights_file"]
    raw = bytearray(weights.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    weights.write_bytes(bytes(raw))
    message_boxes.answer = QMessageBox.StandardButton.Yes
    window = make_window()
    qtbot.waitUntil(lambda: bool(message_boxes.shown), timeout=TIMEOUT_MS)
    assert "damaged" in message_boxes.texts()
    assert "sha256" in message_boxes.texts()
    assert (cached_model_home / "quarantine").is_dir()
    assert window.session.is_training()
    assert not window.session.is_model_ready()
    window.session.cancel_job()
    qtbot.waitUntil(lambda: not window.session.is_training(), timeout=TIMEOUT_MS)


def test_offline_mnist_asks_for_a_local_copy(
    qtbot, make_window, message_boxes, monkeypatch, tmp_path
):
    mnist_path = os.environ.get("DIGITPAD_MNIST", "")
    if not mnist_path or not os.path.exists(mnist_path):
        pytest.skip("real MNIST is not reachable: set DIGITPAD_MNIST to a local copy")
    monkeypatch.delenv("DIGITPAD_MNIST")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))  # no cached download
    monkeypatch.setenv("DIGITPAD_TRAIN_SAMPLES", "512")
    monkeypatch.setenv("DIGITPAD_EPOCHS", "1")
    message_boxes.answer = QMessageBox.StandardButton.Open  # "Choose Folder…"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: mnist_path)
    window = make_window()
    with qtbot.waitSignal(window.model_ready, timeout=TIMEOUT_MS):
        pass
    assert "could not get them" in message_boxes.texts()
    assert "Could not download MNIST" in message_boxes.texts()
    from PySide6.QtCore import QSettings

    settings = QSettings(str(paths.data_dir() / "settings.ini"), QSettings.Format.IniFormat)
    assert settings.value("mnist/source") == mnist_path


def test_save_failure_keeps_the_new_model_in_memory(
    qtbot, make_window, message_boxes, monkeypatch
):
    import pinned_jobs

    import digitpad.gui.training_process

    monkeypatch.setenv("DIGITPAD_TRAIN_SAMPLES", "512")
    monkeypatch.setenv("DIGITPAD_EPOCHS", "1")
    # The training process (where the model is saved) finds the disk full.
    monkeypatch.setattr(digitpad.gui.training_process, "run", pinned_jobs.disk_full)
    window = make_window()
    with qtbot.waitSignal(window.model_ready, timeout=TIMEOUT_MS):
        pass
    qtbot.waitUntil(lambda: not window.session.is_training(), timeout=TIMEOUT_MS)
    assert "could not be saved" in message_boxes.texts()
    assert "disk full" in message_boxes.texts()
    assert window.status_text().endswith("(not saved)")
    draw_strokes(qtbot, window.canvas, ONE)
    assert len(wait_prediction(qtbot, window)) == 10


def test_preferences_persist(qtbot, make_window, cached_model_home):  # noqa: ARG001
    window = make_window()
    window.findChild(QObject, "actionDarkInk").trigger()
    window.pen_slider.setValue(24)
    window.resize(780, 700)
    window.close()
    again = make_window()
    assert again.canvas.dark_ink()
    assert again.canvas.pen_width() == 24.0
    # The next start takes the window's last size (make_window resized this one).
    assert again.restore_geometry()
    assert (again.width(), again.height()) == (780, 700)
