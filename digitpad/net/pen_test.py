"""pendigits-test: real pen digits by 14 writers no network here ever trained on.

Only pendigits' *training* writers ship with digitpad. When a copy of
``pendigits-test.gz`` is at hand (``DIGITPAD_PENDIGITS_TEST``, naming the
file or its folder, or a path the user gives), its 3,498 digits are replayed
on a canvas by the canvas's own renderer and prepared by ``to_mnist`` (the
path a drawing takes: placement seed 0, stream 1, as
``tests/benchmarks/pen_data.py`` renders the test split), and a network's
accuracy on them is measured. Without a copy, the figure is unknown
(``None``), never guessed.

The rendered images are cached in the user cache folder, keyed by the file's
sha256 and the code that renders them: only the first measure pays for
rendering (~5 s).
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import os
from pathlib import Path
from typing import Any

import numpy as np

from digitpad.storage import paths, pendigits
from digitpad.storage.atomic import atomic_write_with

PEN_TEST_ENV = "DIGITPAD_PENDIGITS_TEST"
FILE_NAME = "pendigits-test.gz"
#: The placement stream of the test split (``pendigits.SPLITS.index("test")``).
_STREAM = 1
_FORMAT = 1


def find_pen_test(path: str | os.PathLike[str] | None = None) -> Path | None:
    """The pendigits-test file to measure on, or ``None`` when there is none.

    Args:
        path: a file or a folder holding ``pendigits-test.gz`` (the user's
            choice); default ``DIGITPAD_PENDIGITS_TEST``.

    Raises:
        ValueError: ``path`` (or the variable) names something that is not there.
    """
    given = str(path) if path is not None else os.environ.get(PEN_TEST_ENV, "").strip()
    if not given:
        return None
    candidate = Path(given).expanduser()
    if candidate.is_dir():
        candidate = candidate / FILE_NAME
    if not candidate.is_file():
        where = f"{PEN_TEST_ENV}={given}" if path is None else given
        raise ValueError(
            f"no pendigits-test file at {where}: give the path of {FILE_NAME} "
            "(or its folder), or leave it unset to record the pen-test figure as unknown"
        )
    return candidate


def pen_test_images(path: str | os.PathLike[str]) -> tuple[np.ndarray, np.ndarray]:
    """pendigits-test as the network sees a drawing: uint8 N x 28 x 28 and labels.

    Raises:
        digitpad.storage.pendigits.PendigitsError: the file cannot be read.
    """
    source = Path(path)
    try:
        digest = hashlib.sha256(source.read_bytes()).hexdigest()
    except OSError as exc:
        raise pendigits.PendigitsError(f"cannot read {source} ({exc})") from exc
    cache = paths.cache_dir() / f"pen-test-{_cache_key(digest)}.npz"
    with contextlib.suppress(OSError, ValueError, KeyError), np.load(cache) as cached:
        x, y = cached["x"], cached["y"]
        if x.shape == (len(y), 28, 28) and x.dtype == np.uint8:
            return x, y
    from digitpad.drawing.mnist_format import to_mnist
    from digitpad.net.pen_training_set import render_canvases

    digits = pendigits.read_pendigits(source)
    images = []
    for canvas in render_canvases(digits, seed=0, stream=_STREAM):
        x28 = to_mnist(canvas)
        images.append(np.zeros((28, 28), np.float32) if x28 is None else x28)
    x = np.round(np.stack(images) * 255).astype(np.uint8)
    y = np.asarray([digit.label for digit in digits], dtype=np.uint8)
    with contextlib.suppress(OSError):
        cache.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_with(cache, lambda handle: np.savez(handle, x=x, y=y), suffix=".npz")
    return x, y


def pen_test_accuracy(model: Any, path: str | os.PathLike[str] | None) -> tuple[float, int] | None:
    """``model``'s accuracy on pendigits-test and the number of digits, or ``None``.

    Args:
        model: a LeNet (Keras model).
        path: the file (see :func:`find_pen_test`); ``None``: unknown.
    """
    if path is None:
        return None
    from digitpad.net.inference import predict_probabilities

    x, y = pen_test_images(path)
    predicted = np.argmax(predict_probabilities(model, x), axis=1)
    return float(np.mean(predicted == y)), int(len(y))


def _cache_key(file_sha256: str) -> str:
    from digitpad.drawing import mnist_format, render
    from digitpad.net import pen_training_set

    parts = [str(_FORMAT), file_sha256]
    parts += [inspect.getsource(module) for module in (pendigits, mnist_format, render)]
    parts.append(inspect.getsource(pen_training_set.render_canvases))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]
