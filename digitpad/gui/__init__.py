"""digitpad's desktop window (PySide6).

Importing this package never imports TensorFlow: the workers import it on
their own threads once the window is on screen. ``MainWindow`` is imported on
first use, so that light modules such as :mod:`digitpad.drawing.render` can be
used (by benchmarks, the CLI, training) without loading every widget.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from digitpad.gui.window import MainWindow

__all__ = ["MainWindow"]


def __getattr__(name: str) -> Any:
    if name == "MainWindow":
        from digitpad.gui.window import MainWindow

        return MainWindow
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
