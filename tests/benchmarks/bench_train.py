"""Train the ``seed`` and ``default`` recipes on full MNIST in one run; compare.

Not part of the test run (minutes of CPU). Usage::

    python tests/benchmarks/bench_train.py [--mnist PATH] [--recipes seed,default,previous]

Prints, for each recipe: fit wall seconds, test accuracy, test loss, peak RSS
during training, and the first-launch figures: seconds to render the pen
digits with an empty cache, and seconds from the start of training to a
calibrated model (rendering, fit, test, calibration); then the ratios of fit
wall time. Each recipe trains in its own subprocess, with its own empty
cache, so that peak RSS and the render time are that recipe's alone.
``previous`` is the ``default`` recipe as it was before pen repeats
(:data:`PREVIOUS_DEFAULT`), to compare against in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_MNIST = REPO.parent / "shared" / "data" / "mnist"


#: What changed in ``default`` for strangers' pen digits: undone, it is the previous one.
PREVIOUS_DEFAULT = {"pen_repeats": 1, "mnist_per_epoch": None}


def run_one(recipe: str, mnist: str, save: str | None) -> dict:
    """Train one recipe in a fresh process, with an empty cache, and return its figures."""
    name, overrides = ("default", PREVIOUS_DEFAULT) if recipe == "previous" else (recipe, {})
    code = f"""
import dataclasses, json, resource, sys, time
import numpy as np
from PySide6.QtGui import QGuiApplication
app = QGuiApplication([])
from digitpad.storage.mnist import load_mnist
from digitpad.net.training import get_recipe, train, training_images
mnist = load_mnist({mnist!r})
recipe = dataclasses.replace(get_recipe({name!r}), **{overrides!r})
started = time.perf_counter()
if recipe.pen_digits:
    from digitpad.net.pen_training_set import pen_training_set
    pen_training_set(recipe.seed)
render_seconds = time.perf_counter() - started
result = train(recipe, mnist)
launch_seconds = time.perf_counter() - started
save = {save!r}
if save:
    np.savez(save, *result.model.get_weights())
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print("RESULT " + json.dumps({{
    "recipe": {recipe!r},
    "fit_seconds": result.fit_seconds,
    "test_accuracy": result.test_accuracy,
    "test_loss": result.test_loss,
    "peak_rss_mb": peak_kb / 1024,
    "render_seconds": render_seconds,
    "launch_seconds": launch_seconds,
}}))
"""
    with tempfile.TemporaryDirectory(prefix="bench-train-") as home:
        env = {
            **os.environ,
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "PYTHONPATH": str(REPO),
            "DIGITPAD_HOME": home,
            "QT_QPA_PLATFORM": "offscreen",
        }
        proc = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
        )
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT ") :])
    sys.stderr.write(proc.stderr[-3000:])
    raise SystemExit(f"training {recipe} failed (exit {proc.returncode})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mnist", default=os.environ.get("DIGITPAD_MNIST", str(DEFAULT_MNIST)))
    parser.add_argument("--recipes", default="seed,default")
    parser.add_argument("--save-dir", default=None, help="keep each recipe's weights here")
    args = parser.parse_args()
    rows = []
    for recipe in args.recipes.split(","):
        save = str(Path(args.save_dir) / f"{recipe}.npz") if args.save_dir else None
        row = run_one(recipe, args.mnist, save)
        row["recipe"] = recipe
        rows.append(row)
        print(
            f"{row['recipe']:>8}: fit {row['fit_seconds']:7.1f} s   "
            f"test accuracy {row['test_accuracy']:.4f}   test loss {row['test_loss']:.4f}   "
            f"peak RSS {row['peak_rss_mb']:6.0f} MB   first launch: render "
            f"{row['render_seconds']:5.1f} s, to a calibrated model "
            f"{row['launch_seconds']:6.1f} s",
            flush=True,
        )
    # A recipe named twice (--recipes previous,default,previous,default) is
    # timed twice, interleaved; the fastest run of each counts, the least
    # disturbed by whatever else the machine was doing.
    best: dict[str, dict[str, float]] = {}
    for row in rows:
        for key in ("fit_seconds", "launch_seconds"):
            kept = best.setdefault(row["recipe"], {})
            kept[key] = min(kept.get(key, float("inf")), row[key])
    for a, b in (("default", "seed"), ("default", "previous"), ("previous", "seed")):
        if a in best and b in best:
            ratio = best[a]["fit_seconds"] / best[b]["fit_seconds"]
            launch = best[a]["launch_seconds"] / best[b]["launch_seconds"]
            print(f"{a}/{b}: fit wall time {ratio:.2f}x, first launch {launch:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
