"""Reading files the app did not write itself, safely: type checked before opening, bounded.

Shared by the model store, the kept drawings and the runs: a manifest, a
weights file or a sample is opened only once it is known to be a regular
file (a FIFO would block, a device would never end), read with a size limit,
and a weights ``.npz`` is checked member by member against the shapes it
must hold before anything is decompressed.
"""

from __future__ import annotations

import datetime as dt
import errno
import io
import math
import os
import stat
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

#: An .npy header is 128 bytes for these shapes; anything far beyond is not ours.
_NPY_HEADER_ALLOWANCE = 4096


def move_aside(path: Path, folder: Path) -> Path:
    """Move ``path`` into ``folder`` under a time-stamped, unused name; return it.

    Raises:
        OSError: it could not be moved (read-only folder...).
    """
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{stamp}-{path.name}"
    counter = 1
    while os.path.lexists(target):
        target = folder / f"{stamp}-{counter}-{path.name}"
        counter += 1
    os.replace(path, target)
    return target


def describe_file_type(mode: int) -> str:
    """What a non-regular file is, in words ("a named pipe", "a folder"...)."""
    for test, words in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISLNK, "a symbolic link"),
    ):
        if test(mode):
            return words
    return "not a regular file"


def is_plain_file(path: Path) -> bool:
    """Whether ``path`` is a regular file (not a link, FIFO, device or folder)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def read_regular_file(path: Path, limit: int) -> bytes:
    """Read a regular file, refusing symlinks, pipes, devices and oversized files.

    The type is checked before opening (opening a named pipe blocks) and the
    file opened non-blocking, then checked again on the open descriptor.

    Raises:
        ValueError: not a regular file, or larger than ``limit``.
        OSError: it could not be opened or read.
    """
    mode = os.lstat(path).st_mode
    if not stat.S_ISREG(mode):
        raise ValueError(f"{path.name} is {describe_file_type(mode)}, not a file")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(f"{path.name} is {describe_file_type(info.st_mode)}, not a file")
        if info.st_size > limit:
            raise ValueError(f"{path.name} is too large ({info.st_size} bytes)")
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        raise ValueError(f"{path.name} is too large (over {limit} bytes)")
    return raw


def parse_weights(raw: bytes, shapes: Sequence[tuple[int, ...]]) -> list[np.ndarray]:
    """The float32 arrays of a weights ``.npz``, checked before anything is unpacked.

    The zip directory's member names and uncompressed sizes are checked
    against ``shapes`` first (a small file may unpack to gigabytes), then
    each member's ``.npy`` header, and only then is exactly the expected
    number of bytes read.

    Raises:
        ValueError: it is not such an archive (the message says why).
    """
    expected = {f"w{i}.npy": tuple(shape) for i, shape in enumerate(shapes)}
    if not raw.startswith(b"PK\x03\x04"):
        raise ValueError("its weights file is not an .npz archive")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            infos = archive.infolist()
            names = sorted(info.filename for info in infos)
            if names != sorted(expected) or len(infos) != len(expected):
                raise ValueError(
                    f"its weights do not fit the network's architecture ({len(infos)} arrays, "
                    f"the network has {len(expected)})"
                )
            for info in infos:
                needed = 4 * math.prod(expected[info.filename]) + _NPY_HEADER_ALLOWANCE
                if info.file_size > needed:
                    raise ValueError(
                        f"its weights do not fit the network's architecture ({info.filename} "
                        f"would unpack to {info.file_size} bytes, at most {needed} expected)"
                    )
            weights = []
            for name, shape in expected.items():
                with archive.open(name) as member:
                    weights.append(_read_npy(member, shape))
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
        raise ValueError(f"its weights file cannot be parsed ({exc})") from exc
    return weights


def _read_npy(member: Any, shape: tuple[int, ...]) -> np.ndarray:
    """One float32 array of ``shape`` from an open ``.npy`` stream, header first."""
    version = np.lib.format.read_magic(member)
    if version == (1, 0):
        header = np.lib.format.read_array_header_1_0(member)
    elif version == (2, 0):
        header = np.lib.format.read_array_header_2_0(member)
    else:
        raise ValueError(f"its weights use an unknown .npy version {version}")
    found, fortran_order, dtype = header
    if tuple(found) != shape or fortran_order or dtype != np.dtype("<f4"):
        raise ValueError("its weights do not fit the network's architecture")
    size = 4 * math.prod(shape)
    data = member.read(size + 1)
    if len(data) != size:
        raise ValueError("its weights file is truncated")
    return np.frombuffer(data, dtype="<f4").reshape(shape).copy()


def write_failure_message(root: Path, exc: OSError, what: str) -> str:
    """One line: what could not be done in ``root``, why (``exc``), and what to do."""
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        advice = "free disk space, then try again"
    elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        advice = "make the folder writable (or set DIGITPAD_HOME to one that is), then try again"
    elif exc.errno in (errno.ENOTDIR, errno.EEXIST):
        advice = (
            "a file stands where a folder should be; move it away "
            "(or set DIGITPAD_HOME to another folder), then try again"
        )
    else:
        advice = "check the folder (writable, disk space), then try again"
    return (
        f"Could not {what} in {root} ({exc.strerror or exc}); "
        f"the model saved before, if any, is intact. To keep a new one, {advice}."
    )
