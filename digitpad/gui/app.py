"""Start the desktop app: QApplication, the main window, the event loop.

The application is named for the desktop (name, organisation, the desktop
entry ``digitpad.desktop`` that ``digitpad install-desktop`` writes, the
icon), speaks the system's language or the one View > Language chose
(:mod:`digitpad.gui.i18n`) and follows the system's light or dark colour
scheme.

No TensorFlow here: the window shows first, the workers import it later.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Sequence
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox

from digitpad import __version__

log = logging.getLogger(__name__)

APPLICATION_NAME = "digitpad"
ORGANIZATION_NAME = "digitpad"
#: digitpad owns no domain; ``.invalid`` is reserved for names that must not resolve.
ORGANIZATION_DOMAIN = "digitpad.invalid"
#: The desktop entry's name without ``.desktop`` (resources/digitpad.desktop).
DESKTOP_FILE_NAME = "digitpad"


def main(argv: Sequence[str] | None = None, mnist: str | None = None) -> int:
    """Run the window until the user closes it.

    Args:
        argv: command-line arguments for Qt (default ``sys.argv``).
        mnist: a local MNIST copy to train from (``--mnist``).

    Returns:
        The exit code (0).
    """
    from digitpad.gui import i18n
    from digitpad.gui.window import FRAME_ALLOWANCE, MainWindow

    app = QApplication.instance() or QApplication(list(argv if argv is not None else sys.argv))
    set_up_application(app)
    i18n.install_translators(app)
    previous_hook = sys.excepthook
    sys.excepthook = _excepthook
    try:
        window = MainWindow(mnist=mnist)
        # As it was last closed; else a paper wider than tall, on which a
        # six-digit number written at a natural size fits (see the canvas tests).
        if not window.restore_geometry():
            screen = window.screen().availableGeometry() if window.screen() else None
            if screen is None:
                window.resize(1000, 640)
            else:  # a netbook's 1024 x 600 leaves less room: the window fits it
                window.resize(
                    min(1000, screen.width()), min(640, screen.height() - FRAME_ALLOWANCE)
                )
        window.show()
        app.aboutToQuit.connect(window.shutdown)
        return int(app.exec())
    finally:
        sys.excepthook = previous_hook


def set_up_application(app: QApplication) -> None:
    """Name the application for the desktop, give it its icon, follow the colour scheme."""
    from digitpad.gui import icons

    app.setApplicationName(APPLICATION_NAME)
    app.setApplicationDisplayName(APPLICATION_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(ORGANIZATION_NAME)
    app.setOrganizationDomain(ORGANIZATION_DOMAIN)
    app.setDesktopFileName(DESKTOP_FILE_NAME)
    app.setWindowIcon(icons.icon("digitpad"))
    follow_color_scheme(app)


def follow_color_scheme(app: QApplication) -> None:
    """Use a dark palette while the system's colour scheme is dark (Qt 6.5+).

    Where the platform already gives a dark palette for a dark scheme
    (macOS, Windows, some Linux themes) nothing changes; elsewhere a dark
    palette is set, and the platform's own comes back with a light scheme.
    The drawing paper keeps its own colours either way.
    """
    original = QPalette(app.palette())

    def on_color_scheme_changed(scheme: Qt.ColorScheme) -> None:
        apply_color_scheme(app, scheme, original)

    apply_color_scheme(app, app.styleHints().colorScheme(), original)
    app.styleHints().colorSchemeChanged.connect(on_color_scheme_changed)


def apply_color_scheme(app: QApplication, scheme: Qt.ColorScheme, original: QPalette) -> None:
    """Make ``app``'s palette fit ``scheme``; ``original`` is the platform's palette."""
    if scheme == Qt.ColorScheme.Dark and not is_dark(app.palette()):
        app.setPalette(dark_palette())
    elif scheme != Qt.ColorScheme.Dark and is_dark(app.palette()) and not is_dark(original):
        app.setPalette(original)


def is_dark(palette: QPalette) -> bool:
    """Whether ``palette``'s windows are dark (light text on a dark background)."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def dark_palette() -> QPalette:
    """A dark palette for every widget (the drawing paper paints its own colours)."""
    palette = QPalette()
    roles = QPalette.ColorRole
    colours = {
        roles.Window: QColor(45, 45, 48),
        roles.WindowText: QColor(230, 230, 230),
        roles.Base: QColor(30, 30, 32),
        roles.AlternateBase: QColor(45, 45, 48),
        roles.ToolTipBase: QColor(60, 60, 64),
        roles.ToolTipText: QColor(230, 230, 230),
        roles.PlaceholderText: QColor(150, 150, 150),
        roles.Text: QColor(230, 230, 230),
        roles.Button: QColor(53, 53, 56),
        roles.ButtonText: QColor(230, 230, 230),
        roles.BrightText: QColor(255, 90, 90),
        roles.Light: QColor(80, 80, 84),
        roles.Midlight: QColor(65, 65, 68),
        roles.Mid: QColor(90, 90, 94),
        roles.Dark: QColor(25, 25, 27),
        roles.Shadow: QColor(0, 0, 0),
        roles.Highlight: QColor(61, 142, 230),
        roles.HighlightedText: QColor(255, 255, 255),
        roles.Link: QColor(110, 170, 255),
        roles.LinkVisited: QColor(170, 140, 255),
    }
    for role, colour in colours.items():
        palette.setColor(role, colour)
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        palette.setColor(disabled, role, QColor(130, 130, 130))
    palette.setColor(disabled, roles.Highlight, QColor(80, 80, 84))
    return palette


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
    from digitpad.gui.i18n import translate

    box = QMessageBox(
        QMessageBox.Icon.Warning,
        translate("Application", "Something went wrong"),
        translate("Application", "digitpad ran into an unexpected problem and carried on."),
    )
    box.setInformativeText(f"{kind.__name__}: {exc}" if str(exc) else kind.__name__)
    box.setWindowModality(Qt.WindowModality.ApplicationModal)
    box.exec()
