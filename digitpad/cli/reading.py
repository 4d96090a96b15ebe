"""``digitpad predict`` and ``digitpad evaluate``: read images, test on MNIST."""

from __future__ import annotations

import argparse
import json
import sys

from digitpad.cli.common import (
    EXIT_FAILURE,
    EXIT_OK,
    load_mnist,
    load_model,
    printable,
)


def evaluate(args: argparse.Namespace) -> int:
    """``digitpad evaluate``."""
    loaded = load_model()
    mnist = load_mnist(args.mnist)
    from digitpad.net.inference import evaluate

    loss, accuracy = evaluate(loaded.model, mnist.x_test, mnist.y_test)
    print(f"test loss: {loss:.4f}")
    print(f"test accuracy: {accuracy:.4f}")
    return EXIT_OK


def predict(args: argparse.Namespace) -> int:
    """``digitpad predict``: every image is read; unreadable ones make the exit code 1."""
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
    loaded = load_model()
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
