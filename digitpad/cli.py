"""The ``digitpad`` command: the window, or train / adapt / evaluate / predict / info.

Exit codes: 0 success, 1 a failure the message explains, 2 bad usage,
130 interrupted. Errors are one clear line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from collections.abc import Sequence
from typing import Any, TextIO

from digitpad import __version__
from digitpad.storage import paths

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class CliError(Exception):
    """A failure to report as one line on stderr."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (stable flags: scripts rely on them)."""
    parser = argparse.ArgumentParser(
        prog="digitpad",
        description="Draw a digit, watch a LeNet convolutional network read it. "
        "With no command, opens the window.",
        epilog="Exit codes: 0 success, 1 a failure explained on stderr in one line "
        "(for predict: at least one image could not be read), 2 bad usage, 130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"digitpad {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    mnist_help = (
        "local MNIST copy: a folder with LeCun's four IDX .gz files or a Keras mnist.npz "
        "(default: $DIGITPAD_MNIST, else download)"
    )
    gui = commands.add_parser("gui", help="open the window (the default)")
    gui.add_argument("--mnist", metavar="PATH", help=mnist_help)

    train = commands.add_parser("train", help="train the network on MNIST and cache it")
    train.add_argument(
        "--recipe",
        choices=["default", "seed"],
        default="default",
        help="default: the app's fast, augmented recipe; seed: the article's",
    )
    train.add_argument("--epochs", type=_positive_int, metavar="N", help="override epochs")
    train.add_argument(
        "--samples",
        type=_positive_int,
        metavar="N",
        help="train on the first N images only (quick runs)",
    )
    train.add_argument("--seed", type=int, default=None, metavar="N", help="random seed")
    train.add_argument(
        "--replace",
        action="store_true",
        help="put the new network in use even if it reads MNIST worse than the one in use "
        "(without it, a worse network is kept as 'candidate': see 'digitpad use')",
    )
    train.add_argument("--mnist", metavar="PATH", help=mnist_help)

    evaluate = commands.add_parser("evaluate", help="test the cached network on MNIST's 10k")
    evaluate.add_argument("--mnist", metavar="PATH", help=mnist_help)

    predict = commands.add_parser("predict", help="read the digit in image files")
    predict.add_argument(
        "images",
        nargs="+",
        metavar="IMAGE",
        help="PNG/JPEG/... of one digit, any size, dark-on-light or light-on-dark",
    )
    predict.add_argument(
        "--json",
        action="store_true",
        help="JSON Lines: one object per image read, in order, one per line (fields image, "
        "digit, sure, reason, confidence, probabilities, network); images that cannot be "
        "read are reported on stderr and make the exit code 1",
    )

    adapt = commands.add_parser(
        "adapt",
        help="fine-tune the network on your own handwriting; adopted only if better",
        description="Fine-tune the base network on your own drawings (with MNIST replay), "
        "hold part of them back to measure, and adopt the result as your personal network "
        "only if it reads the held-back drawings better and MNIST test accuracy drops by "
        "at most 0.3 points. digitpad predict and the window then use it.",
    )
    adapt.add_argument(
        "--samples",
        metavar="DIR",
        help="your drawings: the app's sample folder, or images named <digit>_<anything>.png "
        "(any size, dark-on-light or light-on-dark); default: the app's own samples",
    )
    adapt.add_argument("--mnist", metavar="PATH", help=mnist_help)

    use = commands.add_parser(
        "use",
        help="choose the network in use: base, personal, or a kept candidate",
        description="base: the trained network; personal: the one adapted to your "
        "handwriting; candidate: a trained network kept aside because it read MNIST worse "
        "than the one in use (it becomes the base network).",
    )
    use.add_argument("network", choices=["base", "personal", "candidate"])

    commands.add_parser("info", help="where digitpad keeps its files, and the cached models")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = build_parser().parse_args(argv)
    command = args.command or "gui"
    try:
        if command == "gui":
            from digitpad.gui.app import main as gui_main

            return gui_main(mnist=getattr(args, "mnist", None))
        handler = {
            "train": _train,
            "adapt": _adapt,
            "evaluate": _evaluate,
            "predict": _predict,
            "info": _info,
            "use": _use,
        }
        return handler[command](args)
    except KeyboardInterrupt:
        print("digitpad: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # Output piped into `head` and the like: not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except CliError as exc:
        print(f"digitpad: {exc}", file=sys.stderr)
        return EXIT_FAILURE


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {value}")
    return value


def _load_mnist(source: str | None) -> Any:
    from digitpad.storage.mnist import MnistError, load_mnist

    progress = _DownloadBar(sys.stderr)
    try:
        return load_mnist(source, progress=progress)
    except MnistError as exc:
        raise CliError(str(exc)) from exc
    finally:
        progress.close()


def _load_model() -> Any:
    from digitpad.net import saved_models
    from digitpad.storage.model_store import NoModelError, StoreError

    try:
        loaded = saved_models.load_active()
    except NoModelError as exc:
        raise CliError(f"{exc} Train one first: digitpad train") from exc
    except StoreError as exc:
        raise CliError(f"{exc} Train a new one: digitpad train") from exc
    if loaded.note:
        print(f"digitpad: {loaded.note}", file=sys.stderr)
    return loaded


def _check_models_folder() -> None:
    """Refuse at once a models folder that cannot be written (not after a training)."""
    reason = paths.unusable_reason(paths.models_dir())
    if reason is not None:
        raise CliError(
            f"Cannot keep models: {reason}. Move it away or set {paths.HOME_ENV} "
            "to a writable folder."
        )


def _train(args: argparse.Namespace) -> int:
    from digitpad.net.recipes import EPOCHS_ENV, SAMPLES_ENV, _env_int

    try:
        # Flags win; the variables are checked like everywhere else.
        epochs = args.epochs or _env_int(EPOCHS_ENV)
        samples = args.samples or _env_int(SAMPLES_ENV)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    _check_models_folder()
    mnist = _load_mnist(args.mnist)
    from digitpad.net import saved_models
    from digitpad.net.pen_training_set import HandwritingError
    from digitpad.net.training import TrainingCancelled, get_recipe, train
    from digitpad.storage.model_store import StoreError

    try:
        recipe = get_recipe(args.recipe, epochs=epochs, train_samples=samples, seed=args.seed)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    print(f"Training LeNet, recipe {recipe.describe()}", file=sys.stderr)
    bar = _TrainingBar(sys.stderr)
    cancel = threading.Event()
    try:
        result = train(recipe, mnist, listener=bar, cancel=cancel)
    except KeyboardInterrupt:
        cancel.set()
        bar.close()
        print("Training interrupted; the cached model is unchanged.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except TrainingCancelled:
        bar.close()
        return EXIT_INTERRUPTED
    except HandwritingError as exc:
        bar.close()
        raise CliError(str(exc)) from exc
    bar.close()
    print(f"fit time: {result.fit_seconds:.1f} s", file=sys.stderr)
    print(f"test loss: {result.test_loss:.4f}")
    print(f"test accuracy: {result.test_accuracy:.4f}")
    try:
        saved = saved_models.save_new_base(result, mnist, replace=args.replace)
    except StoreError as exc:
        raise CliError(f"{exc} The network just trained was not kept.") from exc
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


def _use(args: argparse.Namespace) -> int:
    from digitpad.storage.model_store import ModelStore, NoModelError, StoreError

    store = ModelStore()
    try:
        if args.network == "candidate":
            manifest = store.promote("candidate", "base")
            store.set_active("base")
            print(
                f"The candidate network ({_percent(manifest.get('test_accuracy'))} on MNIST "
                "test) is now the base network and in use; the previous base was replaced."
            )
            return EXIT_OK
        manifest = store.read_manifest(args.network)
        store.set_active(args.network)
    except NoModelError as exc:
        hint = {
            "base": "Train one: digitpad train",
            "personal": "Make one: digitpad adapt",
            "candidate": "A candidate is kept only when 'digitpad train' makes a worse network.",
        }[args.network]
        raise CliError(f"{exc} {hint}") from exc
    except StoreError as exc:
        raise CliError(str(exc)) from exc
    print(
        f"The {args.network} network ({_percent(manifest.get('test_accuracy'))} on MNIST "
        "test) is in use."
    )
    return EXIT_OK


def _evaluate(args: argparse.Namespace) -> int:
    loaded = _load_model()
    mnist = _load_mnist(args.mnist)
    from digitpad.net.inference import evaluate

    loss, accuracy = evaluate(loaded.model, mnist.x_test, mnist.y_test)
    print(f"test loss: {loss:.4f}")
    print(f"test accuracy: {accuracy:.4f}")
    return EXIT_OK


def _predict(args: argparse.Namespace) -> int:
    from digitpad.drawing.images import ImageError, load_ink
    from digitpad.drawing.mnist_format import to_mnist
    from digitpad.drawing.shape_check import check_one_digit

    names, inputs, not_one_digit = [], [], []
    failed = 0
    for name in args.images:
        shown = printable(name)
        try:
            ink = load_ink(name)
        except ImageError as exc:
            # The message starts with the path; say it printable, on one line.
            reason = str(exc).removeprefix(f"{name}: ")
            print(f"digitpad: {shown}: {printable(reason)}", file=sys.stderr)
            failed += 1
            continue
        x28 = to_mnist(ink)
        if x28 is None:
            print(f"digitpad: {shown}: no digit found (the image is blank)", file=sys.stderr)
            failed += 1
            continue
        names.append(shown)
        inputs.append(x28)
        not_one_digit.append(check_one_digit(ink, drawn=False).reason)
    if not inputs:
        return EXIT_FAILURE
    loaded = _load_model()
    import numpy as np

    from digitpad.net.calibration import Calibration, reading
    from digitpad.net.inference import Predictor

    calibration = Calibration.from_manifest(loaded.manifest)
    raw = Predictor.from_model(loaded.model).predict_batch(np.stack(inputs))
    probabilities = calibration.apply(raw)
    for name, p, problem in zip(names, probabilities, not_one_digit, strict=True):
        shown = reading(p, calibration, problem)
        result = {
            "image": name,
            "digit": int(np.argmax(p)),
            "sure": shown.sure,
            "reason": shown.reason,
            "confidence": round(float(np.max(p)), 6),
            "probabilities": [round(float(v), 6) for v in p],
            "network": loaded.name,
        }
        if args.json:
            print(json.dumps(result))
            continue
        bars = "  ".join(f"{d}:{v:5.1%}" for d, v in enumerate(result["probabilities"]))
        if result["sure"]:
            print(f"{name}: {result['digit']} ({result['confidence']:.1%})")
        else:
            print(f"{name}: ? ({result['reason']})")
        print(f"  {bars}")
    return EXIT_FAILURE if failed else EXIT_OK


def printable(text: str) -> str:
    """``text`` on one line, as it can be printed: control characters and bytes escaped.

    A file name may hold a newline (which would forge an output line) or
    bytes that are not UTF-8 (which cannot be printed as they are).
    """
    text = os.fsencode(text).decode("utf-8", "backslashreplace") if _has_surrogates(text) else text
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text
    )


def _has_surrogates(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def _percent(value: Any) -> str:
    return f"{value:.2%}" if isinstance(value, int | float) else "accuracy unknown"


def _adapt(args: argparse.Namespace) -> int:
    from digitpad.net.recipes import adapt_steps_from_env, recipe_from_env
    from digitpad.storage.samples import SampleError, SampleStore, load_sample_dir

    try:
        recipe = recipe_from_env()
        steps = adapt_steps_from_env()
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    try:
        if args.samples:
            x_user, y_user, problems = load_sample_dir(args.samples)
            where = printable(args.samples)
        else:
            store = SampleStore()
            x_user, y_user = store.arrays()
            problems, where = store.problems, str(store.root)
    except SampleError as exc:
        raise CliError(printable(str(exc))) from exc
    for problem in problems:
        print(f"digitpad: skipped {printable(problem)}", file=sys.stderr)
    counts = ", ".join(f"{d}: {int((y_user == d).sum())}" for d in range(10))
    print(f"{len(y_user)} drawings from {where} ({counts})", file=sys.stderr)
    from digitpad.net.adoption import NotEnoughSamplesError, split_holdout

    try:
        split_holdout(y_user)  # checked before loading anything heavy
    except NotEnoughSamplesError as exc:
        raise CliError(str(exc)) from exc
    _check_models_folder()
    mnist = _load_mnist(args.mnist)
    from digitpad.net import saved_models
    from digitpad.net.pen_training_set import HandwritingError
    from digitpad.net.training import TrainingCancelled
    from digitpad.storage.model_store import NoModelError, StoreError

    print("Adapting the base network to these drawings…", file=sys.stderr)
    bar = _TrainingBar(sys.stderr)
    cancel = threading.Event()
    try:
        result, base = saved_models.adapt_base(
            x_user, y_user, mnist, recipe=recipe, steps=steps, listener=bar, cancel=cancel
        )
    except KeyboardInterrupt:
        cancel.set()
        bar.close()
        print("Adapting interrupted; nothing changed.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except TrainingCancelled:
        bar.close()
        return EXIT_INTERRUPTED
    except NoModelError as exc:
        bar.close()
        raise CliError(f"{exc} Train one first: digitpad train") from exc
    except (StoreError, HandwritingError, ValueError) as exc:
        bar.close()
        raise CliError(str(exc)) from exc
    bar.close()
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


def _info(args: argparse.Namespace) -> int:
    from digitpad.storage.mnist import describe_source
    from digitpad.storage.model_store import ModelStore, NoModelError, StoreError

    store = ModelStore()
    print(f"digitpad {__version__}")
    print(f"data folder:  {paths.data_dir()}")
    print(f"model cache:  {store.root}")
    print(f"cache folder: {paths.cache_dir()}")
    print(f"MNIST:        {describe_source()}")
    if os.environ.get(paths.HOME_ENV):
        print(f"(DIGITPAD_HOME={os.environ[paths.HOME_ENV]} overrides the default folders)")
    reason = paths.unusable_reason(store.root)
    if reason is not None:
        print(f"warning:      models cannot be saved: {reason}")
    name = store.active_name()
    manifests: dict[str, dict[str, Any]] = {}
    for entry in ("base", "personal", "candidate"):
        try:
            manifests[entry] = store.read_manifest(entry)
        except NoModelError:
            if entry == "base":
                print(f"base:         No trained model is cached yet ({store.manifest_path()})")
        except StoreError as exc:
            print(f"{entry + ':':<13} {exc}")
    for entry, manifest in manifests.items():
        recipe = manifest.get("recipe") or {}
        kind = "your personal LeNet, adapted" if entry == "personal" else "LeNet, trained"
        print(
            f"{entry + ':':<13} {kind} {manifest['created']}, recipe {recipe.get('name', '?')}, "
            f"test accuracy {_percent(manifest.get('test_accuracy'))}"
        )
    if name in manifests:
        print(f"in use:       {name} network (not verified; 'digitpad evaluate' loads it)")
    elif name != "base" and "base" in manifests:
        print(f"in use:       base network ({name} is chosen but not in the cache)")
    else:
        print("in use:       none (train one: digitpad train)")
    if "candidate" in manifests:
        print("              (the candidate is not in use: digitpad use candidate)")
    shown = name if name in manifests else "base"
    if shown in manifests:
        print(json.dumps(manifests[shown], indent=2))
    return EXIT_OK


class _DownloadBar:
    """Download progress on stderr (only shown when a download happens)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        self.shown = True
        if total:
            self.stream.write(f"\rDownloading MNIST: {done / total:6.1%}")
        else:
            self.stream.write(f"\rDownloading MNIST: {done / 1e6:.1f} MB")
        self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")


class _TrainingBar:
    """A training progress bar with ETA, redrawn in place on a terminal."""

    WIDTH = 30

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.last_line = 0.0
        self.open = False

    def on_progress(self, progress: Any) -> None:
        filled = int(self.WIDTH * progress.fraction)
        eta = _clock(progress.eta_s) if progress.eta_s is not None else "--:--"
        line = (
            f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {progress.fraction:4.0%}  "
            f"epoch {progress.epoch}/{progress.epochs}  loss {progress.loss:.4f}  "
            f"acc {progress.accuracy:.4f}  ETA {eta}"
        )
        if self.tty:
            self.stream.write("\r" + line)
            self.open = True
        elif time.monotonic() - self.last_line >= 5 or progress.fraction >= 1:
            # Logs and CI: a line every few seconds, not thousands.
            self.stream.write(line + "\n")
            self.last_line = time.monotonic()
        self.stream.flush()

    def close(self) -> None:
        if self.open:
            self.stream.write("\n")
            self.open = False


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}:{secs:02d}"


if __name__ == "__main__":
    sys.exit(main())
