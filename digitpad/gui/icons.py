"""The app's icons and desktop entry, found at run time (source tree or wheel).

The repository's top-level ``resources/`` folder ships in the wheel as the
package ``digitpad.resources``; run from a source checkout it is found next
to the ``digitpad`` package instead.
"""

from __future__ import annotations

import functools
import importlib.resources
from importlib.resources.abc import Traversable
from pathlib import Path

from PySide6.QtGui import QIcon


@functools.cache
def resource_dir() -> Traversable:
    """The folder holding the icons."""
    try:
        return importlib.resources.files("digitpad.resources")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / "resources"


def resource_path(name: str) -> Path:
    """Path of the resource file ``name`` (e.g. ``"digitpad.svg"``)."""
    return Path(str(resource_dir().joinpath(name)))


def icon(name: str) -> QIcon:
    """The icon ``name`` (``resources/<name>.svg``); an empty icon if missing.

    Needs a ``QGuiApplication``. Qt's SVG icon engine renders it sharply at
    whatever size and pixel ratio it is shown.
    """
    path = resource_path(f"{name}.svg")
    return QIcon(str(path)) if path.is_file() else QIcon()
