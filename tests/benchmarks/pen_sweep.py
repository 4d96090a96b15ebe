"""Pendigits-test redrawn with one thing changed: the robustness sweep of ``bench_pen.py``.

Each setting changes one thing against the nominal replay (pen 18 px, height
45-80 % of the paper, anywhere on it): the pen width, the digit's height, its
slant, or where it sits (pushed into a corner or centred). Everything else
(the digit's random size and place, per digit and seed) is the nominal
replay's, so a setting's figure differs from the nominal one by that change
alone. Rendered in two processes and cached like :mod:`tests.benchmarks.pen_data`.
"""

from __future__ import annotations

import hashlib
import math
import multiprocessing
import os
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from digitpad.storage import pendigits  # noqa: E402

#: name -> (pen width px, height range, slant degrees, where: random/corner/centre)
SETTINGS: dict[str, tuple[float, tuple[float, float], float, str]] = {
    "pen 8 px": (8.0, (0.45, 0.80), 0.0, "random"),
    "pen 12 px": (12.0, (0.45, 0.80), 0.0, "random"),
    "pen 24 px": (24.0, (0.45, 0.80), 0.0, "random"),
    "pen 30 px": (30.0, (0.45, 0.80), 0.0, "random"),
    "height 30%": (18.0, (0.30, 0.30), 0.0, "random"),
    "height 45%": (18.0, (0.45, 0.45), 0.0, "random"),
    "height 60%": (18.0, (0.60, 0.60), 0.0, "random"),
    "height 75%": (18.0, (0.75, 0.75), 0.0, "random"),
    "height 90%": (18.0, (0.90, 0.90), 0.0, "random"),
    "slant -20 deg": (18.0, (0.45, 0.80), -20.0, "random"),
    "slant -10 deg": (18.0, (0.45, 0.80), -10.0, "random"),
    "slant +10 deg": (18.0, (0.45, 0.80), 10.0, "random"),
    "slant +20 deg": (18.0, (0.45, 0.80), 20.0, "random"),
    "top-left corner": (18.0, (0.45, 0.80), 0.0, "top-left"),
    "top-right corner": (18.0, (0.45, 0.80), 0.0, "top-right"),
    "bottom-left corner": (18.0, (0.45, 0.80), 0.0, "bottom-left"),
    "bottom-right corner": (18.0, (0.45, 0.80), 0.0, "bottom-right"),
    "centre": (18.0, (0.45, 0.80), 0.0, "centre"),
}
CANVAS = 280
_FORMAT = 1


def sweep_inputs(
    limit: int | None = None, seed: int = 0
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Every setting's test digits as 28x28 inputs: ``{name: (x float32, y int64)}``."""
    from tests.benchmarks.pen_data import cache_dir

    key = _cache_key(limit, seed)
    path = cache_dir() / f"pen-sweep-{key}.npz"
    if path.is_file():
        with np.load(path, allow_pickle=False) as cached:
            return {name: (cached[f"x{i}"], cached["y"]) for i, name in enumerate(SETTINGS)}
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(2, mp_context=context) as pool:
        parts = list(
            pool.map(
                _render_setting, list(SETTINGS), [limit] * len(SETTINGS), [seed] * len(SETTINGS)
            )
        )
    y = parts[0][1]
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".npz", dir=path.parent)
    with os.fdopen(fd, "wb") as handle:
        np.savez(handle, y=y, **{f"x{i}": x for i, (x, _) in enumerate(parts)})
    os.replace(tmp, path)
    return {name: part for name, part in zip(SETTINGS, parts, strict=True)}


def _render_setting(name: str, limit: int | None, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Child-process entry: one setting's digits, drawn and prepared."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from digitpad.drawing.mnist_format import to_mnist
    from digitpad.drawing.render import render_to_array
    from tests.benchmarks.pen_data import load_split

    width, heights, slant, where = SETTINGS[name]
    digits = load_split("test")[:limit]
    stream = pendigits.SPLITS.index("test")
    xs, ys = [], []
    for index, digit in enumerate(digits):
        rng = np.random.default_rng([seed, stream, index])
        strokes = _slanted(digit.strokes, slant)
        margin = width / 2 + 1
        placed = pendigits.place_on_canvas(
            strokes, CANVAS, rng, height_range=heights, margin=margin
        )
        placed = _moved(placed, where, margin)
        out = to_mnist(render_to_array(placed, (CANVAS, CANVAS), width))
        xs.append(np.zeros((28, 28), np.float32) if out is None else out)
        ys.append(digit.label)
    return np.stack(xs).astype(np.float32), np.asarray(ys, dtype=np.int64)


def _slanted(strokes: list[np.ndarray], degrees: float) -> list[np.ndarray]:
    """Shear about the digit's middle; positive leans the top to the right (y down)."""
    if degrees == 0:
        return strokes
    points = np.concatenate(strokes)
    middle = (points[:, 1].min() + points[:, 1].max()) / 2
    factor = math.tan(math.radians(degrees))
    out = []
    for stroke in strokes:
        s = np.asarray(stroke, dtype=np.float64).copy()
        s[:, 0] -= factor * (s[:, 1] - middle)
        out.append(s)
    return out


def _moved(strokes: list[np.ndarray], where: str, margin: float) -> list[np.ndarray]:
    """Push the placed digit into a corner or the centre (``random``: leave it)."""
    if where == "random":
        return strokes
    points = np.concatenate(strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    size = high - low
    if where == "centre":
        target = (CANVAS - size) / 2
    else:
        vertical, horizontal = where.split("-")
        x = margin if horizontal == "left" else CANVAS - margin - size[0]
        y = margin if vertical == "top" else CANVAS - margin - size[1]
        target = np.array([x, y])
    return [s - low + target for s in strokes]


def _cache_key(limit: int | None, seed: int) -> str:
    parts = [str(_FORMAT), str(limit), str(seed), repr(SETTINGS)]
    for relative in (
        "digitpad/storage/pendigits.py",
        "digitpad/drawing/render.py",
        "digitpad/drawing/mnist_format.py",
        "tests/benchmarks/pen_sweep.py",
    ):
        parts.append(hashlib.sha256((REPO_ROOT / relative).read_bytes()).hexdigest())
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]
