"""Benchmark: adapting to a writer's handwriting, with the pendigits test writers as users.

Each of the 14 writers of UCI pendigits' *test* split (never trained on)
plays a user: their first 5 drawings of each digit (50) are their
corrections, the other ~200 their test. For each writer the base network is
adapted (:func:`digitpad.net.adaptation.adapt`: 20 % of the 50 held back, fine-tune
on the rest with MNIST replay, adopt-or-refuse) and the network the app
would then use (the adapted one if adopted, else the base) reads the test
drawings. Also printed: the "not sure" rate with each network's calibrated
threshold and the accuracy of the confident rest.

Run it with a cached default model and MNIST::

    DIGITPAD_HOME=<home with a model> python tests/benchmarks/bench_adapt.py \
        --mnist ../shared/data/mnist [--writers 5 13]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.benchmarks.pen_data import pen_inputs  # noqa: E402

CORRECTIONS_PER_DIGIT = 5


def split_writer(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indices of a writer's corrections (first 5 of each digit) and test drawings."""
    corrections = np.concatenate(
        [np.nonzero(y == digit)[0][:CORRECTIONS_PER_DIGIT] for digit in range(10)]
    )
    test = np.setdiff1d(np.arange(len(y)), corrections)
    return np.sort(corrections), test


def main() -> int:
    """Adapt to each test writer; print per-writer and mean figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mnist", default=str(REPO_ROOT.parent / "shared" / "data" / "mnist"))
    parser.add_argument("--writers", type=int, nargs="*", help="only these writers")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="change an AdaptSettings field (e.g. steps=200); repeatable",
    )
    parser.add_argument("--dump", help="save the pooled test probabilities (file prefix)")
    parser.add_argument(
        "--no-shape-check",
        dest="shape_check",
        action="store_false",
        help="skip the not-one-digit check (it renders every test canvas, ~15 s)",
    )
    args = parser.parse_args()

    import dataclasses

    from digitpad.net import saved_models
    from digitpad.net.adaptation import AdaptSettings, ReplaySet, adapt
    from digitpad.net.calibration import THRESHOLD, Calibration
    from digitpad.net.inference import Predictor
    from digitpad.net.lenet import lenet_from_weights
    from digitpad.storage.mnist import load_mnist

    x, y, writers = pen_inputs("test")
    mnist = load_mnist(args.mnist)
    loaded = saved_models.load()
    base_weights = loaded.model.get_weights()
    base_calibration = Calibration.from_manifest(loaded.manifest)
    base_predictor = Predictor.from_model(loaded.model)
    settings = AdaptSettings()
    for change in args.set:
        key, _, value = change.partition("=")
        kind = type(getattr(settings, key))
        settings = dataclasses.replace(
            settings, **{key: value == "True" if kind is bool else kind(value)}
        )
    print(f"settings: {settings}")
    started = time.perf_counter()
    replay = ReplaySet.from_recipe(mnist)
    print(f"replay set: {len(replay.y)} images, loaded in {time.perf_counter() - started:.1f} s")
    print(
        f"base: MNIST test {loaded.manifest['test_accuracy']:.2%}, calibration {base_calibration}"
    )
    flagged = not_one_digit_flags(args.shape_check)
    print(
        f"{'writer':>6} {'before':>8} {'after':>8} {'adopted':>8} {'fit s':>6} {'total s':>8} "
        f"{'MNIST adapted':>13} {'held-out before/after':>22}"
    )
    rows = []
    pooled: dict[str, list[np.ndarray]] = {"base": [], "used": [], "labels": [], "flags": []}
    for writer in args.writers or sorted(set(writers.tolist())):
        mine = np.nonzero(writers == writer)[0]
        corrections, test = split_writer(y[mine])
        x_test, y_test = x[mine][test], y[mine][test]
        result = adapt(
            base_weights,
            x[mine][corrections],
            y[mine][corrections],
            mnist,
            replay=replay,
            base_mnist_accuracy=float(loaded.manifest["test_accuracy"]),
            settings=settings,
        )
        before = base_calibration.apply(base_predictor.predict_batch(x_test))
        if result.decision.adopt:
            adapted = Predictor.from_model(lenet_from_weights(result.weights))
            used = result.calibration.apply(adapted.predict_batch(x_test))
            mnist_in_use = result.after.mnist_accuracy
        else:
            used, mnist_in_use = before, result.before.mnist_accuracy
        pooled["base"].append(before)
        pooled["used"].append(used)
        pooled["labels"].append(y_test)
        pooled["flags"].append(flagged[mine][test])
        acc_before = float(np.mean(before.argmax(1) == y_test))
        acc_after = float(np.mean(used.argmax(1) == y_test))
        rows.append((acc_before, acc_after, result.seconds, mnist_in_use, result.decision.adopt))
        print(
            f"{writer:>6} {acc_before:>8.2%} {acc_after:>8.2%} "
            f"{'yes' if result.decision.adopt else 'no':>8} {result.fit_seconds:>6.1f} "
            f"{result.seconds:>8.1f} {result.after.mnist_accuracy:>13.2%} "
            f"{result.before.user_accuracy:>10.0%} / {result.after.user_accuracy:.0%}",
            flush=True,
        )
    table = np.array([row[:4] for row in rows], dtype=np.float64)
    base_mnist = float(loaded.manifest["test_accuracy"])
    print("-" * 84)
    print(
        f"{'mean':>6} {table[:, 0].mean():>8.2%} {table[:, 1].mean():>8.2%} "
        f"{sum(row[4] for row in rows):>5}/{len(rows):<2} {'':>6} {table[:, 2].mean():>8.1f}"
    )
    print(
        f"mean per-writer accuracy after adapting: {table[:, 1].mean():.2%} (target >= 99%); "
        f"before: {table[:, 0].mean():.2%}"
    )
    print(f"slowest adaptation (everything): {table[:, 2].max():.1f} s (target <= 15 s)")
    print(
        f"MNIST test in use after adapting: worst {table[:, 3].min():.2%}, base {base_mnist:.2%}: "
        f"drop {(base_mnist - table[:, 3].min()) * 100:.2f} pts (target <= 0.3)"
    )
    labels = np.concatenate(pooled["labels"])
    flags = np.concatenate(pooled["flags"])
    print(f"not one digit (shape check) on these real digits: {flags.mean():.2%}")
    for name, key in (("base network", "base"), ("after adapting", "used")):
        probs = np.concatenate(pooled[key])
        unsure = probs.max(1) < THRESHOLD
        not_sure = unsure | flags
        sure = ~not_sure
        confident = float(np.mean(probs.argmax(1)[sure] == labels[sure]))
        print(
            f'"?" ({name}): {not_sure.mean():.2%} of {len(labels)} test drawings '
            f"(calibrated p < {THRESHOLD}: {unsure.mean():.2%}); confident rest "
            f"{confident:.2%} right (targets <= 3%, >= 99.5%)"
        )
        if args.dump:
            np.savez(f"{args.dump}-{key}.npz", labels=labels, probs=probs, flags=flags)
    return 0


def not_one_digit_flags(enabled: bool) -> np.ndarray:
    """The shape check's verdict on every pendigits-test canvas (False = one digit)."""
    from digitpad.drawing.shape_check import check_one_digit
    from tests.benchmarks.pen_data import canvases

    if not enabled:
        return np.zeros(len(pen_inputs("test")[1]), bool)
    return np.array([not check_one_digit(canvas).one_digit for canvas, _, _ in canvases("test")])


if __name__ == "__main__":
    raise SystemExit(main())
