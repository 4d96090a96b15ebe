"""How well the app reads real handwriting: pendigits replayed on the canvas.

Every pendigits digit is drawn on a 280x280 canvas with the canvas's own
renderer and default pen, prepared by ``to_mnist`` and read by the model;
the same digits shrunk naively (``plain_resize``) are scored for comparison.

    python tests/benchmarks/bench_pen.py                    # test split, cached model
    python tests/benchmarks/bench_pen.py --split both --model /tmp/pen_model.npz
    python tests/benchmarks/bench_pen.py --limit 500        # quick look

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

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from digitpad.drawing.mnist_format import plain_resize, to_mnist  # noqa: E402
from tests.benchmarks.pen_data import DEFAULT_PEN_WIDTH, canvases, pen_inputs  # noqa: E402

PredictBatch = Callable[[np.ndarray], np.ndarray]


def load_predict_batch(model: str) -> tuple[PredictBatch, str]:
    """``predict_batch`` of the cached model or of an ``.npz`` of weights (w0, w1...)."""
    from digitpad.net.inference import Predictor

    if model == "cached":
        predictor = Predictor.from_cache()
        manifest = predictor.manifest or {}
        described = (
            f"cached model ({manifest.get('recipe', {})}, created {manifest.get('created')})"
        )
        return predictor.predict_batch, described
    from digitpad.net.lenet import lenet_from_weights

    with np.load(model, allow_pickle=False) as weights:
        arrays = [weights[f"w{i}"] for i in range(len(weights.files))]
    return Predictor.from_model(lenet_from_weights(arrays)).predict_batch, f"weights {model}"


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


def evaluate(predict_batch: PredictBatch, x: np.ndarray, y: np.ndarray) -> dict:
    """Accuracy overall and per digit, and the confusions, most frequent first."""
    predicted = np.argmax(predict_batch(x), axis=1)
    per_digit = {d: float(np.mean(predicted[y == d] == d)) for d in range(10) if np.any(y == d)}
    confusions = Counter(
        (int(t), int(p)) for t, p in zip(y, predicted, strict=True) if t != p
    ).most_common()
    return {
        "accuracy": float(np.mean(predicted == y)),
        "per_digit": per_digit,
        "confusions": confusions,
        "count": len(y),
    }


def report(split: str, result: dict, plain: dict, seconds: float) -> None:
    print(f"\n== pendigits-{split}: {result['count']} digits ({seconds:.0f} s)")
    print(f"to_mnist      accuracy {result['accuracy']:.2%}")
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
    args = parser.parse_args(argv)

    try:
        predict_batch, described = load_predict_batch(args.model)
    except Exception as exc:  # noqa: BLE001 - a benchmark reports and stops
        print(f"cannot load the model: {exc}", file=sys.stderr)
        return 2
    print(f"model: {described}")
    print(f"canvas 280x280, pen {args.pen_width:g} px, seed {args.seed}")
    splits = ("train", "test") if args.split == "both" else (args.split,)
    for split in splits:
        started = time.perf_counter()
        x, y = inputs(split, to_mnist, args.limit, args.seed, args.pen_width)
        result = evaluate(predict_batch, x, y)
        x_plain, y_plain = inputs(split, plain_resize, args.limit, args.seed, args.pen_width)
        plain = evaluate(predict_batch, x_plain, y_plain)
        report(split, result, plain, time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
