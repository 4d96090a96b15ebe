"""Public API: ``digitpad.preprocess.to_mnist`` (lives in :mod:`digitpad.drawing.mnist_format`)."""

from digitpad.drawing.mnist_format import to_mnist

__all__ = ["to_mnist"]
