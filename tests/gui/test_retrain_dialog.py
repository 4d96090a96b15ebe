"""Retrain Settings: labels, keyboard, names for assistive technology, its problems in words."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel

from digitpad.gui import i18n
from digitpad.gui.retrain_dialog import CHOICE_TEXTS, RetrainDialog
from digitpad.net.training_settings import OPTIMIZERS, PRESETS, SCHEDULES


@pytest.fixture
def dialog(qtbot) -> RetrainDialog:
    dialog = RetrainDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def fields(dialog: RetrainDialog) -> list:
    return [
        dialog.preset,
        dialog.optimizer,
        dialog.learning_rate,
        dialog.schedule,
        dialog.batch_size,
        dialog.epochs,
        dialog.train_samples,
    ]


def test_every_choice_the_settings_name_is_marked_for_translation():
    for names in (PRESETS, OPTIMIZERS, SCHEDULES):
        for text in names.values():
            assert text in CHOICE_TEXTS, text


def test_every_field_has_a_label_with_a_mnemonic_and_a_name(dialog):
    labels = {label.buddy(): label for label in dialog.findChildren(QLabel) if label.buddy()}
    keys = set()
    for field in fields(dialog):
        label = labels[field]
        assert "&" in label.text()
        keys.add(label.text()[label.text().index("&") + 1].lower())
        assert field.accessibleName() == label.text().replace("&", "").rstrip(":")
        # What a screen reader says of the field: the label it is labelled by.
        interface = QAccessible.queryAccessibleInterface(field)
        relations = interface.relations(QAccessible.RelationFlag.Label)
        assert [other.object() for other, _flag in relations] == [label]
    for box in (dialog.augment, dialog.pen_digits):
        assert "&" in box.text()
        keys.add(box.text()[box.text().index("&") + 1].lower())
    train = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    keys.add(train.text()[train.text().index("&") + 1].lower())
    assert len(keys) == len(fields(dialog)) + 3  # no two share a key
    assert dialog.preset.accessibleName() == "Start from"
    assert dialog.problems.accessibleName() == "Problems with these settings"


def test_keyboard_alone_reaches_every_field_in_order(dialog):
    QTest.keyClick(dialog, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is dialog.epochs
    dialog.preset.setFocus()
    train = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    expected = [*fields(dialog)[1:], dialog.augment, dialog.pen_digits, train]
    for following in expected:
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        # A spin box's or combo box's line edit stands for it.
        assert focused is following or focused.parent() is following, following.objectName()


def test_the_problems_read_as_the_settings_word_them(dialog):
    """The dialog words each problem itself (to translate it): in English, exactly as before."""
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    for change in (
        lambda: dialog.batch_size.setValue(0),
        lambda: dialog.epochs.setValue(1000),
        lambda: dialog.learning_rate.setText("5"),
    ):
        change()
        assert dialog.problem_texts() == dialog.settings().problems()
        assert not ok.isEnabled()
        assert dialog.problems.text() == "\n".join(dialog.settings().problems())
        dialog.show_settings(dialog.settings().from_preset("default"))
        assert ok.isEnabled()
    dialog.learning_rate.setText("fast")
    assert dialog.problems.text() == (
        "The learning rate 'fast' is not a number (type e.g. 0.001)."
    )


def test_the_dialog_speaks_chinese(qapp, qtbot):
    assert i18n.install_translators(qapp, "zh_CN") == "zh_CN"
    try:
        dialog = RetrainDialog()
        qtbot.addWidget(dialog)
        assert dialog.windowTitle() == "重新训练设置"
        assert dialog.optimizer.itemText(dialog.optimizer.findData("rmsprop")) == (
            "RMSprop（文章所用）"
        )
        dialog.epochs.setValue(0)
        assert dialog.problems.text() == "训练轮数必须是 1 到 100 之间的整数，而不是 0。"
        assert dialog.epochs.accessibleName() == "训练轮数"
    finally:
        i18n.install_translators(qapp, "en")
