"""Training-process entry points that fail on purpose (run in the spawned child).

Each wraps :func:`digitpad.net.training_job.run` after sabotaging something
in the child's own interpreter; the window's process is untouched.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from digitpad.net.training_job import Job, run

INJECTED = "injected fault: the training step blew up"


def raise_mid_epoch(connection: Any, job: Job) -> None:
    """Train, but raise from the third batch on."""
    import digitpad.net.training as training

    real_train = training.train

    def train(recipe, mnist, *, listener=None, **kwargs):
        class Sabotaged:
            def __getattr__(self, name):
                return getattr(listener, name)

            def on_batch_end(self, progress) -> None:
                if progress.step >= 3:
                    raise RuntimeError(INJECTED)
                listener.on_batch_end(progress)

        return real_train(recipe, mnist, listener=Sabotaged(), **kwargs)

    training.train = train
    run(connection, job)


def no_tensorflow(connection: Any, job: Job) -> None:
    """Train in an interpreter where TensorFlow cannot be imported."""
    sys.modules["tensorflow"] = None  # type: ignore[assignment]
    sys.modules["keras"] = None  # type: ignore[assignment]
    run(connection, job)


def pid_file_then_train(connection: Any, job: Job) -> None:
    """Write the child's pid where the test can find it, then train."""
    with open(os.environ["DIGITPAD_TEST_PID_FILE"], "w", encoding="utf-8") as handle:
        handle.write(str(os.getpid()))
    run(connection, job)


def read_only_store(connection: Any, job: Job) -> None:
    """Train, but creating any file in the model store fails (a read-only disk)."""
    import errno
    import types

    import digitpad.storage.atomic

    def mkstemp(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    digitpad.storage.atomic.tempfile = types.SimpleNamespace(mkstemp=mkstemp)
    run(connection, job)


def full_disk(connection: Any, job: Job) -> None:
    """Train, but every fsync after the first fails with ENOSPC (a disk that fills up)."""
    import errno
    import types

    import digitpad.storage.atomic

    calls = [0]

    def fsync(fd: int) -> None:
        calls[0] += 1
        if calls[0] > 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        os.fsync(fd)

    shim = types.SimpleNamespace(**{name: getattr(os, name) for name in dir(os)})
    shim.fsync = fsync
    digitpad.storage.atomic.os = shim
    run(connection, job)
