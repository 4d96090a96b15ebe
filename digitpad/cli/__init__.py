"""The ``digitpad`` command: the window, or train / adapt / evaluate / predict / info / use.

Exit codes: 0 success, 1 a failure the message explains, 2 bad usage,
130 interrupted. Errors are one clear line on stderr, never a traceback.
Each subcommand lives in its own module of this package.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from digitpad import __version__, quiet
from digitpad.cli import adapting, desktop, experiments, info, reading, samples, training
from digitpad.cli.common import (
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    CliError,
    positive_int,
)


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
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="show TensorFlow's own log lines (as does DIGITPAD_DEBUG=1)",
    )
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
    train.add_argument("--epochs", type=positive_int, metavar="N", help="override epochs")
    train.add_argument(
        "--samples",
        type=positive_int,
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
    experiments.add_training_flags(train)

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
        "digit, sure, reason, confidence, probabilities, network; for a number of two digits "
        "or more: image, number, sure, reason, network and digits, each with its box and the "
        "one-digit fields); images that cannot be read are reported on stderr and make the "
        "exit code 1",
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
    samples.add_parsers(commands)
    desktop.add_parser(commands)
    experiments.add_commands(commands, mnist_help)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = build_parser().parse_args(argv)
    if args.verbose:
        quiet.set_verbose()
    # Before any command imports TensorFlow: its start-up lines stay off stderr.
    quiet.install_import_hook()
    command = args.command or "gui"
    try:
        if command == "gui":
            from digitpad.gui.app import main as gui_main

            return gui_main(mnist=getattr(args, "mnist", None))
        handler = {
            "train": training.train,
            "use": training.use,
            "adapt": adapting.adapt,
            "evaluate": reading.evaluate,
            "predict": reading.predict,
            "info": info.info,
            "export-samples": samples.export_samples,
            "import-samples": samples.import_samples,
            "install-desktop": desktop.install_desktop,
            "runs": experiments.runs,
            "import-network": experiments.import_network,
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


if __name__ == "__main__":
    sys.exit(main())
