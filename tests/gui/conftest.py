"""GUI fixtures: a window with a real small model, message boxes that answer themselves."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

MODEL_TIMEOUT_MS = 90_000


@pytest.fixture
def make_window(qtbot):
    """Build, register and show MainWindows; all are closed (threads stopped) at teardown."""
    from digitpad.gui import MainWindow

    windows = []

    def make(**kwargs):
        window = MainWindow(**kwargs)
        qtbot.addWidget(window)
        window.resize(860, 600)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()


@pytest.fixture
def ready_window(qtbot, make_window, cached_model_home):
    """A shown window that has loaded the small trained model."""
    window = make_window()
    qtbot.waitUntil(window.is_model_ready, timeout=MODEL_TIMEOUT_MS)
    return window


class MessageBoxes:
    """Records every QMessageBox shown and answers it with ``answer``."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str, str]] = []
        self.answer = QMessageBox.StandardButton.Cancel

    def texts(self) -> str:
        return "\n".join(" | ".join(item) for item in self.shown)


@pytest.fixture
def message_boxes(monkeypatch) -> MessageBoxes:
    """Make QMessageBox.exec non-blocking: record the box, return ``answer``."""
    boxes = MessageBoxes()

    def fake_exec(box):
        boxes.shown.append((box.windowTitle(), box.text(), box.informativeText()))
        return boxes.answer

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    monkeypatch.setattr(
        QMessageBox, "about", lambda parent, title, text: boxes.shown.append((title, text, ""))
    )
    return boxes
