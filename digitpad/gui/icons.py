"""The app's icons and desktop entry, found at run time (source tree or wheel).

The repository's top-level ``resources/`` folder ships in the wheel as the
package ``digitpad.resources``; run from a source checkout it is found next
to the ``digitpad`` package instead.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon

from digitpad.storage import paths


def resource_path(name: str) -> Path:
    """Path of the resource file ``name`` (e.g. ``"digitpad.svg"``)."""
    return paths.resource_path(name)


def icon(name: str) -> QIcon:
    """The icon ``name`` (``resources/<name>.svg``); an empty icon if missing.

    Needs a ``QGuiApplication``. Qt's SVG icon engine renders it sharply at
    whatever size and pixel ratio it is shown.
    """
    path = resource_path(f"{name}.svg")
    return QIcon(str(path)) if path.is_file() else QIcon()
