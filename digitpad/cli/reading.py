"""``digitpad predict`` and ``digitpad evaluate``: read images, test on MNIST."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

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
    """``digitpad predict``: every image is read; unreadable ones make the exit code 1.

    An image may hold a number: its digits are found by segmentation and read
    in one batched call, as in the window.
    """
    from digitpad.drawing.images import ImageError, load_ink
    from digitpad.drawing.number_input import Drawing, prepare

    names, prepared = [], []
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
        number = prepare(Drawing(image=ink))
        if number is None:
            print(f"digitpad: {shown}: no digit found (the image is blank)", file=sys.stderr)
            failed += 1
            continue
        names.append(shown)
        prepared.append(number)
    if not prepared:
        return EXIT_FAILURE
    loaded = load_model()
    from digitpad.net.calibration import Calibration
    from digitpad.net.inference import Predictor

    calibration = Calibration.from_manifest(loaded.manifest)
    predictor = Predictor(loaded.model, batch_only=True)
    for name, number in zip(names, prepared, strict=True):
        result = read_number(number, predictor, calibration)
        result = {"image": name, **result, "network": loaded.name}
        if args.json:
            print(json.dumps(result))
            continue
        _print_reading(name, result)
    return EXIT_FAILURE if failed else EXIT_OK


def read_number(number: Any, predictor: Any, calibration: Any) -> dict[str, Any]:
    """The JSON fields of one image's reading (one digit: today's fields; more: + number)."""
    import numpy as np

    from digitpad.net.calibration import reading

    raw = predictor.predict_batch(number.inputs)
    digits = number.digits(raw)
    entries = []
    for digit in digits:
        p = calibration.apply(raw[digit.piece][None])[0]
        shown = reading(p, calibration, digit.not_a_digit)
        entries.append(
            {
                "box": [round(v, 1) for v in digit.box],
                "digit": int(np.argmax(p)) if shown.text != "?" else None,
                "sure": shown.sure,
                "reason": shown.reason,
                "confidence": round(float(np.max(p)), 6),
                "probabilities": [round(float(v), 6) for v in p],
            }
        )
    if len(entries) == 1:
        return {key: value for key, value in entries[0].items() if key != "box"}
    text = "".join("?" if e["digit"] is None else str(e["digit"]) for e in entries)
    return {
        "number": text,
        "sure": all(e["sure"] for e in entries),
        "reason": "; ".join(
            f"digit {i + 1}: {e['reason']}" for i, e in enumerate(entries) if e["reason"]
        ),
        "digits": entries,
    }


def _print_reading(name: str, result: dict[str, Any]) -> None:
    if "number" in result:
        marks = "" if result["sure"] else f" ({result['reason']})"
        print(f"{name}: {result['number']}{marks}")
        for i, entry in enumerate(result["digits"], start=1):
            shown = "?" if entry["digit"] is None else entry["digit"]
            print(f"  digit {i}: {shown} ({entry['confidence']:.1%})")
        return
    bars = "  ".join(f"{d}:{v:5.1%}" for d, v in enumerate(result["probabilities"]))
    if result["digit"] is None:
        print(f"{name}: ? ({result['reason']})")
    elif result["sure"]:
        print(f"{name}: {result['digit']} ({result['confidence']:.1%})")
    else:
        print(f"{name}: {result['digit']} ({result['reason']})")
    print(f"  {bars}")
