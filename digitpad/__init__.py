"""digitpad: draw a digit, watch a LeNet convolutional network read it."""

__version__ = "0.1.0"
