"""Public API: ``digitpad.model.build_lenet`` (lives in :mod:`digitpad.net.lenet`)."""

from digitpad.net.lenet import build_lenet

__all__ = ["build_lenet"]
