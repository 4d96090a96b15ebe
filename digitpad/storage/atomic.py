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


def atomic_write(path: str | os.PathLike[str], data: bytes, *, as_user_file: bool = False) -> None:
    """Write ``data`` to ``path`` atomically (temp file, fsync, ``os.replace``).

    Args:
        path: the target file.
        data: its new content.
        as_user_file: a file the user chose (a saved drawing): it gets the
            permissions an ordinary write would give it (the old file's, or
            the umask's) instead of the temp file's owner-only ones.

    Raises:
        OSError: it could not be written; ``path`` is unchanged and no temp
            file is left behind.
    """
    mode = user_file_mode(path) if as_user_file else None
    atomic_write_with(path, lambda handle: handle.write(data), mode=mode)


def user_file_mode(path: str | os.PathLike[str]) -> int:
    """The permissions ``open(path, "w")`` would leave: the old file's, else the umask's."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write_with(
    path: str | os.PathLike[str],
    write: Callable[[BinaryIO], object],
    suffix: str = "",
    mode: int | None = None,
) -> None:
    """Like :func:`atomic_write`, the content written by ``write(handle)``.

    Args:
        path: the target file.
        write: called with the open binary temp file; writes the content.
        suffix: ending of the temp file's name (some writers append one).
        mode: permissions for the file (``None``: the temp file's, owner only).

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
        if mode is not None:
            os.chmod(tmp, mode)
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
