"""``digitpad adapt``: fine-tune the base network on your own drawings."""

from __future__ import annotations

import argparse
import sys

from digitpad.cli.common import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    INTERRUPTED,
    CliError,
    TrainingBar,
    check_models_folder,
    check_samples_folder,
    counted,
    load_mnist,
    printable,
    printable_lines,
    run_with_bar,
)
from digitpad.storage import paths


def adapt(args: argparse.Namespace) -> int:
    """``digitpad adapt``."""
    from digitpad.net.recipes import adapt_steps_from_env, recipe_from_env
    from digitpad.storage.sample_folders import load_sample_dir
    from digitpad.storage.samples import SampleError, SampleStore

    try:
        recipe = recipe_from_env()
        steps = adapt_steps_from_env()
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    # Before reading any drawing: a models folder that cannot be written (or
    # DIGITPAD_HOME a file) is one line, not a count of no drawings.
    check_models_folder()
    try:
        if args.samples:
            x_user, y_user, problems = load_sample_dir(args.samples)
            where = printable(args.samples)
        else:
            check_samples_folder()
            store = SampleStore()
            x_user, y_user = store.arrays()
            problems, where = store.problems, str(store.root)
    except SampleError as exc:
        # "No usable sample" lists the files it skipped, by name, one per line.
        raise CliError(printable_lines(str(exc))) from exc
    for problem in problems:
        # Each says what it is about and that it was skipped, as import-samples prints it.
        print(f"digitpad: {printable(problem)}", file=sys.stderr)
    counts = ", ".join(f"{d}: {int((y_user == d).sum())}" for d in range(10))
    print(f"{counted(len(y_user), 'drawing')} from {where} ({counts})", file=sys.stderr)
    from digitpad.net.adoption import NotEnoughSamplesError, split_holdout

    try:
        split_holdout(y_user)  # checked before loading anything heavy
    except NotEnoughSamplesError as exc:
        raise CliError(str(exc)) from exc
    mnist = load_mnist(args.mnist)
    from digitpad.net import saved_models
    from digitpad.net.pen_training_set import HandwritingError
    from digitpad.storage.model_store import NoModelError, StoreError

    print("Adapting the base network to these drawings…", file=sys.stderr)
    bar = TrainingBar(sys.stderr)
    try:
        outcome = run_with_bar(
            lambda cancel: saved_models.adapt_base(
                x_user, y_user, mnist, recipe=recipe, steps=steps, listener=bar, cancel=cancel
            ),
            bar,
            "Adapting interrupted; nothing changed.",
        )
    except NoModelError as exc:
        raise CliError(f"{exc} Train one first: digitpad train") from exc
    except (StoreError, HandwritingError, ValueError) as exc:
        raise CliError(str(exc)) from exc
    if outcome is INTERRUPTED:
        return EXIT_INTERRUPTED
    result, base = outcome
    print(f"held-back drawings: {result.held_back} (learnt from {result.trained_on})")
    print(
        f"your accuracy: before {result.before.user_accuracy:.2%}, "
        f"after {result.after.user_accuracy:.2%}"
    )
    print(
        f"MNIST test accuracy: before {result.before.mnist_accuracy:.2%}, "
        f"after {result.after.mnist_accuracy:.2%}"
    )
    print(f"time: {result.seconds:.1f} s (fine-tune {result.fit_seconds:.1f} s)")
    if not result.decision.adopt:
        print(result.decision.reason)
        return EXIT_OK
    try:
        manifest = saved_models.save_personal(result, base.manifest)
    except StoreError as exc:
        # Not "Adopted:": nothing was kept, and nothing changed.
        raise CliError(f"The adapted network was better, but it was not kept: {exc}") from exc
    print(result.decision.reason)
    print(
        f"Saved to {paths.models_dir() / manifest['weights_file']}; digitpad predict and "
        "the window now use it (digitpad use base switches back).",
        file=sys.stderr,
    )
    return EXIT_OK
