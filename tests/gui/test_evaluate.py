"""Model > Evaluate: the report from a real small model, the matrix, clicked cells."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QAccessible, QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from digitpad.gui.evaluation_dialog import EvaluationDialog
from digitpad.net.evaluation_report import EvaluationReport

TIMEOUT_MS = 120_000
LIMIT = 2000


def click(widget, pos: QPointF) -> None:
    for kind, buttons in (
        (QEvent.Type.MouseButtonPress, Qt.MouseButton.LeftButton),
        (QEvent.Type.MouseButtonRelease, Qt.MouseButton.NoButton),
    ):
        event = QMouseEvent(
            kind,
            pos,
            QPointF(widget.mapToGlobal(pos)),
            Qt.MouseButton.LeftButton,
            buttons,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(widget, event)


def made_up_report() -> EvaluationReport:
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 10, 500)
    probabilities = rng.random((500, 10)).astype(np.float32)
    probabilities[np.arange(400), labels[:400]] += 5  # most read right
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    images = rng.integers(0, 256, (500, 28, 28), dtype=np.uint8)
    return EvaluationReport(images, labels, probabilities)


def test_report_figures():
    report = made_up_report()
    assert report.confusion.sum() == len(report) == 500
    assert report.accuracy == pytest.approx(np.trace(report.confusion) / 500)
    for true_digit in range(10):
        for read_as in range(10):
            cell = report.cell(true_digit, read_as)
            assert len(cell) == report.confusion[true_digit, read_as]
            assert (report.labels[cell] == true_digit).all()
            assert (report.predicted[cell] == read_as).all()
    mistakes = report.confident_mistakes(10)
    assert (report.predicted[mistakes] != report.labels[mistakes]).all()
    confidences = [report.confidence(i) for i in mistakes]
    assert confidences == sorted(confidences, reverse=True)


def test_clicked_cell_lists_its_images(qtbot):
    report = made_up_report()
    dialog = EvaluationDialog()
    qtbot.addWidget(dialog)
    dialog.set_report(report)
    dialog.show()
    qtbot.waitExposed(dialog)
    matrix = dialog.findChild(QObject, "confusionMatrix")
    assert (matrix.matrix() == report.confusion).all()
    off = report.confusion - np.diag(np.diag(report.confusion))
    true_digit, read_as = (int(v) for v in np.unravel_index(int(off.argmax()), off.shape))
    with qtbot.waitSignal(matrix.cellClicked) as blocker:
        click(matrix, matrix.cell_rect(true_digit, read_as).center())
    assert blocker.args == [true_digit, read_as]
    assert dialog.cell_images.indices() == list(report.cell(true_digit, read_as))
    assert matrix.cell_at(matrix.cell_rect(3, 7).center()) == (3, 7)
    dialog.close()


@pytest.mark.mnist
def test_evaluate_action_on_real_model(qtbot, ready_window, mnist):
    window = ready_window
    action = window.findChild(QObject, "actionEvaluate")
    assert action is not None
    assert action.isEnabled()
    assert window.session.start_evaluation(limit=LIMIT)
    qtbot.waitUntil(
        lambda: window.evaluation_dialog is not None and window.evaluation_dialog.isVisible(),
        timeout=TIMEOUT_MS,
    )
    dialog = window.evaluation_dialog
    report = dialog.report
    matrix = dialog.findChild(QObject, "confusionMatrix")
    assert int(matrix.matrix().sum()) == LIMIT
    assert (report.labels == mnist.y_test[:LIMIT]).all()
    assert report.accuracy > 0.9  # the small model reads ~97%
    # Every cell maps to exactly its images (true digit, reading).
    for true_digit, read_as in [(4, 9), (7, 7), (3, 5)]:
        click(matrix, matrix.cell_rect(true_digit, read_as).center())
        listed = dialog.cell_images.indices()
        assert len(listed) == min(300, int(matrix.matrix()[true_digit, read_as]))
        assert all(int(mnist.y_test[i]) == true_digit for i in listed)
        assert all(int(report.predicted[i]) == read_as for i in listed)
    mistakes = dialog.mistakes.indices()
    assert mistakes
    assert all(report.predicted[i] != mnist.y_test[i] for i in mistakes)
    dialog.close()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)


def test_mistake_captions_show_whole(qtbot):
    report = made_up_report()
    dialog = EvaluationDialog()
    qtbot.addWidget(dialog)
    dialog.set_report(report)
    dialog.mistakes.item(0).setText("8→8 100%")  # the widest caption there is
    dialog.mistakes.fit_captions()
    dialog.show()
    qtbot.waitExposed(dialog)
    metrics = dialog.mistakes.fontMetrics()
    for i in range(dialog.mistakes.count()):
        item = dialog.mistakes.item(i)
        room = dialog.mistakes.visualItemRect(item).width()
        assert metrics.horizontalAdvance(item.text()) < room, item.text()
    dialog.close()


def test_the_matrix_is_usable_by_keyboard_and_says_its_cells_in_words(qtbot):
    report = made_up_report()
    dialog = EvaluationDialog()
    qtbot.addWidget(dialog)
    dialog.set_report(report)
    dialog.show()
    qtbot.waitExposed(dialog)
    matrix = dialog.matrix
    interface = QAccessible.queryAccessibleInterface(matrix)
    assert interface.text(QAccessible.Text.Name) == "Confusion matrix"
    assert matrix.focusPolicy() & Qt.FocusPolicy.TabFocus
    matrix.select(4, 4)
    with qtbot.waitSignal(matrix.cellClicked) as blocker:
        QTest.keyClick(matrix, Qt.Key.Key_Right)
    assert blocker.args == [4, 5]
    QTest.keyClick(matrix, Qt.Key.Key_Up)
    assert matrix.selected() == (3, 5)
    assert dialog.cell_images.indices() == list(report.cell(3, 5))
    count = int(report.confusion[3, 5])
    said = f"{count} images of 3 read as 5" if count != 1 else "1 image of 3 read as 5"
    assert interface.text(QAccessible.Text.Description) == said
    assert dialog.cell_caption.text() == f"<b>{said}</b>"
    # The edges hold.
    matrix.select(0, 0)
    QTest.keyClick(matrix, Qt.Key.Key_Left)
    assert matrix.selected() == (0, 0)
    # The image lists are named and take the focus, in order, after the matrix.
    for widget, name in (
        (dialog.cell_images, "Test images of the selected cell"),
        (dialog.mistakes, "Most confident mistakes"),
    ):
        assert QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name) == name
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    matrix.setFocus()
    for following in (dialog.cell_images, dialog.mistakes):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is following
    item = dialog.mistakes.item(0)
    index = dialog.mistakes.indices()[0]
    assert item.data(Qt.ItemDataRole.AccessibleTextRole).startswith(f"Test image #{index}: a ")
    dialog.close()
