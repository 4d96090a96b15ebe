"""Pendigits replayed on the app's canvas: the reusable part of the pen benchmark.

Each digit of UCI pendigits is scaled and placed on a 280x280 canvas (seeded,
per digit, so ``limit`` does not change what the first digits look like),
painted with the canvas's own renderer and pen, and preprocessed. The 28x28
results are cached as ``.npz`` keyed by every parameter (and by the source of
the preprocessing function's module), so repeated runs take a second.

    from tests.benchmarks.pen_data import pen_inputs
    x, y, writers = pen_inputs("train")          # to_mnist, pen 18, seed 0
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from digitpad.drawing.mnist_format import to_mnist  # noqa: E402
from digitpad.drawing.render import DEFAULT_CANVAS_SIZE, DEFAULT_PEN_WIDTH  # noqa: E402
from digitpad.storage import pendigits  # noqa: E402

CACHE_ENV = "DIGITPAD_PEN_CACHE"
_FORMAT = 1

Preprocess = Callable[[np.ndarray], np.ndarray | None]


def cache_dir() -> Path:
    """Where rendered inputs are cached (``DIGITPAD_PEN_CACHE`` or the temp dir)."""
    value = os.environ.get(CACHE_ENV, "").strip()
    return Path(value) if value else Path(tempfile.gettempdir()) / "digitpad-pen-cache"


@functools.cache
def load_split(split: str) -> list[pendigits.PenDigit]:
    """The digits of one pendigits split, read once per process."""
    folder = pendigits.default_dir(REPO_ROOT)
    return pendigits.read_pendigits(pendigits.split_path(folder, split))


def canvases(
    split: str,
    seed: int = 0,
    pen_width: float = DEFAULT_PEN_WIDTH,
    canvas_size: int = DEFAULT_CANVAS_SIZE,
) -> Iterator[tuple[np.ndarray, int, int]]:
    """Yield ``(canvas float32 H x W, label, writer)`` for each digit of ``split``.

    Placed and rendered by the same code that renders the default recipe's
    pen training set (:func:`digitpad.net.pen_training_set.render_canvases`).
    """
    _ensure_gui_app()
    from digitpad.net.pen_training_set import render_canvases

    digits = load_split(split)
    rendered = render_canvases(
        digits,
        seed=seed,
        stream=pendigits.SPLITS.index(split),
        pen_width=pen_width,
        canvas_size=canvas_size,
    )
    for canvas, digit in zip(rendered, digits, strict=True):
        yield canvas, digit.label, digit.writer


def pen_inputs(
    split: str,
    seed: int = 0,
    pen_width: float = DEFAULT_PEN_WIDTH,
    preprocess: Preprocess = to_mnist,
    *,
    use_cache: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All digits of ``split`` as the model would see them.

    Args:
        split: ``"train"`` (30 writers, 7494 digits) or ``"test"`` (14 others, 3498).
        seed: placement seed.
        pen_width: canvas pen width in logical pixels.
        preprocess: canvas -> 28x28 (``None`` for a blank canvas, stored as zeros).
        use_cache: read and write the ``.npz`` cache.

    Returns:
        ``x`` float32 N x 28 x 28 in [0, 1], ``y`` int64 labels, ``writers`` int64.
    """
    path = cache_dir() / f"pen-{split}-{_cache_key(split, seed, pen_width, preprocess)}.npz"
    if use_cache and path.is_file():
        try:
            with np.load(path, allow_pickle=False) as cached:
                return cached["x"], cached["y"], cached["writers"]
        except (OSError, ValueError, KeyError):
            pass  # a torn cache file is rebuilt below
    xs, ys, ws = [], [], []
    for canvas, label, writer in canvases(split, seed, pen_width):
        out = preprocess(canvas)
        xs.append(np.zeros((28, 28), np.float32) if out is None else out)
        ys.append(label)
        ws.append(writer)
    x = np.stack(xs).astype(np.float32)
    y = np.asarray(ys, dtype=np.int64)
    writers = np.asarray(ws, dtype=np.int64)
    if use_cache:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".npz", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            np.savez(handle, x=x, y=y, writers=writers)
        os.replace(tmp, path)
    return x, y, writers


def _cache_key(split: str, seed: int, pen_width: float, preprocess: Preprocess) -> str:
    """Hash of everything the rendered inputs depend on."""
    parts = [str(_FORMAT), split, str(seed), repr(float(pen_width)), _describe(preprocess)]
    for module in (
        "digitpad.storage.pendigits",
        "digitpad.drawing.render",
        "digitpad.net.pen_training_set",
    ):
        parts.append(_module_source(module))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


def _describe(function: Callable) -> str:
    """A stable description of a (possibly partial) preprocessing function."""
    if isinstance(function, functools.partial):
        return (
            f"{_describe(function.func)}|{function.args!r}|{sorted(function.keywords.items())!r}"
        )
    name = f"{getattr(function, '__module__', '?')}.{getattr(function, '__qualname__', '?')}"
    if name.endswith("<lambda>"):
        # A lambda's behaviour is its source, not its name.
        try:
            name += inspect.getsource(function)
        except (OSError, TypeError):
            name += str(id(function))
    return name + _module_source(getattr(function, "__module__", "") or "")


def _module_source(module: str) -> str:
    try:
        source = inspect.getsourcefile(sys.modules[module]) if module in sys.modules else None
    except TypeError:
        source = None
    if not source:
        return module
    return hashlib.sha256(Path(source).read_bytes()).hexdigest()


def _ensure_gui_app() -> None:
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        # Kept alive on the module: Qt needs it for the whole run.
        global _APP
        _APP = QGuiApplication([])


_APP = None
