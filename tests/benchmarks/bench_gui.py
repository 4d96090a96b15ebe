"""GUI benchmark: start-up, model ready, release -> bars, event-loop stalls, first launch, adapt.

A script, not a test. Each scenario runs in a fresh child process (so the
TensorFlow import is paid where a user pays it) that reports wall-clock
time stamps; the parent passes the moment it spawned the child.

    python tests/benchmarks/bench_gui.py [--home DIR] [--mnist DIR] [--releases 200]

``--home`` is a DIGITPAD_HOME holding a cached model (default: one is
trained quickly into a temp dir: the figures do not depend on its accuracy).
Targets (2-core machine): window shown <= 0.8 s after process start; model
ready <= 7 s; release -> bars p50 <= 20 ms, p99 <= 50 ms; longest event-loop
stall during training <= 100 ms; first launch: first "still learning"
prediction <= 20 s. Adapting to 50 drawings of a pendigits test writer
(Model > Adapt to My Handwriting, in a copy of ``--home``): longest
event-loop stall <= 100 ms, and the time from the menu to the personal
network in use.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_MNIST = REPO.parent / "shared" / "data" / "mnist"

TARGETS = {
    "shown_s": 0.8,
    "ready_s": 7.0,
    "release_p50_ms": 20.0,
    "release_p99_ms": 50.0,
    "stall_ms": 100.0,
    "first_prediction_s": 20.0,
    "adapt_stall_ms": 100.0,
    "adapt_s": 20.0,
}


# -- child side -------------------------------------------------------------------


def _report(key: str, value: float) -> None:
    print(f"BENCH {key} {value!r}", flush=True)


def _child(scenario: str, spawned: float, releases: int, stall_s: float) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from digitpad.gui.window import MainWindow
    from tests.benchmarks.gui_driving import (
        bench_digit,
        percentiles,
        press_and_move,
        release,
        release_latencies,
        stall_meter,
    )

    app = QApplication(sys.argv[:1])
    window = MainWindow()
    window.resize(860, 600)
    window.show()
    app.processEvents()
    _report("shown_s", time.time() - spawned)

    def wait(signal, timeout_s: float) -> bool:
        loop = QEventLoop()
        fired = []
        signal.connect(loop.quit)
        signal.connect(lambda *a: fired.append(1))
        QTimer.singleShot(int(timeout_s * 1000), loop.quit)
        loop.exec()
        signal.disconnect(loop.quit)
        return bool(fired)

    canvas = window.canvas

    if scenario == "cached":
        if not window.session.is_model_ready() and not wait(window.model_ready, 120):
            print(f"BENCH-ERROR model not ready: {window.status_text()}", flush=True)
            return 1
        _report("ready_s", time.time() - spawned)

        # Release -> bars updated.
        latencies = release_latencies(app, window, releases)
        p50, p99 = percentiles(latencies)
        _report("release_p50_ms", p50)
        _report("release_p99_ms", p99)
        _report("release_n", len(latencies))

        # Longest event-loop stall while training runs.
        lateness, timer = stall_meter()
        window.session.start_training()
        wait(window.trainingProgressed, 180)
        end = time.perf_counter() + stall_s
        while time.perf_counter() < end and window.session.is_training():
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
        timer.stop()
        _report("stall_ms", lateness["max"])
        _report("stall_ticks", lateness["ticks"])
        window.session.cancel_job()
    elif scenario == "adapt":
        if not window.session.is_model_ready() and not wait(window.model_ready, 120):
            print(f"BENCH-ERROR model not ready: {window.status_text()}", flush=True)
            return 1
        from PySide6.QtWidgets import QMessageBox

        from digitpad.storage.samples import SampleStore
        from tests.benchmarks.bench_adapt import split_writer
        from tests.benchmarks.pen_data import pen_inputs

        # The report would wait for a click: answered at once.
        QMessageBox.exec = lambda box: QMessageBox.StandardButton.Ok
        x, y, writers = pen_inputs("test")
        mine = writers == 5
        corrections, _test = split_writer(y[mine])
        store = SampleStore()
        for x28, label in zip(x[mine][corrections], y[mine][corrections], strict=True):
            store.add(x28, int(label))
        lateness, timer = stall_meter()
        started = time.perf_counter()
        window.session.start_adapting()
        deadline = started + 180
        while time.perf_counter() < deadline and (
            window.session.is_adapting() or window.session.network_name() != "personal"
        ):
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
        timer.stop()
        if window.session.network_name() == "personal":
            _report("adapt_s", time.perf_counter() - started)
        else:
            print(f"BENCH-ERROR not adopted: {window.status_text()}", flush=True)
        _report("adapt_stall_ms", lateness["max"])
        _report("adapt_ticks", lateness["ticks"])
    elif scenario == "first":
        points = bench_digit(0.0)
        press_and_move(canvas, points)
        release(canvas, points[-1])
        shown: list[str] = []
        window.predictionShown.connect(lambda: shown.append(window.session.state.value))
        deadline = time.monotonic() + 180
        while "learning" not in shown and time.monotonic() < deadline:
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
        if "learning" in shown:
            _report("first_prediction_s", time.time() - spawned)
        else:
            print(f"BENCH-ERROR no prediction: {window.status_text()}", flush=True)
        window.session.cancel_job()
    t0 = time.perf_counter()
    window.close()
    _report("close_s", time.perf_counter() - t0)
    return 0


# -- parent side ------------------------------------------------------------------


def _run_child(scenario: str, env: dict[str, str], args: argparse.Namespace) -> dict[str, float]:
    command = [
        sys.executable,
        __file__,
        "--child",
        scenario,
        "--releases",
        str(args.releases),
        "--stall-seconds",
        str(args.stall_seconds),
    ]
    spawned = time.time()
    command += ["--spawned", repr(spawned)]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    figures = {}
    for line in result.stdout.splitlines():
        if line.startswith("BENCH "):
            _, key, value = line.split(" ", 2)
            figures[key] = float(value)
        elif line.startswith("BENCH-ERROR"):
            print(line, file=sys.stderr)
    if result.returncode != 0:
        print(result.stdout[-2000:], result.stderr[-4000:], file=sys.stderr)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", help="DIGITPAD_HOME with a cached model")
    parser.add_argument("--mnist", default=os.environ.get("DIGITPAD_MNIST") or str(DEFAULT_MNIST))
    parser.add_argument("--releases", type=int, default=200)
    parser.add_argument("--stall-seconds", type=float, default=20.0)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--spawned", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(REPO))
        return _child(args.child, args.spawned, args.releases, args.stall_seconds)

    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "DIGITPAD_MNIST": args.mnist,
        "PYTHONPATH": str(REPO),
    }
    for var in ("DIGITPAD_TRAIN_SAMPLES", "DIGITPAD_EPOCHS", "DIGITPAD_RECIPE"):
        env.pop(var, None)
    with tempfile.TemporaryDirectory(prefix="bench-gui-") as scratch:
        home = args.home
        if home is None:
            home = str(Path(scratch) / "cached")
            print("training a small model for the cached-start scenarios…", flush=True)
            subprocess.run(
                [sys.executable, "-m", "digitpad", "train", "--samples", "12000", "--epochs", "2"],
                env={**env, "DIGITPAD_HOME": home},
                check=True,
                capture_output=True,
            )
        figures = _run_child("cached", {**env, "DIGITPAD_HOME": home}, args)
        # Adapting writes samples and a personal network: in a copy of the home.
        adapt_home = Path(scratch) / "adapt"
        shutil.copytree(home, adapt_home, ignore=shutil.ignore_patterns("samples", "personal*"))
        (adapt_home / "data" / "models" / "active.json").unlink(missing_ok=True)
        figures.update(_run_child("adapt", {**env, "DIGITPAD_HOME": str(adapt_home)}, args))
        first_home = str(Path(scratch) / "first")
        figures.update(_run_child("first", {**env, "DIGITPAD_HOME": first_home}, args))

    if args.json:
        print(json.dumps(figures, indent=2))
    print(f"{'measure':<32}{'value':>10}{'target':>10}")
    labels = {
        "shown_s": "window shown after start (s)",
        "ready_s": "model ready after start (s)",
        "release_p50_ms": "release -> bars p50 (ms)",
        "release_p99_ms": "release -> bars p99 (ms)",
        "stall_ms": "longest stall in training (ms)",
        "first_prediction_s": "first launch: 1st prediction (s)",
        "adapt_stall_ms": "longest stall adapting (ms)",
        "adapt_s": "adapt: menu -> personal in use (s)",
    }
    failed = False
    for key, label in labels.items():
        value = figures.get(key)
        target = TARGETS[key]
        mark = "" if value is not None and value <= target else "  <-- MISSED"
        failed |= bool(mark)
        shown = f"{value:10.3f}" if value is not None else f"{'n/a':>10}"
        print(f"{label:<32}{shown}{target:10.3f}{mark}")
    print(
        f"(releases measured: {int(figures.get('release_n', 0))}, "
        f"stall ticks: {int(figures.get('stall_ticks', 0))}, "
        f"adapting: {int(figures.get('adapt_ticks', 0))})"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
