"""The app entry point: starts, shows the window, exits cleanly; slot errors are caught."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_main_shows_the_window_and_exits_cleanly(tmp_path):
    code = (
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from digitpad.gui.app import main\n"
        "app = QApplication(sys.argv[:1])\n"
        "def close():\n"
        "    shown = [w for w in app.topLevelWidgets() if w.objectName() == 'mainWindow']\n"
        "    print('SHOWN', [w.isVisible() for w in shown], app.applicationName(), flush=True)\n"
        "    for w in shown:\n"
        "        w.close()\n"
        "QTimer.singleShot(1500, close)\n"
        "sys.exit(main(sys.argv[:1]))\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "DIGITPAD_HOME": str(tmp_path / "home"),  # no model: training starts, then close
        "QT_QPA_PLATFORM": "offscreen",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=240
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "SHOWN [True] digitpad" in result.stdout
    assert "QThread: Destroyed" not in result.stderr
    assert "Traceback" not in result.stderr


def test_errors_in_slots_are_shown_without_a_traceback(qtbot, message_boxes):
    from digitpad.gui import app

    try:
        raise RuntimeError("the widget fell over")
    except RuntimeError as exc:
        app._excepthook(type(exc), exc, exc.__traceback__)
    assert len(message_boxes.shown) == 1
    assert "the widget fell over" in message_boxes.texts()
    assert "Traceback" not in message_boxes.texts()
    assert 'File "' not in message_boxes.texts()


def test_the_app_is_named_for_the_desktop_and_follows_the_colour_scheme(tmp_path):
    code = (
        "import sys\n"
        "from PySide6.QtCore import Qt\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from digitpad.gui.app import set_up_application\n"
        "app = QApplication(sys.argv[:1])\n"
        "set_up_application(app)\n"
        "print(app.applicationName(), app.organizationName(), app.organizationDomain(),\n"
        "      app.desktopFileName(), app.windowIcon().isNull())\n"
        "lightness = lambda: app.palette().window().color().lightness()\n"
        "print('start', lightness() > 128)\n"
        "app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)\n"
        "print('dark', lightness() < 128, app.palette().text().color().lightness() > 128)\n"
        "app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)\n"
        "print('light', lightness() > 128)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.splitlines() == [
        "digitpad digitpad digitpad.invalid digitpad False",
        "start True",  # the offscreen platform's scheme is not dark
        "dark True True",
        "light True",
    ]


def test_a_palette_already_dark_is_left_alone(qapp):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QPalette

    from digitpad.gui.app import apply_color_scheme, dark_palette, is_dark

    before = QPalette(qapp.palette())
    try:
        platform_dark = dark_palette()
        platform_dark.setColor(QPalette.ColorRole.Window, Qt.GlobalColor.darkBlue)
        qapp.setPalette(platform_dark)
        apply_color_scheme(qapp, Qt.ColorScheme.Dark, platform_dark)
        assert qapp.palette().window().color() == Qt.GlobalColor.darkBlue
        # A platform whose own palette is dark keeps it, whatever the scheme says.
        apply_color_scheme(qapp, Qt.ColorScheme.Light, platform_dark)
        assert is_dark(qapp.palette())
    finally:
        qapp.setPalette(before)
