"""Experiment like the article: the figures the issue sets targets for.

* Try Learning Rates: a ladder of 4 rates on 6,000 images, 1 epoch each,
  against one such run (a ladder of one: same process start, TensorFlow,
  MNIST, training, test, run kept); target ladder <= 4x one run. Meanwhile
  the window (with the ladder dialog's live chart) never stalls > 50 ms.
* Runs: 10 overlaid curves of the article's recipe (3,750 batches each)
  redrawn (set + paint) in <= 50 ms.
* Open Network: importing a ``.keras`` of the article's model (weights read,
  network built, MNIST's 10,000 test images read) in <= 5 s.

Run with a trained home (it is copied, never changed)::

    DIGITPAD_HOME=/tmp/h16 DIGITPAD_MNIST=../shared/data/mnist \\
        python tests/benchmarks/bench_experiments.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "tests"))

import numpy as np  # noqa: E402
from PySide6.QtCore import QElapsedTimer, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


class StallMeter:
    """The longest gap beyond 10 ms between ticks of a 10 ms timer on the GUI thread."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.clock.start()
        self.last = 0
        self.gaps: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def tick(self) -> None:
        now = self.clock.nsecsElapsed() / 1e6
        self.gaps.append(now - self.last - 10)
        self.last = now

    def worst(self) -> float:
        return max(self.gaps[1:], default=0.0)


def wait(app: QApplication, done, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the benchmark timed out")
        app.processEvents()
        time.sleep(0.002)


def ladder(app: QApplication, controller, rates: tuple[float, ...], subset: int) -> float:
    from digitpad.net.lr_ladder import LadderPlan

    finished = []
    controller.ladderFinished.connect(finished.append)
    started = time.perf_counter()
    assert controller.start_ladder(LadderPlan(rates=rates, subset=subset))
    wait(app, lambda: bool(finished) and not controller.is_busy(), 1800)
    controller.ladderFinished.disconnect(finished.append)
    return time.perf_counter() - started


def bench_ladder(app: QApplication, subset: int) -> None:
    from digitpad.gui import MainWindow, experiments

    window = MainWindow()
    window.resize(860, 600)
    window.show()
    wait(app, window.session.is_model_ready, 300)
    experiments.install(window)
    controller = window.experiments
    controller.open_ladder()
    one = ladder(app, controller, (0.01,), subset)
    print(f"one run ({subset} images, 1 epoch, as a ladder of one): {one:.1f} s")
    stall = StallMeter()
    four = ladder(app, controller, (0.01, 0.003, 0.001, 0.0003), subset)
    stall.timer.stop()
    verdict = controller.ladder_dialog.verdict
    print(f"ladder of 4: {four:.1f} s = {four / one:.2f}x one run (target <= 4x)")
    print(
        f"  verdict: fastest {verdict.fastest}; "
        + "; ".join(f"{v.rate:g} {v.outcome}" for v in verdict.verdicts)
    )
    gaps = sorted(stall.gaps[1:])
    print(
        f"  GUI stalls during the ladder: worst {stall.worst():.0f} ms, "
        f"p99 {gaps[int(len(gaps) * 0.99)]:.0f} ms over {len(gaps)} ticks (target <= 50 ms)"
    )
    window.close()


def bench_redraw(app: QApplication) -> None:
    from digitpad.gui.training_chart import ComparisonChart
    from digitpad.gui.training_history import TrainingHistory

    chart = ComparisonChart()
    chart.resize(900, 300)
    chart.show()
    app.processEvents()
    rng = np.random.default_rng(0)
    runs = []
    for index in range(10):
        history = TrainingHistory()
        x = np.arange(1, 3751) / 1875
        loss = 0.05 + 2.2 * np.exp(-x * (3 + index)) * rng.uniform(0.7, 1.3, x.size)
        history.add_batches(zip(x, loss, 1 - loss / 2.5, strict=True))
        runs.append((f"run {index}", history))
    timings = []
    for attempt in range(7):
        chosen = runs if attempt % 2 == 0 else runs[::-1]  # new data each time
        started = time.perf_counter()
        chart.set_runs(chosen)
        chart.grab()
        timings.append((time.perf_counter() - started) * 1000)
    print(
        f"10 overlaid curves of 3,750 batches, set + paint: median "
        f"{statistics.median(timings[1:]):.1f} ms, worst {max(timings[1:]):.1f} ms "
        "(target <= 50 ms)"
    )
    chart.close()


def bench_import() -> None:
    from article_networks import article_model

    from digitpad.net.experiment_runs import import_network
    from digitpad.net.lenet import ARCHITECTURE_ID, weight_shapes
    from digitpad.storage.mnist import load_mnist
    from digitpad.storage.model_store import ModelStore

    weights, _ = ModelStore().load("base", architecture=ARCHITECTURE_ID, shapes=weight_shapes())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "article.keras"
        article_model(weights).save(path)
        mnist = load_mnist(None)
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            record = import_network(path, mnist)
            timings.append(time.perf_counter() - started)
    print(
        f"import-network .keras (read weights, build, MNIST test 10k, keep run): "
        f"{min(timings):.2f} s best, {timings[0]:.2f} s first; "
        f"{record.test_accuracy:.2%} on MNIST test (target <= 5 s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subset", type=int, default=6000)
    parser.add_argument("--skip-ladder", action="store_true")
    args = parser.parse_args()
    if not os.environ.get("DIGITPAD_HOME"):
        sys.exit("set DIGITPAD_HOME to a copy of a trained home")
    app = QApplication.instance() or QApplication([])
    bench_redraw(app)
    bench_import()
    if not args.skip_ladder:
        bench_ladder(app, args.subset)


if __name__ == "__main__":
    main()
