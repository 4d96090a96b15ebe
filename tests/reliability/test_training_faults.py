"""Training that fails or is cancelled never costs the model in use or on disk.

Each test starts the real window on the small trained model, retrains from
Model > Retrain…, and injects the fault into the real training run (the
worker's ``digitpad.net.training.train``): the old model must keep predicting,
stay the one in use, and stay on disk byte for byte.
"""

from __future__ import annotations

import hashlib
import threading

import pytest
from helpers import ONE, draw_strokes
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QMessageBox

import digitpad.net.training
from digitpad.storage.model_store import ModelStore

pytestmark = pytest.mark.mnist

TIMEOUT_MS = 120_000
INJECTED = "injected fault: the training step blew up"


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


def start_retraining(window, message_boxes) -> None:
    message_boxes.answer = QMessageBox.StandardButton.Yes
    window.findChild(QObject, "actionRetrain").trigger()
    message_boxes.answer = QMessageBox.StandardButton.Cancel
    assert window.session.is_training()


def count_batches(monkeypatch) -> tuple[list[int], list[threading.Event]]:
    """Wrap the worker's ``train``: record each reported batch and the cancel event."""
    batches: list[int] = []
    cancel_events: list[threading.Event] = []
    real_train = digitpad.net.training.train

    def train(recipe, mnist, *, cancel=None, listener=None, **kwargs):
        cancel_events.append(cancel)

        class Counting:
            def __getattr__(self, name):
                return getattr(listener, name)

            def on_progress(self, progress) -> None:
                batches.append(progress.step)
                listener.on_progress(progress)

        return real_train(recipe, mnist, cancel=cancel, listener=Counting(), **kwargs)

    monkeypatch.setattr(digitpad.net.training, "train", train)
    return batches, cancel_events


def status_messages(window) -> list[str]:
    seen: list[str] = []
    window.statusBar().messageChanged.connect(seen.append)
    return seen


def test_training_raising_mid_epoch_is_reported_and_the_old_model_stays(
    qtbot, ready_window, cached_model_home, message_boxes, monkeypatch, case
):
    entry = case(
        "training raises mid-epoch (injected)",
        "error dialog, no traceback; old model predicts, kept on disk",
    )
    monkeypatch.setenv("DIGITPAD_TRAIN_SAMPLES", "4096")
    monkeypatch.setenv("DIGITPAD_EPOCHS", "1")
    window = ready_window
    old = OldModel(window, cached_model_home)
    raised_at: list[tuple[int, int]] = []
    real_train = digitpad.net.training.train

    class Saboteur:
        """Passes every report on to the app's listener; blows up mid-epoch."""

        def __init__(self, listener) -> None:
            self.listener = listener

        def __getattr__(self, name):
            return getattr(self.listener, name)

        def _check(self, progress) -> None:
            if 2 <= progress.step < progress.steps_per_epoch and not raised_at:
                raised_at.append((progress.step, progress.steps_per_epoch))
                raise RuntimeError(INJECTED)

        def on_progress(self, progress) -> None:
            self._check(progress)
            self.listener.on_progress(progress)

        def on_snapshot(self, weights, progress) -> None:
            self._check(progress)
            self.listener.on_snapshot(weights, progress)

    def sabotaged_train(recipe, mnist, *, listener=None, **kwargs):
        return real_train(recipe, mnist, listener=Saboteur(listener), **kwargs)

    monkeypatch.setattr(digitpad.net.training, "train", sabotaged_train)
    assert read_one(qtbot, window) == "1"
    start_retraining(window, message_boxes)
    qtbot.waitUntil(lambda: not window.session.is_training(), timeout=TIMEOUT_MS)

    assert raised_at, "the fault was never injected: the test proved nothing"
    assert message_boxes.titles() == ["Retrain the network?", "Training failed"]
    assert INJECTED in message_boxes.texts()
    assert "current model, if any, stays in use" in message_boxes.texts()
    assert "Traceback" not in message_boxes.texts()
    assert 'File "' not in message_boxes.texts()
    old.assert_kept(window)
    assert window.findChild(QObject, "actionRetrain").isEnabled()
    assert read_one(qtbot, window) == "1", "the canvas must still predict"
    step, steps = raised_at[0]
    entry.note(f"raised at batch {step}/{steps}")


