"""Benchmark: release -> bars + network view painted; training with the chart vs without.

A script, not a test. Needs a DIGITPAD_HOME with a cached model (``--home``)
and MNIST (DIGITPAD_MNIST or ``--mnist``).

    python tests/benchmarks/bench_network_view.py --home DIR [--releases 200]
        [--train-samples 3000] [--epochs 1] [--repeats 2]

1. With the network view open, each mouse release is timed until the bars
   are updated (``predictionShown``, which comes after the view received
   the same call's layers) and the network view has been repainted
   (``repaint()``, synchronous). Target p99 <= 60 ms.
2. The same small training runs alternately with the training chart hidden
   and visible (ABAB…, same process, same data); fit time is compared.
   Target: visible <= 5% slower.
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", help="DIGITPAD_HOME with a cached model")
    parser.add_argument("--mnist", default=os.environ.get("DIGITPAD_MNIST"))
    parser.add_argument("--releases", type=int, default=200)
    parser.add_argument("--train-samples", default="3000")
    parser.add_argument("--epochs", default="1")
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    if args.home:
        os.environ["DIGITPAD_HOME"] = args.home
    if args.mnist:
        os.environ["DIGITPAD_MNIST"] = args.mnist

    from PySide6.QtCore import QEventLoop

    from tests.benchmarks.gui_driving import percentiles, release_latencies, start_window

    app, window = start_window()
    window.show_network_view()
    app.processEvents()
    canvas, view = window.canvas, window.network_view

    def paint() -> None:
        if not view.has_layers():
            raise RuntimeError("network view not updated")
        view.repaint()

    latencies = release_latencies(app, window, args.releases, paint)
    # The view's own share: building its images and painting, per drawing.
    layers = window._layers
    costs = []
    for _ in range(200):
        t0 = time.perf_counter()
        view.set_layers(layers)
        view.repaint()
        costs.append((time.perf_counter() - t0) * 1000)
    costs.sort()
    print(f"network view set_layers + repaint: p50 {costs[100]:.2f} ms, p99 {costs[197]:.2f} ms")
    p50, p99 = percentiles(latencies)
    print(
        f"release -> bars + network view painted: p50 {p50:.1f} ms, p99 {p99:.1f} ms "
        f"(n={len(latencies)}, target p99 <= 60 ms)",
        flush=True,
    )

    # Training with the chart hidden vs visible, alternating.
    window.show_network_view(False)
    canvas.clear()
    os.environ["DIGITPAD_TRAIN_SAMPLES"] = args.train_samples
    os.environ["DIGITPAD_EPOCHS"] = args.epochs
    fit_seconds: dict[bool, list[float]] = {False: [], True: []}
    redraws: dict[bool, int] = {False: 0, True: 0}
    order = [False, True] * args.repeats
    for visible in order:
        window.show_training_chart(visible)
        app.processEvents()
        before = window.training_chart.redraws if window.training_chart is not None else 0
        started = time.perf_counter()
        window.session.start_training()
        previous = window.session.manifest()
        while window.session.is_training():
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
        total = time.perf_counter() - started
        # The new model (and its manifest) is swapped in just after training ends.
        end = time.monotonic() + 30
        while window.session.manifest() == previous and time.monotonic() < end:
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
        manifest = window.session.manifest() or {}
        fit = float(manifest.get("fit_seconds", total))
        fit_seconds[visible].append(fit)
        after = window.training_chart.redraws if window.training_chart is not None else 0
        redraws[visible] += after - before
        print(
            f"chart {'visible' if visible else 'hidden '}: fit {fit:.2f} s "
            f"(run incl. load/test/save {total:.2f} s), redraws {after - before}",
            flush=True,
        )
    chart = window.training_chart
    window.show_training_chart(True)
    app.processEvents()
    t0 = time.perf_counter()
    for _ in range(50):
        chart.redraw_now()
        chart.repaint()
    per_redraw = (time.perf_counter() - t0) / 50 * 1000
    rate = redraws[True] / max(1e-9, sum(fit_seconds[True]))
    print(
        f"one chart redraw + paint ({len(window.session.history.batch_x)} batch points): "
        f"{per_redraw:.2f} ms; {rate:.1f} redraws/s while training -> "
        f"{per_redraw * rate / 10:.2f}% of one core"
    )
    hidden = min(fit_seconds[False])
    shown_fit = min(fit_seconds[True])
    overhead = (shown_fit / hidden - 1) * 100
    print(
        f"training fit, best of {args.repeats}: hidden {hidden:.2f} s, visible "
        f"{shown_fit:.2f} s -> overhead {overhead:+.1f}% (target <= 5%)"
    )
    mean_hidden = sum(fit_seconds[False]) / len(fit_seconds[False])
    mean_shown = sum(fit_seconds[True]) / len(fit_seconds[True])
    print(
        f"  means: hidden {mean_hidden:.2f} s, visible {mean_shown:.2f} s "
        f"-> {(mean_shown / mean_hidden - 1) * 100:+.1f}%"
    )
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
