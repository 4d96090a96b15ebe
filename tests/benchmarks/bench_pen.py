"""How well the app reads real handwriting: pendigits replayed on the canvas.

Every pendigits digit is drawn on a 280x280 canvas with the canvas's own
renderer and default pen, prepared by ``to_mnist`` and read by the model;
the same digits shrunk naively (``plain_resize``) are scored for comparison.

    python tests/benchmarks/bench_pen.py                    # test split, cached model
    python tests/benchmarks/bench_pen.py --split both --model /tmp/pen_model.npz
    python tests/benchmarks/bench_pen.py --limit 500        # quick look
    python tests/benchmarks/bench_pen.py --sweep            # + robustness sweep (test)

With a calibration (the cached model's manifest, or ``<weights>.json`` beside
a weights ``.npz``) it also prints the "not sure" rate and the accuracy of
the confident rest. ``--sweep`` redraws the test digits with one thing
changed at a time (pen width 8-30 px, digit height 30-90 % of the paper,
slant +-20 degrees, digit pushed into each corner or the centre) and reports
each setting against the nominal figure.

Tune preprocessing on ``train`` only; ``test`` (14 other writers) is the
number to report.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from digitpad.drawing.mnist_format import plain_resize, to_mnist  # noqa: E402
from tests.benchmarks.pen_data import DEFAULT_PEN_WIDTH, canvases, pen_inputs  # noqa: E402

PredictBatch = Callable[[np.ndarray], np.ndarray]


def load_predict_batch(model: str) -> tuple[PredictBatch, str, Any]:
    """``predict_batch``, description and calibration (or ``None``) of a model.

    ``model`` is ``cached`` or an ``.npz`` of weights (w0, w1...), whose
    calibration, if any, is the ``.json`` beside it (``bench_recipe.py --save``).
    """
    import json

    from digitpad.net.calibration import Calibration
    from digitpad.net.inference import Predictor

    if model == "cached":
        predictor = Predictor.from_cache()
        manifest = predictor.manifest or {}
        described = (
            f"cached model ({manifest.get('recipe', {})}, created {manifest.get('created')})"
        )
        calibration = Calibration.from_manifest(manifest)
        return predictor.predict_batch, described, calibration if calibration.images else None
    from digitpad.net.lenet import lenet_from_weights

    with np.load(model, allow_pickle=False) as weights:
        arrays = [weights[f"w{i}"] for i in range(len(weights.files))]
    sidecar = Path(model).with_suffix(".json")
    calibration = None
    if sidecar.is_file():
        data = json.loads(sidecar.read_text())
        calibration = Calibration.from_manifest({"calibration": data})
    predictor = Predictor.from_model(lenet_from_weights(arrays))
    return predictor.predict_batch, f"weights {model}", calibration


def inputs(
    split: str, preprocess: Callable, limit: int | None, seed: int, pen_width: float
) -> tuple[np.ndarray, np.ndarray]:
    """The split's digits as 28x28 inputs (cached when the whole split is used)."""
    if limit is None:
        x, y, _ = pen_inputs(split, seed=seed, pen_width=pen_width, preprocess=preprocess)
        return x, y
    xs, ys = [], []
    for (canvas, label, _), _ in zip(canvases(split, seed, pen_width), range(limit), strict=False):
        out = preprocess(canvas)
        xs.append(np.zeros((28, 28), np.float32) if out is None else out)
        ys.append(label)
    return np.stack(xs), np.asarray(ys)


def evaluate(
    predict_batch: PredictBatch, x: np.ndarray, y: np.ndarray, calibration: Any = None
) -> dict:
    """Accuracy overall and per digit, the confusions (most frequent first), "not sure"."""
    probabilities = predict_batch(x)
    predicted = np.argmax(probabilities, axis=1)
    not_sure = confident = float("nan")
    if calibration is not None:
        sure = calibration.is_sure(probabilities)
        not_sure = float(1 - np.mean(sure))
        confident = float(np.mean(predicted[sure] == y[sure])) if sure.any() else 0.0
    per_digit = {d: float(np.mean(predicted[y == d] == d)) for d in range(10) if np.any(y == d)}
    confusions = Counter(
        (int(t), int(p)) for t, p in zip(y, predicted, strict=True) if t != p
    ).most_common()
    return {
        "accuracy": float(np.mean(predicted == y)),
        "per_digit": per_digit,
        "confusions": confusions,
        "count": len(y),
        "not_sure": not_sure,
        "confident_accuracy": confident,
    }