def test_cancel_right_after_starting_keeps_the_old_model(
    qtbot, ready_window, cached_model_home, message_boxes, monkeypatch, case
):
    case("cancel before the first batch (at once)", "'cancelled' shown; old model kept, same sha")
    monkeypatch.setenv("DIGITPAD_TRAIN_SAMPLES", "4096")
    monkeypatch.setenv("DIGITPAD_EPOCHS", "1")
    window = ready_window
    old = OldModel(window, cached_model_home)
    batches, _ = count_batches(monkeypatch)
    messages = status_messages(window)
    start_retraining(window, message_boxes)
    window.findChild(QObject, "cancelTraining").click()
    qtbot.waitUntil(lambda: not window.session.is_training(), timeout=TIMEOUT_MS)
    assert batches == [], "no batch may have run"
    assert "Training cancelled; the current model stays." in messages
    assert message_boxes.titles() == ["Retrain the network?"]
    old.assert_kept(window)
    assert read_one(qtbot, window) == "1"


def test_cancel_while_fitting_starts_keeps_the_old_model(
    qtbot, ready_window, cached_model_home, message_boxes, monkeypatch, case
):
    entry = case(
        "cancel before the first batch (as fit starts)",
        "'cancelled' shown; old model kept, same sha256",
    )
    monkeypatch.setenv("DIGITPAD_TRAIN_SAMPLES", "4096")
    monkeypatch.setenv("DIGITPAD_EPOCHS", "1")
    window = ready_window
    old = OldModel(window, cached_model_home)
    batches, cancel_event = count_batches(monkeypatch)
    real_images = digitpad.net.training.training_images

    def images(recipe, mnist):
        # The user presses Cancel while the data is prepared, before any batch.
        cancel_event[0].set()
        return real_images(recipe, mnist)

    monkeypatch.setattr(digitpad.net.training, "training_images", images)
    messages = status_messages(window)
    start_retraining(window, message_boxes)
    qtbot.waitUntil(lambda: not window.session.is_training(), timeout=TIMEOUT_MS)
    assert cancel_event, "the training run never started"
    assert max(batches, default=0) <= 1, batches  # fit stops within one batch
    assert "Training cancelled; the current model stays." in messages
    assert message_boxes.titles() == ["Retrain the network?"]
    old.assert_kept(window)
    assert read_one(qtbot, window) == "1"
    entry.note(f"batches run: {max(batches, default=0)}")


def test_cancel_mid_epoch_keeps_the_old_model(
    qtbot, ready_window, cached_model_home, message_boxes, monkeypatch, case
):
    entry = case("cancel mid-epoch", "old model predicts meanwhile; kept, same sha256")
    monkeypatch.setenv("DIGITPAD_TRAIN_SAMPLES", "60000")
    monkeypatch.setenv("DIGITPAD_EPOCHS", "1")
    window = ready_window
    old = OldModel(window, cached_model_home)
    progress: list[float] = []
    window.trainingProgressed.connect(progress.append)
    messages = status_messages(window)
    start_retraining(window, message_boxes)
    qtbot.waitUntil(lambda: any(0 < p < 1 for p in progress), timeout=TIMEOUT_MS)
    assert read_one(qtbot, window) == "1", "the old model predicts during training"
    assert window.session.is_training()
    window.findChild(QObject, "cancelTraining").click()
    qtbot.waitUntil(lambda: not window.session.is_training(), timeout=TIMEOUT_MS)
    cancelled_at = max(progress)
    assert 0 < cancelled_at < 1
    assert "Training cancelled; the current model stays." in messages
    assert message_boxes.titles() == ["Retrain the network?"]
    old.assert_kept(window)
    assert read_one(qtbot, window) == "1"
    entry.note(f"cancelled at {cancelled_at:.1%} of the epoch")
