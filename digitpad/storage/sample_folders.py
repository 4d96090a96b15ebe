"""Folders of drawings that are not the app's own store: sample files or named images.

``digitpad adapt --samples DIR`` and import read such a folder: the app's
own sample files (verified), or images named ``<digit>_<anything>.png``
(any size, either polarity) put into MNIST form.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import numpy as np

from digitpad.storage.samples import (
    _DIGIT_PREFIX,
    SampleError,
    read_sample,
)

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp")


def skipped(shown: str, reason: str) -> str:
    """The line for a file skipped for ``reason``, as ``<shown>: <reason>; skipped.``.

    A reason may or may not end as a sentence; its full stop is dropped
    rather than printed as ".; skipped.".
    """
    return f"{shown}: {reason.rstrip().rstrip('.')}; skipped."


def load_sample_dir(folder: str | os.PathLike[str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Read a folder of labelled digits for ``digitpad adapt --samples DIR``.

    The folder holds sample files of the app's own store (``<digit>_<id>.npz``,
    verified; a damaged one is reported, not moved: it is not our folder)
    and/or images named ``<digit>_<anything>.png`` (or .jpg, .jpeg, .bmp,
    .gif, .webp; any size, dark ink on light or light on dark), which are
    prepared like a drawing on the canvas. Subfolders and hidden files are
    ignored; every other file is skipped with a message.

    Returns:
        x (float32 N x 28 x 28, ink 1.0), y (int64 N), problems (skipped
        files, in words); in file-name order.

    Raises:
        SampleError: the folder does not exist, is not a folder, cannot be
            read, or holds no usable sample.
    """
    folder = Path(folder)
    if not folder.exists():
        raise SampleError(f"The samples folder {folder} does not exist.")
    if not folder.is_dir():
        raise SampleError(f"{folder} is not a folder; give the folder holding the samples.")
    try:
        entries = sorted(
            (entry for entry in os.scandir(folder) if not entry.name.startswith(".")),
            key=lambda entry: entry.name,
        )
    except OSError as exc:
        raise SampleError(f"The samples folder {folder} cannot be read ({exc}).") from exc
    images: list[np.ndarray] = []
    labels: list[int] = []
    problems: list[str] = []
    for entry in entries:
        with contextlib.suppress(OSError):
            if entry.is_dir():
                continue
        name = entry.name
        prefix = _DIGIT_PREFIX.match(name)
        suffix = Path(name).suffix.lower()
        if prefix is None:
            problems.append(f"{name}: not named <digit>_<anything>.png; skipped.")
            continue
        label = int(prefix.group(1))
        if suffix == ".npz":
            try:
                sample = read_sample(entry.path, label)
            except (OSError, ValueError) as exc:
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
                problems.append(f"{name}: not a usable sample ({reason}); skipped.")
                continue
            x28 = sample.x28
        elif suffix in IMAGE_SUFFIXES:
            x28 = _image_x28(Path(entry.path), problems)
            if x28 is None:
                continue
        else:
            problems.append(
                f"{name}: not an image ({', '.join(IMAGE_SUFFIXES)}) "
                "or a digitpad sample (.npz); skipped."
            )
            continue
        images.append(x28)
        labels.append(label)
    if not images:
        details = "".join(f"\n  {problem}" for problem in problems[:10])
        more = f"\n  ... and {len(problems) - 10} more" if len(problems) > 10 else ""
        raise SampleError(
            f"No usable sample in {folder}. Put images named <digit>_<anything>.png "
            f"(e.g. 3_mine.png) or digitpad sample files there.{details}{more}"
        )
    x = np.stack(images).astype(np.float32, copy=False)
    return x, np.asarray(labels, dtype=np.int64), problems


def _image_x28(path: Path, problems: list[str]) -> np.ndarray | None:
    """An image file prepared like a canvas drawing, or ``None`` (with a problem)."""
    # Qt's image readers: imported only when an image is met.
    from digitpad.drawing.images import ImageError, load_ink
    from digitpad.drawing.mnist_format import to_mnist

    try:
        x28 = to_mnist(load_ink(path))
    except (ImageError, OSError, ValueError) as exc:
        # The image readers name the file by its whole path; the line names it once.
        problems.append(skipped(path.name, str(exc).removeprefix(f"{path}: ")))
        return None
    if x28 is None:
        problems.append(f"{path.name}: the image is blank (no ink found); skipped.")
        return None
    return x28
