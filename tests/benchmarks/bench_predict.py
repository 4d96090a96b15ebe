"""Latency of one prediction: to_mnist, Predictor.predict, both, and model.predict.

    python tests/benchmarks/bench_predict.py [--calls 1000] [--keras-calls 50]

Uses the cached model when there is one (timing does not depend on the
weights), otherwise a freshly built, untrained LeNet; the output says which.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from digitpad.drawing.mnist_format import to_mnist  # noqa: E402
from tests.benchmarks.pen_data import canvases  # noqa: E402


def timings(function: Callable[[], object], calls: int) -> np.ndarray:
    """Seconds taken by each of ``calls`` calls."""
    spent = np.empty(calls)
    for i in range(calls):
        started = time.perf_counter()
        function()
        spent[i] = time.perf_counter() - started
    return spent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--keras-calls", type=int, default=50)
    args = parser.parse_args(argv)
    if args.calls < 1 or args.keras_calls < 1:
        parser.error("--calls and --keras-calls must be positive")

    from digitpad.net.inference import Predictor
    from digitpad.net.lenet import build_lenet
    from digitpad.storage.model_store import StoreError

    try:
        predictor = Predictor.from_cache()
        which = "cached model"
    except StoreError as exc:
        predictor = Predictor.from_model(build_lenet())
        which = f"untrained LeNet (no usable cached model: {exc})"
    model = predictor.model

    canvas, label, _ = next(canvases("test"))
    x28 = to_mnist(canvas)
    batch = x28[None, ..., None]
    model.predict(batch, verbose=0)  # Keras builds its predict function once

    rows = [
        ("to_mnist (280x280)", timings(lambda: to_mnist(canvas), args.calls)),
        ("Predictor.predict", timings(lambda: predictor.predict(x28), args.calls)),
        (
            "to_mnist + predict",
            timings(lambda: predictor.predict(to_mnist(canvas)), args.calls),
        ),
        ("model.predict", timings(lambda: model.predict(batch, verbose=0), args.keras_calls)),
    ]
    print(f"model: {which}; input: a pendigits-test '{label}' on a 280x280 canvas")
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}")
    print(f"{'':22} {'calls':>6} {'p50 ms':>8} {'p99 ms':>8}")
    for name, spent in rows:
        p50, p99 = np.percentile(spent, [50, 99]) * 1e3
        print(f"{name:22} {len(spent):6d} {p50:8.3f} {p99:8.3f}")
    fast = np.percentile(rows[1][1], 50)
    slow = np.percentile(rows[3][1], 50)
    print(f"model.predict / Predictor.predict (p50): {slow / fast:.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
