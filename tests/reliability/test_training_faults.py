"""Training that fails, is cancelled or is killed never costs the model in use or on disk.

Each test starts the real window on the small trained model and retrains
from Model > Retrain…; the training runs in its real spawned child process,
whose entry point (``faulty_jobs``) injects the fault there. The old model
must keep predicting, stay the one in use, and stay on disk byte for byte,
with no temp files left.
"""

from __future__ import annotations

import hashlib
import os
import signal
import time

import faulty_jobs
import pytest
from helpers import ONE, draw_strokes
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QMessageBox

import digitpad.gui.training_process
from digitpad.storage.model_store import ModelStore

pytestmark = pytest.mark.mnist

TIMEOUT_MS = 120_000


def probabilities(window) -> list[float]:
    return window.findChild(QObject, "predictionBars").property("probabilities")


def read_one(qtbot, window) -> str:
    """Draw a "1" on a clear canvas; return the digit the window shows."""
    window.canvas.clear()
    draw_strokes(qtbot, window.canvas, ONE)
    qtbot.waitUntil(lambda: not window.is_prediction_pending(), timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: len(probabilities(window)) == 10, timeout=TIMEOUT_MS)
    return window.findChild(QLabel, "predictedDigit").text()


class OldModel:
    """The model in use and on disk before the fault, to compare after it."""

    def __init__(self, window, models) -> None:
        self.manifest = ModelStore().read_manifest()
        self.path = models / self.manifest["weights_file"]
        self.file_sha = hashlib.sha256(self.path.read_bytes()).hexdigest()
        assert window.session.manifest()["sha256"] == self.manifest["sha256"]

    def assert_kept(self, window) -> None:
        assert window.session.is_model_ready()
        assert window.session.manifest()["sha256"] == self.manifest["sha256"]
        assert ModelStore().read_manifest() == self.manifest
        assert hashlib.sha256(self.path.read_bytes()).hexdigest() == self.file_sha
        assert len(list(self.path.parent.glob("*.npz"))) == 1
        assert list(self.path.parent.glob(".tmp-*")) == []


def start_retraining(window, message_boxes) -> None:
    message_boxes.answer = QMessageBox.StandardButton.Yes
    window.findChild(QObject, "actionRetrain").trigger()
    message_boxes.answer = QMessageBox.StandardButton.Cancel
    assert window.session.is_training()


def use_child(monkeypatch, target) -> None:
    """The training process runs ``target`` instead of the real entry point."""
    monkeypatch.setattr(digitpad.gui.training_process, "run", target)


def status_messages(window) -> list[str]:
    seen: list[str] = []
    window.statusBar().messageChanged.connect(seen.append)
    return seen


def test_training_raising_mid_epoch_is_reported_and_the_old_model_stays(
    qtbot, ready_window, cached_model_home, message_boxes, monkeypatch, case
):
    case(
        "training raises mid-epoch (in the training process)",
        "'Training failed' with the cause; old model in use and on disk",
    )
    monkeypatch.setenv("DIGITPAD_TRAIN_SAMPLES", "4096")
    monkeypatch.setenv("DIGITPAD_EPOCHS", "1")
    use_child(monkeypatch, faulty_jobs.raise_mid_epoch)
    window = ready_window
    old = OldModel(window, cached_model_home)
    assert read_one(qtbot, window) == "1"
    start_retraining(window, message_boxes)
    qtbot.waitUntil(lambda: not window.session.is_training(), timeout=TIMEOUT_MS)
    assert message_boxes.titles() == ["Retrain the network?", "Training failed"]
    assert faulty_jobs.INJECTED in message_boxes.texts()
    assert "current model, if any, stays in use" in message_boxes.texts()
    assert "Traceback" not in message_boxes.texts()
    old.assert_kept(window)
    assert window.findChild(QObject, "actionRetrain").isEnabled()
    assert read_one(qtbot, window) == "1", "the canvas must still predict"


