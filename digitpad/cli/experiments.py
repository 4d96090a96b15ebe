"""Experiment like the article: ``train``'s settings flags, ``digitpad runs``, ``import-network``.

``digitpad train --optimizer sgd --lr 0.003 --batch-size 64 …`` sets the
article's knobs on top of ``--recipe`` (checked before anything starts);
every training is kept as a run. ``digitpad runs`` lists the runs (``--json``:
one object per line), pins them or puts one's network in use.
``digitpad import-network FILE`` reads a network saved by the article's code
(weights only), measures it and keeps it as a run.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from digitpad.cli.common import EXIT_FAILURE, EXIT_OK, CliError, load_mnist, percent
from digitpad.net.training_settings import OPTIMIZERS, SCHEDULES

PEN_TEST_HELP = (
    "a copy of pendigits-test.gz (or its folder) to measure on real pen digits by writers "
    "never trained on (default: $DIGITPAD_PENDIGITS_TEST; without one the figure is unknown)"
)


def add_training_flags(parser: argparse.ArgumentParser) -> None:
    """The article's knobs on ``digitpad train`` (``--epochs`` is ``train``'s own)."""
    parser.add_argument(
        "--optimizer",
        choices=list(OPTIMIZERS),
        help="rmsprop (the article's), adam, or sgd (momentum 0.9)",
    )
    parser.add_argument("--lr", type=float, metavar="RATE", help="(peak) learning rate")
    parser.add_argument("--batch-size", type=int, metavar="N", help="images per step")
    parser.add_argument(
        "--augment",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="training-time distortions (rotation, zoom, shear, shift, thickness)",
    )
    parser.add_argument(
        "--pen-digits",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also train on the bundled real pen-drawn digits",
    )
    parser.add_argument("--schedule", choices=list(SCHEDULES), help="learning-rate schedule")
    parser.add_argument("--pen-test", metavar="PATH", help=PEN_TEST_HELP)


def add_commands(commands: Any, mnist_help: str) -> None:
    """``runs`` and ``import-network``."""
    runs = commands.add_parser(
        "runs",
        help="the kept trainings: settings, figures, networks",
        description="Every training (and Try Learning Rates rung, and imported network) is "
        "kept as a run. Lists them, oldest first, with MNIST test and pendigits-test "
        "accuracy ('unknown' without a copy of pendigits-test).",
    )
    # One thing at a time: a flag never goes silently unheeded beside another.
    what = runs.add_mutually_exclusive_group()
    what.add_argument(
        "--json",
        action="store_true",
        help="JSON Lines: one object per run (fields id, created, kind, label, settings, "
        "test_accuracy, test_loss, pen_test_accuracy, seconds, network_kept, pinned, in_use)",
    )
    what.add_argument("--pin", metavar="ID", help="keep run ID's network whatever the disk cap")
    what.add_argument("--unpin", metavar="ID", help="let run ID's network be dropped again")
    what.add_argument("--use", metavar="ID", help="make run ID's network the base network in use")

    imported = commands.add_parser(
        "import-network",
        help="use a network trained with the article's code (.keras, .h5, .weights.h5)",
        description="Reads only the weights (never the model config, never a Lambda layer's "
        "code), and only if every layer matches the article's LeNet; measures MNIST test "
        "accuracy (and pendigits-test's if a copy is given) and keeps it as a run.",
    )
    imported.add_argument("file", metavar="FILE")
    imported.add_argument("--use", action="store_true", help="put it in use at once")
    imported.add_argument("--mnist", metavar="PATH", help=mnist_help)
    imported.add_argument("--pen-test", metavar="PATH", help=PEN_TEST_HELP)


def recipe_from_args(args: argparse.Namespace, epochs: int | None, samples: int | None) -> Any:
    """The recipe ``digitpad train``'s flags ask for.

    Raises:
        CliError: a value is invalid (every problem said in one line).
    """
    from digitpad.net.training_settings import TrainingSettings

    settings = TrainingSettings.from_preset(args.recipe).replaced(
        optimizer=args.optimizer,
        learning_rate=args.lr,
        batch_size=args.batch_size,
        epochs=epochs,
        augment=args.augment,
        pen_digits=args.pen_digits,
        schedule=args.schedule,
        train_samples=samples,
        seed=args.seed,
    )
    problems = settings.problems()
    if problems:
        raise CliError(" ".join(problems))
    try:
        return settings.to_recipe()
    except ValueError as exc:
        raise CliError(str(exc)) from exc


class RecordingBar:
    """The progress bar, and the run's history recorded alongside (one listener)."""

    def __init__(self, bar: Any) -> None:
        from digitpad.net.training_job import history_recorder

        self.bar = bar
        self.recorder = history_recorder()

    @property
    def history(self) -> Any:
        """The batch points and epoch logs recorded so far."""
        return self.recorder.history

    def on_progress(self, progress: Any) -> None:
        """Redraw the bar."""
        self.bar.on_progress(progress)

    def on_batch_end(self, progress: Any) -> None:
        """Record the batch's own loss and accuracy."""
        self.recorder.on_batch_end(progress)

    def on_epoch_end(self, progress: Any, logs: dict[str, float]) -> None:
        """Record the epoch's logs."""
        self.recorder.on_epoch_end(progress, logs)

    def close(self) -> None:
        """End the bar's line."""
        self.bar.close()


