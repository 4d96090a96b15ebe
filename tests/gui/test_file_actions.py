"""File > Save Drawing… and Open Image…, and closing the window while it loads.

Real window, real files in ``tmp_path``, real mouse strokes and the real
small LeNet (tests/conftest.py).
"""

from __future__ import annotations

import errno
import os
import resource
from pathlib import Path

import pytest
from helpers import SEVEN, draw_strokes
from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QFileDialog

import digitpad.gui.session
from digitpad.gui.session import ModelState
from digitpad.storage import paths
from digitpad.storage.atomic import TEMP_PREFIX

pytestmark = pytest.mark.mnist

TIMEOUT_MS = 90_000
OLD_DRAWING = b"\x89PNG\r\n\x1a\n the drawing saved last week"


def choose_save_path(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), "PNG image (*.png)")
    )


def save(window) -> None:
    window.findChild(QObject, "actionSave").trigger()


def debris(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX))


def status_messages(window) -> list[str]:
    """Every message the status bar shows from now on."""
    messages: list[str] = []
    window.statusBar().messageChanged.connect(messages.append)
    return messages


def wait_read(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.is_prediction_pending(), timeout=TIMEOUT_MS)


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    """A drawing saved before, with a second name (a hard link) to its content."""
    folder = tmp_path / "drawings"
    folder.mkdir()
    path = folder / "digit.png"
    path.write_bytes(OLD_DRAWING)
    os.link(path, tmp_path / "old-content.png")
    return path


@pytest.fixture
def seven_window(qtbot, ready_window):
    """The ready window with a 7 drawn and read."""
    draw_strokes(qtbot, ready_window.canvas, SEVEN)
    wait_read(qtbot, ready_window)
    assert ready_window.session.reading.latest_input() is not None
    return ready_window


# -- File > Save Drawing… -------------------------------------------------------------


def test_saving_over_a_drawing_replaces_it_by_a_new_file(
    seven_window, old_file, tmp_path, message_boxes, monkeypatch
):
    window = seven_window
    choose_save_path(monkeypatch, old_file)
    save(window)
    assert message_boxes.shown == []
    saved = QImage(str(old_file))
    assert saved.convertToFormat(QImage.Format.Format_RGB32) == window.canvas.to_image()
    # Renamed over the old file, not written into it: the old content is intact
    # under its other name until the new one is complete.
    assert (tmp_path / "old-content.png").read_bytes() == OLD_DRAWING
    assert debris(old_file.parent) == []
    assert not window.canvas.is_modified()


def test_a_saved_drawing_has_the_permissions_an_ordinary_save_gives(
    seven_window, old_file, message_boxes, monkeypatch
):
    window = seven_window
    umask = os.umask(0o022)
    try:
        fresh = old_file.parent / "new.png"
        choose_save_path(monkeypatch, fresh)
        save(window)
        assert fresh.stat().st_mode & 0o777 == 0o644  # the umask's, not owner-only
        old_file.chmod(0o640)
        choose_save_path(monkeypatch, old_file)
        save(window)
        assert old_file.stat().st_mode & 0o777 == 0o640  # the old file's kept
    finally:
        os.umask(umask)
    assert message_boxes.shown == []


def test_a_full_disk_on_save_says_so_and_keeps_the_old_file(
    seven_window, old_file, message_boxes, monkeypatch
):
    window = seven_window
    choose_save_path(monkeypatch, old_file)

    def disk_full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", disk_full)
        save(window)
    assert message_boxes.titles() == ["Cannot save the drawing"]
    assert message_boxes.shown[0][1] == (
        f"Could not write {old_file} ({os.strerror(errno.ENOSPC)})."
    )
    assert old_file.read_bytes() == OLD_DRAWING
    assert debris(old_file.parent) == []
    assert window.canvas.is_modified()


def test_a_save_cut_short_by_the_file_size_limit_keeps_the_old_file(
    seven_window, old_file, message_boxes, monkeypatch
):
    window = seven_window
    choose_save_path(monkeypatch, old_file)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    # A real failing write (EFBIG; Python ignores SIGXFSZ), as under `ulimit -f 12`.
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, hard))
    try:
        save(window)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    assert message_boxes.titles() == ["Cannot save the drawing"]
    assert os.strerror(errno.EFBIG) in message_boxes.shown[0][1]
    assert old_file.read_bytes() == OLD_DRAWING
    assert debris(old_file.parent) == []


# -- File > Open Image… ---------------------------------------------------------------


def test_opening_a_digit_after_a_blank_paper_reads_it_with_no_blank_message(
    qtbot, seven_window, tmp_path
):
    window = seven_window
    path = tmp_path / "seven.png"
    assert window.canvas.to_image().save(str(path))
    window.canvas.clear()
    assert window.session.reading.latest_input() is None
    messages = status_messages(window)
    assert window.open_image(str(path))
    wait_read(qtbot, window)
    assert window.session.reading.latest_reading().text == "7"
    assert not [m for m in messages if m.startswith("No digit found")]


def test_opening_a_blank_image_after_a_digit_says_it_is_blank(qtbot, seven_window, tmp_path):
    window = seven_window
    path = tmp_path / "white.png"
    blank = QImage(200, 150, QImage.Format.Format_Grayscale8)
    blank.fill(QColor("white"))
    assert blank.save(str(path))
    messages = status_messages(window)
    assert window.open_image(str(path))
    assert messages == ["No digit found in white.png: the image is blank."]
    wait_read(qtbot, window)
    assert window.session.reading.latest_reading() is None


# -- closing --------------------------------------------------------------------------


@pytest.mark.usefixtures("cached_model_home")
def test_closing_while_loading_hides_the_window_before_waiting_for_the_threads(
    qtbot, make_window, monkeypatch
):
    seen = []
    real_stop = digitpad.gui.session.stop_thread

    def stop_thread(thread, *args, **kwargs):
        seen.append(window.isVisible())
        return real_stop(thread, *args, **kwargs)

    monkeypatch.setattr(digitpad.gui.session, "stop_thread", stop_thread)
    window = make_window()
    qtbot.waitUntil(lambda: window.session.inference_thread().isRunning(), timeout=TIMEOUT_MS)
    qtbot.wait(1)  # the session starts loading
    window.pen_slider.setValue(24)
    assert window.session.state is ModelState.LOADING
    window.close()
    assert seen == [False]
    assert not window.session.inference_thread().isRunning()
    assert not window.session.training.is_running()
    settings = QSettings(str(paths.data_dir() / "settings.ini"), QSettings.Format.IniFormat)
    assert float(settings.value("view/penWidth")) == 24.0
