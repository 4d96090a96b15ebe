"""Training-process entry points with the adopt decision pinned (run in the spawned child).

The window's adopt-or-refuse flow is exercised both ways every run; the rule
itself is tested in tests/test_adoption.py and tests/test_adapt.py.
"""

from __future__ import annotations

from typing import Any

import digitpad.net.adaptation
from digitpad.net.adoption import Decision
from digitpad.net.training_job import Job, run


def _pinned(adopt: bool) -> Any:
    return lambda *args, **kwargs: Decision(adopt, "pinned by the test")


def adopt(connection: Any, job: Job) -> None:
    """Adapt, and adopt whatever the figures say."""
    digitpad.net.adaptation.decide = _pinned(True)
    run(connection, job)


def refuse(connection: Any, job: Job) -> None:
    """Adapt, and refuse whatever the figures say."""
    digitpad.net.adaptation.decide = _pinned(False)
    run(connection, job)


def disk_full(connection: Any, job: Job) -> None:
    """Train, but the model store cannot be written (as on a full disk)."""
    from digitpad.storage.model_store import ModelStore, StoreError

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise StoreError("Could not save the model (disk full).")

    ModelStore.save = refuse  # type: ignore[method-assign]
    run(connection, job)
