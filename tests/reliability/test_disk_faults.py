"""Disk faults while the app saves a model: unwritable cache, read-only, disk full.

The app must keep running and predicting with the model it has in memory,
say that the model could not be saved, and never damage the model already
on disk: the next start loads it.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import types

import faulty_jobs
import numpy as np
import pytest
from helpers import ONE, draw_strokes
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

import digitpad.gui.training_process
import digitpad.storage.atomic
import digitpad.storage.model_store
from digitpad.storage import paths
from digitpad.storage.model_store import ModelStore

pytestmark = pytest.mark.mnist

TIMEOUT_MS = 120_000
NOT_SAVED = "The model could not be saved"


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def probabilities(window) -> list[float]:
    return window.findChild(QObject, "predictionBars").property("probabilities")


def wait_prediction(qtbot, window) -> list[float]:
    qtbot.waitUntil(lambda: not window.is_prediction_pending(), timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: len(probabilities(window)) == 10, timeout=TIMEOUT_MS)
    return probabilities(window)


@pytest.fixture
def tiny_training(monkeypatch):
    """Retraining in these tests: a few hundred images, one epoch."""
    monkeypatch.setenv("DIGITPAD_TRAIN_SAMPLES", "512")
    monkeypatch.setenv("DIGITPAD_EPOCHS", "1")


def oserror(code: int) -> OSError:
    return OSError(code, os.strerror(code))


class FullDisk:
    """The store's ``os``, but every fsync after the first ``allowed`` fails with ENOSPC.

    A full disk shows up at fsync (delayed allocation): the weights file
    gets written, then the manifest's write fails.
    """

    def __init__(self, allowed: int) -> None:
        self.allowed = allowed
        self.calls = 0
        self.failed = 0

    def __getattr__(self, name):
        return getattr(os, name)

    def fsync(self, fd: int) -> None:
        self.calls += 1
        if self.calls > self.allowed:
            self.failed += 1
            raise oserror(errno.ENOSPC)
        os.fsync(fd)


def read_only_tempfile(code: int):
    """The store's ``tempfile``, where creating any file fails with ``code``."""

    def mkstemp(*args, **kwargs):
        raise oserror(code)

    return types.SimpleNamespace(mkstemp=mkstemp)


def test_unwritable_cache_folder_first_launch_still_predicts(
    qtbot, make_window, message_boxes, tiny_training, case
):
    entry = case(
        "disk: models folder is a file (unwritable), first launch",
        "trains, predicts from memory, says not saved",
    )
    models = paths.models_dir()
    models.parent.mkdir(parents=True)
    models.write_text("not a folder\n")
    window = make_window()
    with qtbot.waitSignal(window.model_ready, timeout=TIMEOUT_MS):
        pass
    qtbot.waitUntil(lambda: not window.session.is_training(), timeout=TIMEOUT_MS)
    assert message_boxes.titles() == [NOT_SAVED], message_boxes.texts()
    assert "will be lost when digitpad closes" in message_boxes.texts()
    assert str(models) in message_boxes.texts()
    assert "Traceback" not in message_boxes.texts()
    assert window.status_text().endswith("(not saved)")
    draw_strokes(qtbot, window.canvas, ONE)
    assert len(wait_prediction(qtbot, window)) == 10
    assert models.read_text() == "not a folder\n"
    reason = re.search(r"\(([^)]*)\)", message_boxes.shown[0][2])
    entry.note(f"told: could not save ({reason.group(1) if reason else '?'})")


def retrain(qtbot, window, message_boxes) -> None:
    message_boxes.answer = QMessageBox.StandardButton.Yes
    window.findChild(QObject, "actionRetrain").trigger()
    assert window.session.is_training()
    qtbot.waitUntil(lambda: not window.session.is_training(), timeout=TIMEOUT_MS)
    message_boxes.answer = QMessageBox.StandardButton.Cancel


@pytest.mark.parametrize(
    ("fault", "words"),
    [("read-only", "Read-only file system"), ("disk-full", "No space left on device")],
)
def test_save_fault_keeps_new_model_in_memory_and_old_model_on_disk(
    qtbot, make_window, message_boxes, cached_model_home, tiny_training, monkeypatch, case,
    fault, words,
):  # fmt: skip
    entry = case(
        f"disk: {fault} while saving a retrained model",
        "in use, says 'not saved'; old model kept & loads next start",
    )
    old = ModelStore().read_manifest()
    old_file = cached_model_home / old["weights_file"]
    old_sha = sha256(old_file)
    window = make_window()
    qtbot.waitUntil(window.session.is_model_ready, timeout=TIMEOUT_MS)
    draw_strokes(qtbot, window.canvas, ONE)
    before = wait_prediction(qtbot, window)

    # The fault is injected where the model is saved: in the training process.
    target = faulty_jobs.read_only_store if fault == "read-only" else faulty_jobs.full_disk
    with monkeypatch.context() as patch:
        patch.setattr(digitpad.gui.training_process, "run", target)
        retrain(qtbot, window, message_boxes)

    # What the user sees: the new network in use, and why it is not kept.
    assert message_boxes.titles() == ["Retrain the network?", NOT_SAVED], message_boxes.texts()
    assert words in message_boxes.texts()
    assert "Traceback" not in message_boxes.texts()
    qtbot.waitUntil(lambda: window.session.manifest().get("saved") is False, timeout=TIMEOUT_MS)
    assert window.session.is_model_ready()
    assert window.status_text().endswith("(not saved)")
    after = wait_prediction(qtbot, window)
    assert not np.allclose(before, after), "the retrained model is not the one in use"
    # Nothing lost on disk: the previous model, byte for byte, and no temp files.
    assert ModelStore().read_manifest() == old
    assert sha256(old_file) == old_sha
    assert not list(cached_model_home.glob(".tmp-*"))
    window.close()

    # The next start loads the previous model; what the failed save left is swept.
    again = make_window()
    qtbot.waitUntil(again.session.is_model_ready, timeout=TIMEOUT_MS)
    assert again.session.manifest()["sha256"] == old["sha256"]
    assert sorted(p.name for p in cached_model_home.glob("*.npz")) == [old["weights_file"]]
    assert not (cached_model_home / "quarantine").exists()
    entry.note(f"old sha256 {old_sha[:12]}… kept")


def test_injected_disk_full_really_fails_a_save(tmp_path, monkeypatch, case):
    case("guard: the injected ENOSPC fails a real store save", "StoreError; nothing written")
    # Guards the test above: the injected fault fails a real save, cleanly.
    store = ModelStore(tmp_path / "models")
    monkeypatch.setattr(digitpad.storage.atomic, "os", FullDisk(allowed=0))
    with pytest.raises(digitpad.storage.model_store.StoreError, match="No space left"):
        store.save([np.zeros(3, np.float32)], {"architecture": "x"})
    monkeypatch.undo()
    assert not store.has()
    assert [p.name for p in store.root.iterdir()] == [".lock"]
