"""Real pen trajectories of handwritten digits (UCI "pendigits", UNIPEN text).

The files hold 44 writers' digits as tablet strokes: ``.SEGMENT DIGIT ... "8"``
opens a digit, ``.COMMENT <digit> <writer> <points>`` names its writer, and
each stroke is ``.PEN_DOWN``, lines of integer ``x y``, ``.PEN_UP``. The tablet's
y axis grows upwards; the reader flips it so strokes are in screen
coordinates (y down), ready to be replayed on a canvas.

Pure Python and numpy: no Qt, no TensorFlow.
"""

from __future__ import annotations

import gzip
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

PENDIGITS_ENV = "DIGITPAD_PENDIGITS"
SPLITS = ("train", "test")


class PendigitsError(ValueError):
    """A pendigits file is missing or malformed."""


@dataclass(frozen=True)
class PenDigit:
    """One handwritten digit.

    Attributes:
        label: the digit, 0-9.
        writer: the writer's number within its file (1-30 train, 1-14 test).
        strokes: one float64 ``n x 2`` array of ``(x, y)`` per pen-down,
            screen coordinates (y grows downwards).
    """

    label: int
    writer: int
    strokes: list[np.ndarray]


def default_dir(repo_root: str | os.PathLike[str]) -> Path:
    """The data folder: ``DIGITPAD_PENDIGITS`` or ``<repo_root>/../shared/data/pendigits``."""
    value = os.environ.get(PENDIGITS_ENV, "").strip()
    if value:
        return Path(value).expanduser()
    return Path(repo_root).resolve().parent / "shared" / "data" / "pendigits"


def split_path(folder: str | os.PathLike[str], split: str) -> Path:
    """Path of ``pendigits-<split>.gz`` in ``folder``."""
    if split not in SPLITS:
        raise ValueError(f"unknown pendigits split {split!r}; use one of {SPLITS}")
    return Path(folder) / f"pendigits-{split}.gz"


def read_pendigits(path: str | os.PathLike[str]) -> list[PenDigit]:
    """Read a UNIPEN pendigits file (gzip or plain text).

    Args:
        path: ``pendigits-train.gz``, ``pendigits-test.gz`` or an uncompressed copy.

    Returns:
        The digits in file order.

    Raises:
        PendigitsError: the file is missing or does not parse.
    """
    path = Path(path)
    try:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="ascii") as handle:
            text = handle.read()
    except FileNotFoundError as exc:
        raise PendigitsError(
            f"pendigits file {path} not found; set {PENDIGITS_ENV} to the folder "
            "holding pendigits-train.gz and pendigits-test.gz"
        ) from exc
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise PendigitsError(f"cannot read pendigits file {path} ({exc})") from exc
    return _parse(text, path)


def _parse(text: str, path: Path) -> list[PenDigit]:
    digits: list[PenDigit] = []
    label: int | None = None
    writer: int | None = None
    strokes: list[np.ndarray] = []
    points: list[tuple[float, float]] | None = None

    def finish() -> None:
        if label is None:
            return
        if writer is None or not strokes:
            raise PendigitsError(f"{path}: digit #{len(digits)} has no .COMMENT or no strokes")
        digits.append(PenDigit(label, writer, strokes))

    for number, line in enumerate(text.splitlines(), start=1):
        fields = line.split()
        if not fields:
            continue
        keyword = fields[0]
        try:
            if keyword == ".SEGMENT":
                finish()
                label = int(fields[-1].strip('"'))
                writer, strokes = None, []
            elif keyword == ".COMMENT" and label is not None:
                if int(fields[1]) != label:
                    raise ValueError(f"comment says digit {fields[1]}, segment says {label}")
                writer = int(fields[2])
            elif keyword == ".PEN_DOWN":
                points = []
            elif keyword == ".PEN_UP":
                if points is None:
                    raise ValueError(".PEN_UP without .PEN_DOWN")
                if points:
                    stroke = np.asarray(points, dtype=np.float64)
                    # The tablet's y grows upwards; screens grow downwards.
                    stroke[:, 1] *= -1.0
                    strokes.append(stroke)
                points = None
            elif points is not None and not keyword.startswith("."):
                points.append((float(fields[0]), float(fields[1])))
        except (ValueError, IndexError) as exc:
            raise PendigitsError(
                f"{path}:{number}: cannot parse {line.strip()!r} ({exc})"
            ) from exc
    finish()
    return digits


def place_on_canvas(
    strokes: list[np.ndarray],
    canvas_size: int = 280,
    rng: np.random.Generator | None = None,
    *,
    height_range: tuple[float, float] = (0.45, 0.80),
    margin: float = 10.0,
) -> list[np.ndarray]:
    """Scale and move a digit onto a square canvas, as a user might draw it.

    The digit's height becomes a uniformly random fraction ``height_range`` of
    the canvas (aspect ratio kept; a very wide digit is shrunk further so it
    fits) and it is placed at a uniformly random position fully on the canvas.

    Args:
        strokes: ``n x 2`` arrays of ``(x, y)`` screen coordinates.
        canvas_size: the canvas side in logical pixels.
        rng: the random generator (seeded by the caller for repeatable runs).
        height_range: bounds of the digit's height as a fraction of the canvas.
        margin: distance kept from the canvas edges, so a pen's round caps
            stay on the canvas too (half the pen width is enough).

    Returns:
        New stroke arrays in canvas pixels.
    """
    rng = rng if rng is not None else np.random.default_rng(0)
    allpoints = np.concatenate(strokes)
    low = allpoints.min(axis=0)
    extent = allpoints.max(axis=0) - low
    target_h = rng.uniform(*height_range) * canvas_size
    # A point-like or flat digit (a "-") has no height to scale by.
    scale = target_h / extent[1] if extent[1] > 0 else target_h / max(extent[0], 1.0)
    room = canvas_size - 2.0 * margin
    if extent.max() * scale > room:
        scale = room / extent.max()
    size = extent * scale
    offset = margin + rng.uniform(0.0, 1.0, size=2) * (room - size)
    return [(s - low) * scale + offset for s in strokes]
