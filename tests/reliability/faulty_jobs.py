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
