"""Train the ``seed`` and ``default`` recipes on full MNIST in one run; compare.

Not part of the test run (minutes of CPU). Usage::

    python tests/benchmarks/bench_train.py [--mnist PATH] [--recipes seed,default]

Prints, for each recipe: fit wall seconds, test accuracy, test loss, peak RSS
during training; then the default/seed ratio of fit wall time. Each recipe
trains in its own subprocess so that peak RSS is that recipe's alone.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_MNIST = REPO.parent / "shared" / "data" / "mnist"


def run_one(recipe: str, mnist: str, save: str | None) -> dict:
    """Train one recipe in a fresh process and return its figures."""
    code = f"""
import json, resource, sys
import numpy as np
from digitpad.storage.mnist import load_mnist
from digitpad.net.training import get_recipe, train
mnist = load_mnist({mnist!r})
result = train(get_recipe({recipe!r}), mnist)
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
}}))
"""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONPATH": str(REPO)}
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
        rows.append(row)
        print(
            f"{row['recipe']:>8}: fit {row['fit_seconds']:7.1f} s   "
            f"test accuracy {row['test_accuracy']:.4f}   test loss {row['test_loss']:.4f}   "
            f"peak RSS {row['peak_rss_mb']:6.0f} MB",
            flush=True,
        )
    by_name = {row["recipe"]: row for row in rows}
    if "seed" in by_name and "default" in by_name:
        ratio = by_name["default"]["fit_seconds"] / by_name["seed"]["fit_seconds"]
        print(f"default/seed fit wall time: {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
