"""Public API: ``digitpad.predictor.Predictor`` (lives in :mod:`digitpad.net.inference`)."""

from digitpad.net.inference import Predictor

__all__ = ["Predictor"]
