"""An inter-process write lock on a folder (``.lock``), re-entrant within a thread.

Two app instances (or the window and ``digitpad train``) never write the
model store at once: a save holds the lock from its decision to its last
rename.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any


@contextlib.contextmanager
def folder_lock(root: Path, timeout: float) -> Iterator[None]:
    """Hold ``root``'s lock file; the same thread may take it again inside.

    Raises:
        TimeoutError: another process held it for ``timeout`` seconds.
    """
    key = str(root.resolve())
    held = _held_locks()
    if held.get(key, 0):
        held[key] += 1
        try:
            yield
        finally:
            held[key] -= 1
        return
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "a+b") as handle:
        deadline = time.monotonic() + timeout
        while not _try_lock(handle):
            if time.monotonic() >= deadline:
                raise TimeoutError(f"another digitpad is writing to {root}")
            time.sleep(0.05)
        held[key] = 1
        try:
            yield
        finally:
            held[key] = 0
            _unlock(handle)


_local = threading.local()


def _held_locks() -> dict[str, int]:
    if not hasattr(_local, "held"):
        _local.held = {}
    return _local.held


try:
    import fcntl

    def _try_lock(handle: Any) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(handle: Any) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

except ImportError:  # Windows
    import msvcrt

    def _try_lock(handle: Any) -> bool:
        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: Any) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
