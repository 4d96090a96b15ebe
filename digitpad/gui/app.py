"""Start the desktop app: QApplication, the main window, the event loop.

No TensorFlow here: the window shows first, the workers import it later.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Sequence
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from digitpad import __version__

log = logging.getLogger(__name__)


def main(argv: Sequence[str] | None = None, mnist: str | None = None) -> int:
    """Run the window until the user closes it.

    Args:
        argv: command-line arguments for Qt (default ``sys.argv``).
        mnist: a local MNIST copy to train from (``--mnist``).

    Returns:
        The exit code (0).
    """
    from digitpad.gui import icons
    from digitpad.gui.window import MainWindow

    app = QApplication.instance() or QApplication(list(argv if argv is not None else sys.argv))
    app.setApplicationName("digitpad")
    app.setApplicationDisplayName("digitpad")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("digitpad")
    app.setDesktopFileName("digitpad")
    app.setWindowIcon(icons.icon("digitpad"))
    previous_hook = sys.excepthook
    sys.excepthook = _excepthook
    try:
        window = MainWindow(mnist=mnist)
        window.resize(860, 600)
        window.show()
        app.aboutToQuit.connect(window.shutdown)
        return int(app.exec())
    finally:
        sys.excepthook = previous_hook


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Log an unexpected error from a slot and tell the user, without a traceback.

    Qt keeps running after a slot raises; the app must not quit or show
    Python's internals to the user.
    """
    if issubclass(kind, KeyboardInterrupt):
        QApplication.quit()
        return
    log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, exc, tb)))
    app = QApplication.instance()
    if app is None:
        return
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Something went wrong",
        "digitpad ran into an unexpected problem and carried on.",
    )
    box.setInformativeText(f"{kind.__name__}: {exc}" if str(exc) else kind.__name__)
    box.setWindowModality(Qt.WindowModality.ApplicationModal)
    box.exec()
