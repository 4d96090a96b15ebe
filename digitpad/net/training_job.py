"""The training process: Retrain, first-launch training and Adapt, away from the window.

The window starts :func:`run` in a spawned child process (see
``digitpad.gui.training_process``). The child imports TensorFlow, trains or
adapts, saves the result in the verified model store and reports everything
over one pipe, as tuples whose first item names the message:

=================================  ==========================================
``("phase", text)``                what it is doing ("Loading MNIST…")
``("started", recipe_text)``       fitting starts
``("progress", Progress, points)`` throttled progress, with each batch's
                                   ``(epoch position, loss, accuracy)`` since
                                   the last report (the training chart)
``("epoch", epoch, logs)``         an epoch ended (Keras's logs)
``("snapshot", weights, Progress)`` the weights being trained ("still
                                   learning" predictions)
``("finished", weights, manifest, a run ended; ``save_error`` is "" when the
save_error, kept)``                network was saved and verified on disk;
                                   ``kept`` says where (see below)
``("adapted", summary, weights,    an adaptation ended; ``weights`` is
manifest, save_error)``            ``None`` unless it was adopted
``("rung", index, count, rate,     Try Learning Rates: the training at
recipe_text)``                     ``rate`` starts (``index`` of ``count``)
``("rung_done", index, rate,       it ended and was kept as a run
summary)``                         (``summary``: run ``id``, figures, ``error``)
``("ladder_done", summaries)``     every rate was tried (the last word)
``("imported", record, error)``    Open Network: the run kept (or ``None``
                                   and why not)
``("cancelled",)``                 stopped on request; nothing changed
``("mnist_missing", message)``     MNIST could not be loaded
``("failed", message)``            anything else; nothing changed
=================================  ==========================================

``kept`` is ``{"entry": "base" | "candidate", "in_use": bool,
"replaced_accuracy": float | None, "run_id": str | None, "run_error": str}``:
a network that reads MNIST test worse than the base in use is kept aside as
``candidate`` (the window asks whether to use it anyway), unless the job
says ``replace``. Every training is also kept as a run
(:mod:`digitpad.storage.runs`), with its settings, curves and figures;
``run_error`` says why not when it could not be.

A ladder job (Try Learning Rates) trains each rate of its
:class:`~digitpad.net.lr_ladder.LadderPlan` in turn, streams each one's
batches as ``progress`` messages, keeps each as a run and never touches the
model cache. An import job reads a network file's weights only
(:mod:`digitpad.net.network_import`), measures it and keeps it as a run.

The window sends ``("cancel",)`` to stop within one batch. Every message is
plain data (numpy arrays, dicts, :class:`~digitpad.net.progress.Progress`),
so the window's process unpickles it without importing Keras. When the
process ends, its memory (TensorFlow, the data sets, the traced graphs) goes
back to the system with it.

Nothing here imports TensorFlow at module level: the window imports this
module to name :func:`run` as the child's entry point.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from digitpad import quiet
from digitpad.net.progress import PipeReporter, TrainingCancelled

log = logging.getLogger(__name__)

#: The first "still learning" snapshot is taken after this many batches at most.
FIRST_SNAPSHOT_BATCHES = 10
#: Later snapshots are refreshed every this many batches at most.
SNAPSHOT_REFRESH_BATCHES = 200
#: Test images evaluated after each epoch for the training chart's validation
#: points (a sample keeps the per-epoch cost small; the final test uses all).
VALIDATION_IMAGES = 2000

#: How much lower the training process's scheduling priority is than the window's.
CHILD_NICENESS = 5

TRAIN = "train"
ADAPT = "adapt"
LADDER = "ladder"
IMPORT = "import"
KINDS = (TRAIN, ADAPT, LADDER, IMPORT)


@dataclass(frozen=True)
class Job:
    """What the training process is asked to do.

    Attributes:
        kind: :data:`TRAIN` (a new base network) or :data:`ADAPT` (fine-tune
            the base network on the user's kept drawings).
        mnist_source: a local MNIST copy, or ``None`` for the default.
        replace: a new base network replaces the one in use even when it
            reads MNIST test worse.
        recipe: how to train (a ``digitpad.net.recipes.Recipe``); ``None``:
            the app's recipe (``recipe_from_env``).
        ladder: for :data:`LADDER`, the rates to try (a
            ``digitpad.net.lr_ladder.LadderPlan``).
        path: for :data:`IMPORT`, the network file.
        pen_test: a pendigits-test file to measure each run on; ``None``:
            ``DIGITPAD_PENDIGITS_TEST`` if set, else the figure is unknown.
    """

    kind: str
    mnist_source: str | None = None
    replace: bool = False
    recipe: Any = None
    ladder: Any = None
    path: str | None = None
    pen_test: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown training job {self.kind!r}: use one of {', '.join(KINDS)}")
        if self.kind == LADDER and self.ladder is None:
            raise ValueError("a ladder job needs its plan (the rates to try)")
        if self.kind == IMPORT and not self.path:
            raise ValueError("an import job needs the network file")


def run(connection: Any, job: Job) -> None:
    """The child process's entry point: do ``job``, report over ``connection``.

    Args:
        connection: this end of a ``multiprocessing.Pipe``.
        job: what to do.
    """
    # The window's terminal is not the place for TensorFlow's start-up chatter.
    quiet.install_import_hook()
    # Training takes every core it is given; the window must stay responsive
    # (Try Learning Rates: no stall over 50 ms). A lower priority lets the
    # window's thread run first and costs the training nothing when the
    # machine is otherwise idle.
    with contextlib.suppress(OSError, AttributeError):  # no os.nice on Windows
        os.nice(CHILD_NICENESS)
    cancel = threading.Event()
    listener = threading.Thread(
        target=_listen, args=(connection, cancel), name="digitpad-cancel", daemon=True
    )
    listener.start()
    send = connection.send
    try:
        if job.kind == TRAIN:
            _train(job, send, cancel)
        elif job.kind == LADDER:
            _ladder(job, send, cancel)
        elif job.kind == IMPORT:
            _import(job, send)
        else:
            _adapt(job, send, cancel)
    except TrainingCancelled:
        send(("cancelled",))
    except ImportError as exc:
        send(
            (
                "failed",
                f"The training process could not load {exc.name or 'a module'} ({exc}). "
                "Reinstall digitpad's dependencies (pip install --force-reinstall digitpad).",
            )
        )
    except Exception as exc:  # noqa: BLE001 - reported to the window, which keeps running
        log.exception("the training process failed")
        send(("failed", describe(exc)))
    finally:
        connection.close()


def _listen(connection: Any, cancel: threading.Event) -> None:
    """Set ``cancel`` when the window asks, or when the window goes away."""
    try:
        while True:
            if connection.recv() == ("cancel",):
                cancel.set()
                return
    except (EOFError, OSError):
        cancel.set()


def _load_mnist(job: Job, send: Any) -> Any:
    """MNIST, or ``None`` after telling the window it is missing."""
    from digitpad.storage.mnist import MnistError, load_mnist

    send(("phase", "Loading MNIST…"))
    try:
        return load_mnist(job.mnist_source)
    except MnistError as exc:  # includes MnistDownloadError
        send(("mnist_missing", str(exc)))
        return None


def _prepare_pen_digits(recipe: Any, send: Any, text: str) -> None:
    """Render (or read from the cache) the bundled pen digits before TensorFlow loads."""
    if recipe.pen_digits:
        from digitpad.net.pen_training_set import pen_training_set
        from digitpad.net.recipes import pen_digit_limit

        send(("phase", text))
        pen_training_set(recipe.seed, limit=pen_digit_limit(recipe))


def _train(job: Job, send: Any, cancel: threading.Event) -> None:
    from digitpad.net.recipes import recipe_from_env

    mnist = _load_mnist(job, send)
    if mnist is None:
        return
    recipe = job.recipe or recipe_from_env()
    _prepare_pen_digits(recipe, send, "Preparing real pen-drawn digits…")
    send(("phase", "Starting TensorFlow…"))
    from digitpad.net import saved_models
    from digitpad.net.training import train
    from digitpad.storage.model_store import StoreError

    if cancel.is_set():
        raise TrainingCancelled
    samples = min(recipe.train_samples or len(mnist.y_train), len(mnist.y_train))
    steps_total = math.ceil(samples / recipe.batch_size) * recipe.epochs
    reporter = PipeReporter(
        send,
        first=max(1, min(FIRST_SNAPSHOT_BATCHES, steps_total // 10)),
        refresh=max(1, min(SNAPSHOT_REFRESH_BATCHES, steps_total // 5)),
    )
    pen_test = _pen_test(job)
    send(("started", recipe.describe()))
    result = train(
        recipe,
        mnist,
        listener=reporter,
        cancel=cancel,
        snapshot_every=reporter.first,
        validation_data=(mnist.x_test[:VALIDATION_IMAGES], mnist.y_test[:VALIDATION_IMAGES]),
    )
    send(("phase", "Saving the model…"))
    weights = [np.asarray(w) for w in result.model.get_weights()]
    kept = {"entry": "base", "in_use": True, "replaced_accuracy": None}
    try:
        saved = saved_models.save_new_base(result, mnist, replace=job.replace)
        manifest, save_error = saved.manifest, ""
        kept = {
            "entry": saved.entry,
            "in_use": saved.in_use,
            "replaced_accuracy": saved.replaced_accuracy,
        }
    except StoreError as exc:
        manifest = {**saved_models.manifest_info(result, mnist), "saved": False}
        save_error = str(exc)
    send(("phase", "Keeping the run…"))
    outcome = (
        f"not saved: {save_error}"
        if save_error
        else "in use"
        if kept["in_use"]
        else "kept as candidate"
    )
    kept.update(
        _keep_run(
            result,
            reporter.history,
            kind="train",
            pen_test=pen_test,
            entry_sha256=None if save_error else manifest.get("sha256"),
            outcome=outcome,
        )
    )
    send(("finished", weights, dict(manifest), save_error, kept))


def _pen_test(job: Job) -> str | None:
    """The pendigits-test file to measure runs on (``None``: the figure stays unknown)."""
    from digitpad.net.pen_test import find_pen_test

    try:
        found = find_pen_test(job.pen_test)
    except ValueError as exc:
        log.warning("%s", exc)
        return None
    return None if found is None else str(found)


def _keep_run(result: Any, history: Any, **fields: Any) -> dict[str, Any]:
    """Keep ``result`` as a run; ``{"run_id", "run_error"}`` (a failure is said, not raised)."""
    from digitpad.net.experiment_runs import record_training
    from digitpad.storage.model_store import StoreError

    try:
        record = record_training(result, history, **fields)
    except (StoreError, OSError, ValueError) as exc:
        log.warning("the run could not be kept: %s", exc)
        return {"run_id": None, "run_error": describe(exc)}
    return {"run_id": record.id, "run_error": ""}


def _ladder(job: Job, send: Any, cancel: threading.Event) -> None:
    """Train each rate of the plan in turn; keep each as a run; never touch the model cache."""
    plan = job.ladder
    mnist = _load_mnist(job, send)
    if mnist is None:
        return
    send(("phase", "Starting TensorFlow…"))
    from digitpad.net.training import train

    pen_test = _pen_test(job)
    summaries = []
    for index, rate in enumerate(plan.rates):
        if cancel.is_set():
            raise TrainingCancelled
        recipe = plan.recipe(rate)
        send(("rung", index, len(plan.rates), rate, recipe.describe()))
        reporter = PipeReporter(send, first=0, refresh=0)
        result = train(recipe, mnist, listener=reporter, cancel=cancel)
        send(("phase", "Keeping the run…"))  # one of the window's translated phases
        kept = _keep_run(
            result,
            reporter.history,
            kind="ladder",
            pen_test=pen_test,
            outcome=f"Try Learning Rates: {rate:g}",
        )
        summary = {
            "rate": rate,
            "run_id": kept["run_id"],
            "error": kept["run_error"],
            "test_accuracy": result.test_accuracy,
            "test_loss": result.test_loss,
            "seconds": result.fit_seconds,
            "batch_loss": list(reporter.history.batch_loss),
        }
        summaries.append(summary)
        send(("rung_done", index, rate, summary))
    send(("ladder_done", summaries))


def _import(job: Job, send: Any) -> None:
    """Read a network file's weights, measure them, keep them as a run."""
    from digitpad.net.network_import import NetworkImportError

    mnist = _load_mnist(job, send)
    if mnist is None:
        return
    send(("phase", "Reading the network's weights…"))
    from digitpad.net.experiment_runs import import_network
    from digitpad.storage.model_store import StoreError

    try:
        record = import_network(job.path, mnist, pen_test=_pen_test(job))
    except (NetworkImportError, StoreError) as exc:
        send(("imported", None, str(exc)))
        return
    send(("imported", record.as_dict(), ""))


def _adapt(job: Job, send: Any, cancel: threading.Event) -> None:
    from digitpad.storage.samples import SampleStore

    send(("phase", "Reading your drawings…"))
    x_user, y_user = SampleStore().arrays()
    mnist = _load_mnist(job, send)
    if mnist is None:
        return
    from digitpad.net.recipes import adapt_steps_from_env, recipe_from_env

    # Replay what the app's recipe trains on (the rendered pen digits are
    # cached by the first training: instant).
    recipe = recipe_from_env()
    steps = adapt_steps_from_env()
    _prepare_pen_digits(recipe, send, "Preparing the replay images…")
    send(("phase", "Starting TensorFlow…"))
    from digitpad.net import saved_models
    from digitpad.storage.model_store import StaleEntryError, StoreError

    if cancel.is_set():
        raise TrainingCancelled
    send(("started", "adapting to your handwriting"))
    try:
        result, base = saved_models.adapt_base(
            x_user,
            y_user,
            mnist,
            recipe=recipe,
            steps=steps,
            listener=PipeReporter(send, first=0, refresh=0),
            cancel=cancel,
        )
    except ValueError as exc:  # too few drawings, bad samples: said plainly
        send(("failed", str(exc)))
        return
    summary = result.summary()
    if not result.decision.adopt:
        send(("adapted", summary, None, None, ""))
        return
    send(("phase", "Saving your personal network…"))
    try:
        manifest = saved_models.save_personal(result, base.manifest)
        save_error = ""
    except StaleEntryError as exc:  # built on a base that is no longer the base
        send(("failed", str(exc)))
        return
    except StoreError as exc:
        manifest = {"name": "personal", **result.manifest_info(), "saved": False}
        save_error = str(exc)
    weights = [np.asarray(w) for w in result.weights]
    send(("adapted", summary, weights, dict(manifest), save_error))


def history_recorder() -> PipeReporter:
    """A training listener that only records the run's history (``digitpad train``'s).

    Its :attr:`history` holds each batch's own loss and accuracy and the epoch logs.
    """
    return PipeReporter(lambda _message: None, first=0, refresh=0)


def describe(exc: BaseException) -> str:
    """A one-line, traceback-free description of ``exc`` for people."""
    text = str(exc).strip()
    return text if text else type(exc).__name__


def main(argv: list[str] | None = None) -> int:
    """``python -m digitpad.net.training_job --fd N [--target module:function]``.

    The window starts the training process this way (a fresh interpreter
    that imports only what training needs, never the window's own main
    module): the pipe is the inherited socket ``N``; the first message on it
    is the :class:`Job`.
    """
    import argparse
    import importlib
    from multiprocessing.connection import Connection

    parser = argparse.ArgumentParser(description="digitpad's training process")
    parser.add_argument("--fd", type=int, required=True)
    parser.add_argument("--target", default="digitpad.net.training_job:run")
    args = parser.parse_args(argv)
    connection = Connection(args.fd)
    module, _, function = args.target.partition(":")
    target = getattr(importlib.import_module(module), function)
    try:
        job = connection.recv()
    except (EOFError, OSError):
        return 1
    target(connection, job)
    return 0


if __name__ == "__main__":
    import sys

    # The package's own copy of this module (not ``__main__``): the Job that
    # arrives was pickled as digitpad.net.training_job.Job.
    from digitpad.net.training_job import main as package_main

    sys.exit(package_main())
