"""Real pen-drawn digits for training, drawn exactly as the canvas draws them.

MNIST alone teaches the network 1990s American form-filling handwriting; the
digits people draw in the app (European 1s and 7s, curly 9s, pen strokes
rather than scanned ink) are read far worse (measured on UCI pendigits'
held-out writers: 94.5% at best with augmentation alone). The ``default``
recipe therefore also trains on the 7,494 digits of the 30 *training* writers
of UCI pendigits (CC BY 4.0, Alpaydin & Alimoglu), shipped with the app,
replayed on a canvas with the canvas's own renderer and pen and prepared by
:func:`digitpad.drawing.mnist_format.to_mnist`, the same path a drawing takes. The 14
test writers are never trained on; they measure.

The rendered set is cached in the user cache folder, keyed by everything it
depends on, so only the first training pays for rendering.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
import logging
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import numpy as np

from digitpad.drawing.mnist_format import to_mnist
from digitpad.net.augmentation import StrokeAugmentation, augment_strokes, pen_width
from digitpad.storage import paths, pendigits
from digitpad.storage.atomic import atomic_write_with

BUNDLED_FILE = "pendigits-train.gz"
BUNDLED_SHA256 = "58e6762f32eaaa20a5cef6c0befa58b3ebf939f77600458c63b722c2f480cc73"
CANVAS_SIZE = 280
PROCESSES = 2
PARALLEL_MIN_DIGITS = 2000
_FORMAT = 2
#: Seed stream of the changed renders (the plain ones use 0; benchmarks 0 and 1).
_VARIANT_STREAM = 100

log = logging.getLogger(__name__)


class HandwritingError(Exception):
    """The bundled pen digits are missing or damaged."""


def bundled_path() -> Path:
    """Path of the bundled pendigits training file (in the installed package)."""
    return paths.resource_path(BUNDLED_FILE)


def render_canvases(
    digits: Sequence[pendigits.PenDigit],
    *,
    seed: int = 0,
    stream: int = 0,
    start: int = 0,
    pen_width: float | None = None,
    canvas_size: int = CANVAS_SIZE,
) -> Iterator[np.ndarray]:
    """Replay each digit on a canvas-sized image with the canvas's renderer.

    Each digit gets its own seeded placement (height 45-80% of the canvas,
    anywhere on it), so a subset renders the same as the whole.

    Args:
        digits: the pen digits.
        seed: placement seed.
        stream: separates the placements of different sets with one seed.
        start: index of ``digits[0]`` in its set (placements are per index, so
            a slice renders exactly as it does within the whole).
        pen_width: the pen, in logical pixels (default: the canvas's).
        canvas_size: canvas side in logical pixels.

    Yields:
        float32 ``canvas_size`` x ``canvas_size`` arrays, ink 1.0 on 0.0.
    """
    from digitpad.drawing.render import DEFAULT_PEN_WIDTH, render_to_array

    width = DEFAULT_PEN_WIDTH if pen_width is None else pen_width
    for index, digit in enumerate(digits, start=start):
        rng = np.random.default_rng([seed, stream, index])
        strokes = pendigits.place_on_canvas(digit.strokes, canvas_size, rng, margin=width / 2 + 1)
        yield render_to_array(strokes, (canvas_size, canvas_size), width)


def pen_training_set(seed: int = 0, limit: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The bundled training writers' digits as 28x28 MNIST-style images.

    Also renders (and caches) the ``default`` recipe's changed renders
    (:func:`pen_variants`), so that a call made while TensorFlow loads leaves
    nothing to render when training starts.

    Args:
        seed: placement seed.
        limit: only the first ``limit`` digits (quick runs and tests).

    Returns:
        ``x`` uint8 N x 28 x 28 (ink 255), ``y`` uint8 labels.

    Raises:
        HandwritingError: the bundled file is missing or fails its checksum.
    """
    x, y, _writers = pen_digits_by_writer(seed, limit)
    # The app calls this while TensorFlow loads, to have the renders ready
    # when training starts: the default recipe's changed renders too.
    from digitpad.net.recipes import RECIPES

    default = RECIPES["default"]
    if default.pen_digits and default.pen_variants > 0:
        augmentation = default.pen_augmentation or StrokeAugmentation()
        pen_variants(seed, limit, default.pen_variants, augmentation)
    return x, y


def pen_digits_by_writer(
    seed: int = 0, limit: int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`pen_training_set` with each digit's writer (1-30).

    Returns:
        ``x`` uint8 N x 28 x 28, ``y`` uint8 labels, ``writers`` uint8.

    Raises:
        HandwritingError: the bundled file is missing or fails its checksum.
    """
    source = _verified_source()
    cache = paths.cache_dir() / f"pen-train-{_cache_key(seed)}-{limit or 'all'}.npz"
    with contextlib.suppress(OSError, ValueError, KeyError), np.load(cache) as cached:
        x, y, writers = cached["x"], cached["y"], cached["writers"]
        if x.shape == (len(y), 28, 28) and x.dtype == np.uint8 and writers.shape == y.shape:
            return x, y, writers
    digits = pendigits.read_pendigits(source)[:limit]
    x = _render_all(digits, seed)
    y = np.array([digit.label for digit in digits], dtype=np.uint8)
    writers = np.array([digit.writer for digit in digits], dtype=np.uint8)
    with contextlib.suppress(OSError):
        _atomic_savez(cache, x=x, y=y, writers=writers)
    return x, y, writers


def pen_variants(
    seed: int, limit: int | None, count: int, augmentation: StrokeAugmentation
) -> np.ndarray:
    """``count`` new renders of each bundled digit, its trajectory randomly changed.

    Each render of each digit has its own seeded change
    (:func:`digitpad.net.augmentation.augment_strokes`), pen width, size and
    place, drawn with the canvas's renderer and prepared by ``to_mnist``, so
    every epoch can see other handwriting than the last. Rendered in
    processes and cached like :func:`pen_digits_by_writer` (same digits, same
    order: labels and writers are those it returns).

    Args:
        seed: the recipe's seed.
        limit: only the first ``limit`` digits.
        count: renders per digit.
        augmentation: how much the trajectories change.

    Returns:
        uint8 ``count`` x N x 28 x 28.

    Raises:
        HandwritingError: the bundled file is missing or fails its checksum.
    """
    if count < 1:
        return np.zeros((0, 0, 28, 28), np.uint8)
    source = _verified_source()
    key = _cache_key(seed, repr(augmentation), str(count))
    cache = paths.cache_dir() / f"pen-variants-{key}-{limit or 'all'}.npz"
    with contextlib.suppress(OSError, ValueError, KeyError), np.load(cache) as cached:
        x = cached["x"]
        if x.ndim == 4 and x.shape[0] == count and x.dtype == np.uint8:
            return x
    digits = pendigits.read_pendigits(source)[:limit]
    jobs = [(variant, 0, len(digits)) for variant in range(count)]
    x = _render_jobs(digits, seed, jobs, augmentation).reshape(count, len(digits), 28, 28)
    with contextlib.suppress(OSError):
        _atomic_savez(cache, x=x)
    return x


def _render_all(digits: Sequence[pendigits.PenDigit], seed: int) -> np.ndarray:
    """Render and prepare ``digits`` as placed by :func:`render_canvases`."""
    return _render_jobs(digits, seed, [(-1, 0, len(digits))], None)


def _render_jobs(
    digits: Sequence[pendigits.PenDigit],
    seed: int,
    jobs: list[tuple[int, int, int]],
    augmentation: StrokeAugmentation | None,
) -> np.ndarray:
    """Render ``(variant, start, stop)`` jobs: in two processes when there are many.

    Rendering the full set takes ~10 s on one core and holds the GIL; on a
    first launch it runs while TensorFlow imports, so splitting it over
    processes shortens the wait for the first prediction. Placements and
    changes are seeded per digit, so the result is identical to a serial
    render. Variant -1 is the plain render, others are changed trajectories.

    Returns:
        The jobs' images one after the other, uint8 N x 28 x 28.
    """
    processes = min(PROCESSES, os.cpu_count() or 1)
    total = sum(stop - start for _variant, start, stop in jobs)
    if total < PARALLEL_MIN_DIGITS or processes < 2:
        return np.concatenate([_to_images(digits, seed, *job, augmentation) for job in jobs])
    halves = []
    for variant, start, stop in jobs:
        middle = (start + stop) // 2
        halves += [(variant, start, middle), (variant, middle, stop)]
    try:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(processes, mp_context=context) as pool:
            parts = list(
                pool.map(
                    _render_range,
                    [seed] * len(halves),
                    *zip(*halves, strict=True),
                    [augmentation] * len(halves),
                )
            )
        return np.concatenate(parts)
    except (OSError, RuntimeError, BrokenProcessPool) as exc:
        # No process support here (sandbox, frozen app): the serial way works.
        log.warning("rendering pen digits in processes failed (%s); rendering serially", exc)
        return np.concatenate([_to_images(digits, seed, *job, augmentation) for job in jobs])


def _render_range(
    seed: int, variant: int, start: int, stop: int, augmentation: StrokeAugmentation | None
) -> np.ndarray:
    """Child-process entry: render digits ``start:stop`` of the bundled set."""
    return _to_images(_bundled_digits(), seed, variant, start, stop, augmentation)


@functools.cache
def _bundled_digits() -> list[pendigits.PenDigit]:
    return pendigits.read_pendigits(bundled_path())


def _to_images(
    digits: Sequence[pendigits.PenDigit],
    seed: int,
    variant: int,
    start: int,
    stop: int,
    augmentation: StrokeAugmentation | None,
) -> np.ndarray:
    if variant < 0 or augmentation is None:
        canvases = render_canvases(digits[start:stop], seed=seed, start=start)
    else:
        canvases = _variant_canvases(digits[start:stop], seed, variant, start, augmentation)
    images = []
    for canvas in canvases:
        x28 = to_mnist(canvas)
        images.append(np.zeros((28, 28), np.float32) if x28 is None else x28)
    if not images:
        return np.zeros((0, 28, 28), np.uint8)
    return np.round(np.stack(images) * 255).astype(np.uint8)


def _variant_canvases(
    digits: Sequence[pendigits.PenDigit],
    seed: int,
    variant: int,
    start: int,
    augmentation: StrokeAugmentation,
) -> Iterator[np.ndarray]:
    """Canvases of changed trajectories (one seeded change per digit and variant)."""
    from digitpad.drawing.render import render_to_array

    for index, digit in enumerate(digits, start=start):
        rng = np.random.default_rng([seed, _VARIANT_STREAM + variant, index])
        strokes = augment_strokes(digit.strokes, rng, augmentation)
        width = pen_width(rng, augmentation)
        placed = pendigits.place_on_canvas(
            strokes, CANVAS_SIZE, rng, height_range=augmentation.height, margin=width / 2 + 1
        )
        yield render_to_array(placed, (CANVAS_SIZE, CANVAS_SIZE), width)


def _verified_source() -> Path:
    """The bundled file, checked against its checksum."""
    source = bundled_path()
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise HandwritingError(
            f"the bundled pen digits are missing ({source}); reinstall digitpad"
        ) from exc
    if hashlib.sha256(raw).hexdigest() != BUNDLED_SHA256:
        raise HandwritingError(
            f"the bundled pen digits are damaged ({source}); reinstall digitpad"
        )
    return source


def _cache_key(seed: int, *extra: str) -> str:
    """Hash of everything the rendered set depends on (code included)."""
    from digitpad.drawing import mnist_format, render
    from digitpad.net import augmentation

    modules = [pendigits, mnist_format, render] + ([augmentation] if extra else [])
    parts = [str(_FORMAT), str(seed), BUNDLED_SHA256, *extra]
    parts += [inspect.getsource(module) for module in modules]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


def _atomic_savez(path: Path, **arrays: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_with(path, lambda handle: np.savez(handle, **arrays), suffix=".npz")