def test_training_process_killed_mid_epoch_is_reported_and_nothing_changes(
    qtbot, ready_window, cached_model_home, message_boxes, monkeypatch, case
):
    entry = case(
        "the training process is killed (SIGKILL) mid-epoch",
        "'Training stopped unexpectedly (killed by SIGKILL…)'; old model kept, no temp files",
    )
    monkeypatch.setenv("DIGITPAD_TRAIN_SAMPLES", "60000")
    monkeypatch.setenv("DIGITPAD_EPOCHS", "1")
    window = ready_window
    old = OldModel(window, cached_model_home)
    start_retraining(window, message_boxes)
    with qtbot.waitSignal(window.trainingProgressed, timeout=TIMEOUT_MS):
        pass  # inside fit
    pid = window.session.training.process().pid
    started = time.monotonic()
    os.kill(pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: not window.session.is_training(), timeout=TIMEOUT_MS)
    entry.note(f"reported {time.monotonic() - started:.2f} s after the kill")
    assert message_boxes.titles() == ["Retrain the network?", "Training failed"]
    assert "Training stopped unexpectedly (killed by SIGKILL" in message_boxes.texts()
    old.assert_kept(window)
    assert read_one(qtbot, window) == "1"
    assert window.findChild(QObject, "actionRetrain").isEnabled()


def test_a_training_process_without_tensorflow_says_so(
    qtbot, ready_window, cached_model_home, message_boxes, monkeypatch, case
):
    case(
        "the training process cannot import TensorFlow",
        "'Training failed': could not load tensorflow, reinstall; old model kept",
    )
    monkeypatch.setenv("DIGITPAD_TRAIN_SAMPLES", "2048")
    monkeypatch.setenv("DIGITPAD_EPOCHS", "1")
    use_child(monkeypatch, faulty_jobs.no_tensorflow)
    window = ready_window
    old = OldModel(window, cached_model_home)
    start_retraining(window, message_boxes)
    qtbot.waitUntil(lambda: not window.session.is_training(), timeout=TIMEOUT_MS)
    assert message_boxes.titles() == ["Retrain the network?", "Training failed"]
    assert "could not load" in message_boxes.texts()
    assert "Reinstall" in message_boxes.texts()
    old.assert_kept(window)


def test_cancel_right_after_starting_keeps_the_old_model(
    qtbot, ready_window, cached_model_home, message_boxes, monkeypatch, case
):
    case("cancel the moment training starts", "'cancelled'; no batch; old model kept")
    monkeypatch.setenv("DIGITPAD_TRAIN_SAMPLES", "4096")
    monkeypatch.setenv("DIGITPAD_EPOCHS", "1")
    window = ready_window
    old = OldModel(window, cached_model_home)
    messages = status_messages(window)
    progressed: list[float] = []
    window.trainingProgressed.connect(progressed.append)
    start_retraining(window, message_boxes)
    window.findChild(QObject, "cancelTraining").click()
    qtbot.waitUntil(lambda: not window.session.is_training(), timeout=TIMEOUT_MS)
    assert [p for p in progressed if p > 0] == [], "no batch may have run"
    assert "Training cancelled; the current model stays." in messages
    assert message_boxes.titles() == ["Retrain the network?"]
    old.assert_kept(window)
    assert read_one(qtbot, window) == "1"


def test_cancel_mid_epoch_keeps_the_old_model(
    qtbot, ready_window, cached_model_home, message_boxes, monkeypatch, case
):
    entry = case("cancel mid-epoch", "stops within seconds; 'cancelled'; old model kept")
    monkeypatch.setenv("DIGITPAD_TRAIN_SAMPLES", "60000")
    monkeypatch.setenv("DIGITPAD_EPOCHS", "1")
    window = ready_window
    old = OldModel(window, cached_model_home)
    messages = status_messages(window)
    fractions: list[float] = []
    window.trainingProgressed.connect(fractions.append)
    start_retraining(window, message_boxes)
    qtbot.waitUntil(lambda: any(f > 0 for f in fractions), timeout=TIMEOUT_MS)
    assert read_one(qtbot, window) == "1", "the old model predicts during training"
    started = time.monotonic()
    window.findChild(QObject, "cancelTraining").click()
    qtbot.waitUntil(lambda: not window.session.is_training(), timeout=TIMEOUT_MS)
    entry.note(f"stopped {time.monotonic() - started:.2f} s after Cancel at {fractions[-1]:.0%}")
    assert 0 < fractions[-1] < 1
    assert "Training cancelled; the current model stays." in messages
    assert message_boxes.titles() == ["Retrain the network?"]
    old.assert_kept(window)
    assert read_one(qtbot, window) == "1"
