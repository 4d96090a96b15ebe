"""``digitpad train`` and ``digitpad use``: a new base network, and which network is in use."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from digitpad.cli import experiments
from digitpad.cli.common import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    INTERRUPTED,
    CliError,
    TrainingBar,
    check_models_folder,
    load_mnist,
    percent,
    run_with_bar,
)
from digitpad.storage import paths


def train(args: argparse.Namespace) -> int:
    """``digitpad train``: a worse network than the one in use is kept as candidate."""
    from digitpad.net.recipes import EPOCHS_ENV, SAMPLES_ENV, _env_int

    try:
        # Flags win; the variables are checked like everywhere else.
        epochs = args.epochs or _env_int(EPOCHS_ENV)
        samples = args.samples or _env_int(SAMPLES_ENV)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    # Settings are refused before anything starts (MNIST, TensorFlow).
    recipe = experiments.recipe_from_args(args, epochs, samples)
    experiments.check_runs_cap()
    pen_test = experiments.pen_test_path(args.pen_test)
    check_models_folder()
    mnist = load_mnist(args.mnist)
    from digitpad.net import saved_models
    from digitpad.net.pen_training_set import HandwritingError
    from digitpad.net.training import train
    from digitpad.storage.model_store import StoreError

    print(f"Training LeNet, recipe {recipe.describe()}", file=sys.stderr)
    bar = experiments.RecordingBar(TrainingBar(sys.stderr))
    try:
        result = run_with_bar(
            lambda cancel: train(recipe, mnist, listener=bar, cancel=cancel),
            bar,
            "Training interrupted; the cached model is unchanged.",
        )
    except HandwritingError as exc:
        raise CliError(str(exc)) from exc
    if result is INTERRUPTED:
        return EXIT_INTERRUPTED
    print(f"fit time: {result.fit_seconds:.1f} s", file=sys.stderr)
    print(f"test loss: {result.test_loss:.4f}")
    print(f"test accuracy: {result.test_accuracy:.4f}")
    try:
        saved = saved_models.save_new_base(result, mnist, replace=args.replace)
    except StoreError as exc:
        raise CliError(f"{exc} The network just trained was not kept.") from exc
    experiments.keep_training_run(result, bar.history, saved, pen_test)
    where = paths.models_dir() / saved.manifest["weights_file"]
    if saved.in_use:
        print(f"Saved to {where}; it is the network in use.", file=sys.stderr)
        return EXIT_OK
    print(
        f"Kept as 'candidate' ({where}), not in use: it reads {result.test_accuracy:.2%} of "
        f"MNIST test, the base network in use {saved.replaced_accuracy:.2%}. "
        "Use it anyway: digitpad use candidate",
        file=sys.stderr,
    )
    return EXIT_OK


#: What to do when ``digitpad use NETWORK`` finds no NETWORK, and when it finds a damaged one.
USE_HINTS = {
    "base": ("Train one: digitpad train", "Train a new one: digitpad train"),
    "personal": ("Make one: digitpad adapt", "Make a new one: digitpad adapt"),
    "candidate": (
        "A candidate is kept only when 'digitpad train' makes a worse network.",
        "Train again: digitpad train",
    ),
}


def use(args: argparse.Namespace) -> int:
    """``digitpad use``: the network is verified as loading verifies it before it is in use."""
    from digitpad.storage.model_store import (
        CorruptModelError,
        ModelStore,
        NoModelError,
        StoreError,
    )

    store = ModelStore()
    missing, damaged = USE_HINTS[args.network]
    try:
        manifest = _verified_manifest(store, args.network)
        if args.network == "candidate":
            manifest = store.promote("candidate", "base")
            store.set_active("base")
            print(
                f"The candidate network ({percent(manifest.get('test_accuracy'))} on MNIST "
                "test) is now the base network and in use; the previous base was replaced."
            )
            return EXIT_OK
        store.set_active(args.network)
    except NoModelError as exc:
        raise CliError(f"{exc} {missing}") from exc
    except CorruptModelError as exc:
        raise CliError(f"{exc} The {args.network} network was not put in use. {damaged}") from exc
    except StoreError as exc:
        raise CliError(str(exc)) from exc
    print(
        f"The {args.network} network ({percent(manifest.get('test_accuracy'))} on MNIST "
        "test) is in use."
    )
    return EXIT_OK


def _verified_manifest(store: Any, name: str) -> dict[str, Any]:
    """Entry ``name``'s manifest, once its weights pass the checks loading makes.

    Manifest, size, sha256, the LeNet's shapes and finite values: a network
    that ``digitpad predict`` would quarantine is never said to be in use.

    Raises:
        NoModelError: there is no entry ``name``.
        CorruptModelError: it failed a check (it was quarantined).
        StoreError: it cannot be read.
    """
    from digitpad.net.lenet import ARCHITECTURE_ID, weight_shapes

    _weights, manifest = store.load(name, architecture=ARCHITECTURE_ID, shapes=weight_shapes())
    return manifest
