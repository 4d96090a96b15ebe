"""digitpad's desktop window (PySide6).

Importing this package never imports TensorFlow: the workers import it on
their own threads once the window is on screen.
"""

from digitpad.gui.window import MainWindow

__all__ = ["MainWindow"]
