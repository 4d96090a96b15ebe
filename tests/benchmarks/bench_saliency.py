"""Benchmark: the saliency overlay's cost per drawing, on the worker and end to end.

A script, not a test. Needs a DIGITPAD_HOME with a cached model (``--home``).

    python tests/benchmarks/bench_saliency.py --home DIR [--releases 200]

Each mouse release is timed until the bars are updated, first with the
overlay off, then on (the same drawings). With it on, the inference worker
records what each saliency cost (gradient call + carrying the map back onto
the canvas + colouring), measured on its own thread.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def described(values: list[float]) -> str:
    """p50, p99 and count of ``values`` (ms) in words."""
    from tests.benchmarks.gui_driving import percentiles

    p50, p99 = percentiles(values)
    return f"p50 {p50:.1f} ms, p99 {p99:.1f} ms (n={len(values)})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", help="DIGITPAD_HOME with a cached model")
    parser.add_argument("--releases", type=int, default=200)
    args = parser.parse_args()
    if args.home:
        os.environ["DIGITPAD_HOME"] = args.home

    from PySide6.QtCore import QEventLoop

    from tests.benchmarks.gui_driving import release_latencies, start_window

    app, window = start_window()

    def run(releases: int) -> list[float]:
        return release_latencies(app, window, releases, window.canvas.repaint)

    off = run(args.releases)
    print(f"release -> bars, overlay off: {described(off)}", flush=True)
    window.show_saliency(True)
    deadline = time.monotonic() + 60
    while not window.is_saliency_ready() and time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    worker = window._inference
    worker.saliency_ms.clear()
    on = run(args.releases)
    print(f"release -> bars + overlay painted, overlay on: {described(on)}", flush=True)
    # Every saliency computed (releases and the throttled ones while drawing).
    print(
        f"saliency on the worker ({worker.saliency_thread[0]}): "
        f"{described(list(worker.saliency_ms))}",
        flush=True,
    )
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
