"""Does test-time augmentation pay? Reading pendigits-test with and without it, one run.

For a network (weights ``.npz`` saved by ``bench_recipe.py --save``, with its
calibration ``.json`` beside it, or the cached model), reads the 14
pendigits-test writers

- once per drawing (what the app does now), and
- with :func:`digitpad.drawing.tta.tta_batch`: each drawing and its copies in
  one batched call, probabilities averaged,

and prints accuracy, the "not sure" rate and the accuracy of the confident
rest. With TTA the averaged probabilities are flatter than one reading, so
the temperature is also re-fitted on the recipe's held-out images read with
TTA (as the app would have to do if it adopted TTA); both are shown. Then
the cost: median wall time per drawing of one compiled call on one input
against ``tta_batch`` plus one call on the batch.

    nice -n 19 python tests/benchmarks/bench_tta.py --model /tmp/h13/exp/final.npz
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from digitpad.drawing.tta import VARIANTS, average, tta_batch  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
DEFAULT_MNIST = REPO.parent / "shared" / "data" / "mnist"


def figures(probabilities: np.ndarray, labels: np.ndarray, calibration: object) -> str:
    """Accuracy, "not sure" rate and confident accuracy as one line."""
    calibrated = calibration.apply(probabilities)
    right = calibrated.argmax(1) == labels
    sure = calibrated.max(1) >= calibration.threshold
    return (
        f"right {right.mean():.2%}   ? {1 - sure.mean():.2%}   "
        f"rest {right[sure].mean():.2%} right   (T {calibration.temperature:.3f})"
    )


def read_with_tta(predict_batch: object, x: np.ndarray, keep: list[int]) -> np.ndarray:
    """Averaged probabilities of each drawing's copies ``keep`` (indices into VARIANTS)."""
    copies = np.stack([tta_batch(image)[keep] for image in x])
    probabilities = predict_batch(copies.reshape(-1, 28, 28))
    return probabilities.reshape(len(x), len(keep), 10).mean(axis=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="cached", help="'cached' or a weights .npz")
    parser.add_argument("--mnist", default=os.environ.get("DIGITPAD_MNIST", str(DEFAULT_MNIST)))
    parser.add_argument("--timing", type=int, default=300, help="drawings timed one by one")
    args = parser.parse_args(argv)

    from digitpad.net.calibration import Calibration, calibrate
    from digitpad.net.inference import Predictor
    from digitpad.net.lenet import lenet_from_weights
    from digitpad.net.training import get_recipe, validation_images
    from digitpad.storage.mnist import load_mnist
    from tests.benchmarks.pen_data import pen_inputs

    if args.model == "cached":
        predictor = Predictor.from_cache()
        calibration = Calibration.from_manifest(predictor.manifest)
    else:
        with np.load(args.model, allow_pickle=False) as weights:
            arrays = [weights[f"w{i}"] for i in range(len(weights.files))]
        predictor = Predictor(lenet_from_weights(arrays))
        sidecar = Path(args.model).with_suffix(".json")
        calibration = Calibration.from_manifest({"calibration": json.loads(sidecar.read_text())})
    print(f"model {args.model}; calibration {calibration}")
    x, y, _ = pen_inputs("test")
    x_held, y_held, pen = validation_images(get_recipe("default"), load_mnist(args.mnist))
    x_held = x_held.astype(np.float32) / 255.0

    plain = predictor.predict_batch(x)
    held_plain = predictor.predict_batch(x_held)
    print(f"\n== held-out pen writers 28-30 ({int(pen.sum())} drawings): choose here")
    print(f"{'no TTA':<34} {figures(held_plain[pen], y_held[pen], calibration)}")
    print(f"\n== pendigits-test, {len(y)} drawings")
    print(f"{'no TTA':<34} {figures(plain, y, calibration)}")
    subsets = {
        f"TTA all {len(VARIANTS)}": list(range(len(VARIANTS))),
        "TTA identity + 4 shifts": [0, 1, 2, 3, 4],
        "TTA identity + 2 slants": [0, 5, 6],
        "TTA identity + thicker": [0, 7],
    }
    for name, keep in subsets.items():
        averaged = read_with_tta(predictor.predict_batch, x, keep)
        held = read_with_tta(predictor.predict_batch, x_held, keep)
        refit = calibrate(held, y_held, pen)
        print(f"{name + ', held-out, T refitted':<34} {figures(held[pen], y_held[pen], refit)}")
        print(f"{name + ', same T':<34} {figures(averaged, y, calibration)}")
        print(f"{name + ', T refitted on held-out':<34} {figures(averaged, y, refit)}")

    one, batch = [], []
    for image in x[: args.timing]:
        started = time.perf_counter()
        predictor.predict(image)
        one.append(time.perf_counter() - started)
        started = time.perf_counter()
        average(predictor.predict_batch(tta_batch(image)))
        batch.append(time.perf_counter() - started)
    started = time.perf_counter()
    for image in x[: args.timing]:
        tta_batch(image)
    making = (time.perf_counter() - started) / args.timing
    print(
        f"\ncost per drawing (median of {args.timing}): one read {np.median(one) * 1e3:.2f} ms, "
        f"TTA ({len(VARIANTS)} copies, one call) {np.median(batch) * 1e3:.2f} ms "
        f"(of which tta_batch {making * 1e3:.2f} ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
