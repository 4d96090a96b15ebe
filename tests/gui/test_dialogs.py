"""The window's message boxes: Model Info (with the personal memory), questions, Chinese."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from PySide6.QtWidgets import QMessageBox

from digitpad.gui import dialogs, i18n
from digitpad.gui.dialogs import MemoryState

MANIFEST = {
    "architecture": "lenet-v3",
    "test_accuracy": 0.99123,
    "test_loss": 0.03121,
    "created": "2026-01-02T10:00:00",
    "recipe": {"name": "default", "epochs": 1, "batch_size": 128, "optimizer": "adam"},
    "epochs_completed": 1,
    "fit_seconds": 75,
    "weights_file": "base.npz",
    "sha256": "ab" * 32,
}


def session(predicting: bool = True, provisional: bool = False, size: int = 0):
    """What :func:`dialogs.memory_state` asks of a ModelSession."""
    return SimpleNamespace(
        is_predicting=lambda: predicting,
        is_provisional=lambda: provisional,
        memory_size=lambda: size,
    )


def test_the_memory_state_follows_the_session():
    assert dialogs.memory_state(session(size=17)) == MemoryState(17, True)
    assert dialogs.memory_state(session(provisional=True)) == MemoryState(0, False, learning=True)
    assert dialogs.memory_state(session(predicting=False)) == MemoryState(0, False)


def test_model_info_shows_the_memory():
    on = dialogs.model_info_html(MANIFEST, memory=MemoryState(17, True))
    assert "<b>Personal memory</b></td><td>On. The memory holds 17 drawings; each one " in on
    assert "The test-set report reads with the network alone." in on
    off = dialogs.model_info_html(MANIFEST, memory=MemoryState(0, False, learning=True))
    assert "Off. The memory is off while the network is still learning" in off
    learning = dialogs.model_info_html(None, provisional=True, memory=MemoryState(0, False, True))
    assert learning.endswith(
        "<p><b>Personal memory</b><br>Off. The memory is off while the network is still "
        "learning; your kept drawings count again once the training ends.</p>"
    )
    assert "Personal memory" not in dialogs.model_info_html(MANIFEST)


def test_model_info_rows_read_as_before():
    text = dialogs.model_info_html(MANIFEST)
    for row in (
        "Accuracy</b></td><td>99.12% on the ",
        "Recipe</b></td><td>default, 1 epoch, batch 128, adam</td>",
        "Training time</b></td><td>1 min 15 s</td>",
        "Test loss</b></td><td>0.0312",
        "Not sure below</b></td><td>90% (not calibrated: an older model)",
    ):
        assert row in text


def test_the_model_info_box(qapp, message_boxes):
    asked = dialogs.show_model_info(
        None, MANIFEST, training_html="<p>1</p>", offer_chart=True, memory=MemoryState(3, True)
    )
    assert not asked
    title, text, _informative = message_boxes.shown[0]
    assert title == "Model info"
    assert "The memory holds 3 drawings" in text
    assert "Last training run, per epoch" in text


def test_questions_answer_yes_or_cancel(qapp, monkeypatch):
    shown = []

    def answer(box):
        shown.append([button.text() for button in box.buttons()])
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "exec", answer)
    assert dialogs.ask(None, "Title", "Sure?")
    assert sorted(shown[0]) == ["Cancel", "Yes"]


@pytest.fixture
def chinese(qapp):
    assert i18n.install_translators(qapp, "zh_CN") == "zh_CN"
    yield qapp
    i18n.install_translators(qapp, "en")


def test_model_info_speaks_chinese(chinese):
    text = dialogs.model_info_html(MANIFEST, memory=MemoryState(17, True))
    assert "个人记忆" in text
    assert "开启。记忆中有 17 个手写数字" in text
    assert "1 分 15 秒" in text