def check_runs_cap() -> None:
    """Refuse a bad ``DIGITPAD_RUNS_CAP_MB`` before anything starts (runs are kept under it).

    Raises:
        CliError: the variable holds no positive number (the message names it).
    """
    from digitpad.storage.runs import cap_from_env

    try:
        cap_from_env()
    except ValueError as exc:
        raise CliError(str(exc)) from exc


def pen_test_path(value: str | None) -> str | None:
    """The pendigits-test file to measure on, or ``None`` (unknown).

    Raises:
        CliError: the path (or ``DIGITPAD_PENDIGITS_TEST``) names nothing usable.
    """
    from digitpad.net.pen_test import find_pen_test

    try:
        found = find_pen_test(value)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    return None if found is None else str(found)


def keep_training_run(result: Any, history: Any, saved: Any, pen_test: str | None) -> None:
    """Keep a ``digitpad train`` run; say where, or why not (on stderr)."""
    from digitpad.net.experiment_runs import record_training
    from digitpad.storage.model_store import StoreError

    try:
        record = record_training(
            result,
            history,
            pen_test=pen_test,
            entry_sha256=saved.manifest.get("sha256"),
            outcome="in use" if saved.in_use else "kept as candidate",
        )
    except (StoreError, OSError, ValueError) as exc:
        print(f"digitpad: the run was not kept ({exc})", file=sys.stderr)
        return
    pen = percent(record.pen_test_accuracy) if record.pen_test_accuracy is not None else "unknown"
    print(f"Kept as run {record.id} (pendigits-test: {pen}).", file=sys.stderr)


def runs(args: argparse.Namespace) -> int:
    """``digitpad runs``."""
    from digitpad.storage.model_store import StoreError
    from digitpad.storage.runs import RunStore

    check_runs_cap()
    try:
        store = RunStore()
        if args.pin or args.unpin:
            run = store.set_pinned(args.pin or args.unpin, bool(args.pin))
            print(f"Run {run.id} is {'pinned' if run.pinned else 'no longer pinned'}.")
            return EXIT_OK
        if args.use:
            manifest = store.use(args.use)
            print(
                f"Run {args.use}'s network ({percent(manifest.get('test_accuracy'))} on MNIST "
                "test) is now the base network and in use."
            )
            return EXIT_OK
        listing = store.listing()
        in_use = store.in_use_id()
    except (StoreError, ValueError) as exc:
        raise CliError(str(exc)) from exc
    for damaged in listing.damaged:
        print(f"digitpad: damaged run {damaged.name}: {damaged.reason}", file=sys.stderr)
    # Damaged runs (said on stderr above) make the exit code 1, as unreadable images do.
    code = EXIT_FAILURE if listing.damaged else EXIT_OK
    if args.json:
        for run in listing.runs:
            print(json.dumps(run_summary(run, in_use), ensure_ascii=False))
        return code
    if not listing.runs:
        print("No runs yet: digitpad train keeps one per training.")
        return code
    print(f"{'run':<29} {'kind':<7} {'MNIST':>7} {'pen':>7} {'time':>7}  settings")
    for run in listing.runs:
        marks = ("*" if run.id == in_use else "") + ("P" if run.pinned else "")
        seconds = f"{run.seconds:.0f} s" if run.seconds is not None else "–"
        pen = percent(run.pen_test_accuracy) if run.pen_test_accuracy is not None else "unknown"
        network = "" if run.network else " (network dropped)"
        print(
            f"{run.id + marks:<29} {run.kind:<7} {percent(run.test_accuracy):>7} {pen:>7} "
            f"{seconds:>7}  {run.label}{network}"
        )
    print("* in use, P pinned")
    return code


def run_summary(run: Any, in_use: str | None) -> dict[str, Any]:
    """One run as ``digitpad runs --json`` prints it."""
    return {
        "id": run.id,
        "created": run.created,
        "kind": run.kind,
        "label": run.label,
        "settings": run.settings,
        "test_accuracy": run.test_accuracy,
        "test_loss": run.test_loss,
        "pen_test_accuracy": run.pen_test_accuracy,
        "seconds": run.seconds,
        "network_kept": run.network is not None,
        "pinned": run.pinned,
        "in_use": run.id == in_use,
        "source": run.source,
    }


def import_network(args: argparse.Namespace) -> int:
    """``digitpad import-network FILE``."""
    check_runs_cap()
    pen_test = pen_test_path(args.pen_test)
    mnist = load_mnist(args.mnist)
    from digitpad.net.experiment_runs import import_network as keep_imported
    from digitpad.net.network_import import NetworkImportError
    from digitpad.storage.model_store import StoreError
    from digitpad.storage.runs import RunStore

    try:
        record = keep_imported(args.file, mnist, pen_test=pen_test)
    except (NetworkImportError, StoreError) as exc:
        raise CliError(str(exc)) from exc
    pen = percent(record.pen_test_accuracy) if record.pen_test_accuracy is not None else "unknown"
    ignored = record.source.get("ignored_layers") or []
    print(f"MNIST test accuracy: {percent(record.test_accuracy)}")
    print(f"pendigits-test accuracy: {pen}")
    if ignored:
        print(
            f"Layers without weights not read (their code is never run): {', '.join(ignored)}",
            file=sys.stderr,
        )
    print(f"Kept as run {record.id}.", file=sys.stderr)
    if args.use:
        try:
            RunStore().use(record.id)
        except StoreError as exc:
            raise CliError(str(exc)) from exc
        print("It is now the base network and in use.", file=sys.stderr)
    else:
        print(f"Use it: digitpad runs --use {record.id}", file=sys.stderr)
    return EXIT_OK