def report(split: str, result: dict, plain: dict, seconds: float) -> None:
    print(f"\n== pendigits-{split}: {result['count']} digits ({seconds:.0f} s)")
    print(f"to_mnist      accuracy {result['accuracy']:.2%}")
    if not np.isnan(result["not_sure"]):
        print(
            f'              "not sure" {result["not_sure"]:.2%}, confident rest '
            f"{result['confident_accuracy']:.2%} right"
        )
    print(f"plain_resize  accuracy {plain['accuracy']:.2%}")
    print("per digit     " + "  ".join(f"{d}:{a:.1%}" for d, a in result["per_digit"].items()))
    print("plain, digit  " + "  ".join(f"{d}:{a:.1%}" for d, a in plain["per_digit"].items()))
    print("top confusions (true -> read as: count):")
    for (true, read), count in result["confusions"][:10]:
        print(f"  {true} -> {read}: {count}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("test", "train", "both"), default="test")
    parser.add_argument("--limit", type=int, default=None, help="first N digits of each split")
    parser.add_argument(
        "--model", default="cached", help="'cached' (DIGITPAD_HOME's model) or a weights .npz"
    )
    parser.add_argument("--seed", type=int, default=0, help="placement seed")
    parser.add_argument("--pen-width", type=float, default=DEFAULT_PEN_WIDTH)
    parser.add_argument("--sweep", action="store_true", help="robustness sweep on test")
    args = parser.parse_args(argv)

    try:
        predict_batch, described, calibration = load_predict_batch(args.model)
    except Exception as exc:  # noqa: BLE001 - a benchmark reports and stops
        print(f"cannot load the model: {exc}", file=sys.stderr)
        return 2
    print(f"model: {described}")
    print(f"canvas 280x280, pen {args.pen_width:g} px, seed {args.seed}")
    splits = ("train", "test") if args.split == "both" else (args.split,)
    for split in splits:
        started = time.perf_counter()
        x, y = inputs(split, to_mnist, args.limit, args.seed, args.pen_width)
        result = evaluate(predict_batch, x, y, calibration)
        x_plain, y_plain = inputs(split, plain_resize, args.limit, args.seed, args.pen_width)
        plain = evaluate(predict_batch, x_plain, y_plain)
        report(split, result, plain, time.perf_counter() - started)
    if args.sweep:
        from tests.benchmarks.pen_sweep import SETTINGS, sweep_inputs

        x, y = inputs("test", to_mnist, args.limit, args.seed, args.pen_width)
        nominal = evaluate(predict_batch, x, y, calibration)
        started = time.perf_counter()
        rendered = sweep_inputs(args.limit, args.seed)
        print(f"\n== robustness sweep, pendigits-test ({time.perf_counter() - started:.0f} s)")
        print(
            f"{'setting':<26} {'right':>7} {'vs nominal':>10} {'not sure':>9} {'rest right':>10}"
        )
        rows = [("nominal (random place)", nominal)]
        rows += [
            (name, evaluate(predict_batch, *rendered[name], calibration)) for name in SETTINGS
        ]
        worst = 0.0
        for name, row in rows:
            delta = (row["accuracy"] - nominal["accuracy"]) * 100
            worst = min(worst, delta)
            print(
                f"{name:<26} {row['accuracy']:>7.2%} {delta:>+9.2f}p "
                f"{row['not_sure']:>9.2%} {row['confident_accuracy']:>10.2%}"
            )
        print(f"worst setting: {worst:+.2f} points against nominal (target >= -1.00)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
