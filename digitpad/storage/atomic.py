"""Write a file so that a crash leaves the old content or the new, never a mix.

One implementation for every store (models, samples, MNIST download, the
rendered pen digits): write a temp file ``.tmp-*`` in the target's folder,
fsync it, ``os.replace`` it over the target, fsync the folder. A killed
write leaves only a ``.tmp-`` file, which the stores know to be debris.

Pure Python: no Qt, no numpy.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

TEMP_PREFIX = ".tmp-"


def atomic_write(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temp file, fsync, ``os.replace``).

    Raises:
        OSError: it could not be written; ``path`` is unchanged and no temp
            file is left behind.
    """
    atomic_write_with(path, lambda handle: handle.write(data))


def atomic_write_with(
    path: str | os.PathLike[str], write: Callable[[BinaryIO], object], suffix: str = ""
) -> None:
    """Like :func:`atomic_write`, the content written by ``write(handle)``.

    Args:
        path: the target file.
        write: called with the open binary temp file; writes the content.
        suffix: ending of the temp file's name (some writers append one).

    Raises:
        OSError: it could not be written; ``path`` is unchanged.
    """
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=suffix, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(target.parent)


def fsync_dir(folder: str | os.PathLike[str]) -> None:
    """Make a rename or deletion in ``folder`` durable (no-op where unsupported)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
