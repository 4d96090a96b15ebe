"""Other people's digits, shipped with the app: the personal memory's reference.

The personal memory (:mod:`digitpad.net.memory`) lets a kept drawing pull a
new drawing's reading only while the kept drawing is closer to it than any of
*other people's* digits of another class. Those other people are 3,000 of the
bundled pen digits of the 30 UCI pendigits *training* writers (300 of each
digit, chosen at random once), rendered exactly as the canvas renders them
and prepared by :func:`digitpad.drawing.mnist_format.to_mnist`: the same
28 x 28 images the network trained on. They ship as
``resources/reference-digits.npz`` (made by ``scripts/make_reference_digits.py``),
so the gate works for any network, trained here or imported, without
rendering at start-up. The 14 test writers are not among them.

Pure numpy: no Qt, no TensorFlow.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import numpy as np

from digitpad.storage import paths

REFERENCE_FILE = "reference-digits.npz"
REFERENCE_SHA256 = "78ef5a0ba1523a38a1c5c602b9f8766574bac14d3e135d3a69c7fc3a23b26184"
PER_DIGIT = 300
#: Seed of the random choice of the reference digits among the training writers'.
CHOICE_SEED = 2026
_MAX_BYTES = 16 * 1024 * 1024


class ReferenceDigitsError(Exception):
    """The bundled reference digits are missing or damaged."""


def reference_path() -> Path:
    """Path of the bundled reference digits (in the installed package)."""
    return paths.resource_path(REFERENCE_FILE)


def reference_digits(path: str | Path | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The reference digits, checked against the shipped checksum.

    Args:
        path: another file to read (tests); default: the bundled one, whose
            sha256 must be :data:`REFERENCE_SHA256`.

    Returns:
        ``x`` float32 N x 28 x 28 in [0, 1] (ink 1), ``y`` int64 digits.

    Raises:
        ReferenceDigitsError: missing, damaged, or not N x 28 x 28 uint8 images with
            N digits 0-9.
    """
    source = reference_path() if path is None else Path(path)
    try:
        with source.open("rb") as handle:
            raw = handle.read(_MAX_BYTES + 1)
    except OSError as exc:
        raise ReferenceDigitsError(
            f"the reference digits are missing ({source}); reinstall digitpad"
        ) from exc
    if len(raw) > _MAX_BYTES:
        raise ReferenceDigitsError(f"the reference digits file is too large ({source})")
    if path is None and hashlib.sha256(raw).hexdigest() != REFERENCE_SHA256:
        raise ReferenceDigitsError(
            f"the reference digits are damaged ({source}); reinstall digitpad"
        )
    try:
        with np.load(io.BytesIO(raw), allow_pickle=False) as arrays:
            x, y = arrays["x"], arrays["y"]
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise ReferenceDigitsError(
            f"the reference digits cannot be read ({source}): {exc}"
        ) from exc
    if x.dtype != np.uint8 or x.ndim != 3 or x.shape[1:] != (28, 28) or y.shape != x.shape[:1]:
        raise ReferenceDigitsError(f"the reference digits are not N x 28 x 28 images ({source})")
    if y.dtype.kind not in "iu" or not len(y) or int(y.min()) < 0 or int(y.max()) > 9:
        raise ReferenceDigitsError(f"the reference digits' labels are not digits 0-9 ({source})")
    return x.astype(np.float32) / 255.0, y.astype(np.int64)


def choose_reference(y: np.ndarray, per_digit: int = PER_DIGIT) -> np.ndarray:
    """Indices of ``per_digit`` random digits of each class (fewer if fewer exist), sorted.

    Args:
        y: the labels of the set chosen from.
        per_digit: how many of each digit.
    """
    rng = np.random.default_rng(CHOICE_SEED)
    chosen = []
    for digit in range(10):
        of_digit = np.nonzero(np.asarray(y) == digit)[0]
        take = min(per_digit, len(of_digit))
        chosen.append(rng.choice(of_digit, take, replace=False))
    return np.sort(np.concatenate(chosen))
