"""Where digitpad keeps its files: the one module that knows.

``DIGITPAD_HOME`` overrides everything (tests point it at a temporary
directory); otherwise the platform's user data and cache directories are used.
"""

from __future__ import annotations

import importlib.resources
import os
from pathlib import Path

import platformdirs

APP_NAME = "digitpad"
HOME_ENV = "DIGITPAD_HOME"
MNIST_ENV = "DIGITPAD_MNIST"


def _home() -> Path | None:
    value = os.environ.get(HOME_ENV, "").strip()
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    """Directory for files the user would miss: trained models, samples."""
    home = _home()
    if home is not None:
        return home / "data"
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """Directory for files that can be fetched again (the MNIST download)."""
    home = _home()
    if home is not None:
        return home / "cache"
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def models_dir() -> Path:
    """Directory of the verified model cache."""
    return data_dir() / "models"


def runs_dir() -> Path:
    """Directory of the kept training runs (settings, curves, figures, networks)."""
    return data_dir() / "runs"


def samples_dir() -> Path:
    """Directory of the user's corrected drawings (one file per sample)."""
    return data_dir() / "samples"


def let_stand_dir() -> Path:
    """Directory of the readings the user let stand (cleared sure and uncorrected)."""
    return data_dir() / "let-stand"


def mnist_download_dir() -> Path:
    """Directory where a downloaded ``mnist.npz`` is kept."""
    return cache_dir() / "mnist"


def mnist_source() -> Path | None:
    """The local MNIST copy named by ``DIGITPAD_MNIST``, if any."""
    value = os.environ.get(MNIST_ENV, "").strip()
    return Path(value).expanduser() if value else None


def resource_path(name: str) -> Path:
    """Path of the bundled resource ``name`` (icon, desktop entry, data file).

    The repository's top-level ``resources/`` folder ships in the wheel as the
    package ``digitpad.resources``; run from a source checkout without an
    install it is found next to the ``digitpad`` package instead.
    """
    try:
        folder = importlib.resources.files("digitpad.resources")
    except ModuleNotFoundError:
        # digitpad/storage/paths.py -> the checkout holding digitpad/ and resources/
        return Path(__file__).resolve().parents[2] / "resources" / name
    return Path(str(folder / name))


def unusable_reason(folder: Path) -> str | None:
    """Why ``folder`` cannot be created or written, or ``None`` if it looks usable.

    Checked before long work (a training) whose result must be saved there:
    a file standing where a folder should be, or a read-only folder, is
    found in a moment instead of after the training.
    """
    probe = Path(folder)
    while not os.path.lexists(probe):
        if probe.parent == probe:
            return f"{folder} cannot be created (nothing of its path exists)"
        probe = probe.parent
    if not probe.is_dir():
        return f"{probe} is a file, not a folder, so {folder} cannot be created"
    if not os.access(probe, os.W_OK | os.X_OK):
        return f"{probe} is not writable"
    return None
