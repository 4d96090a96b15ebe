"""Start-up stalls: the GUI thread's longest event-loop gaps while TensorFlow loads.

A script, not a test. Each run is a fresh child process that starts the
real window (``MainWindow``, as ``digitpad.gui.app.main`` does) on a cached
model and records, with a 10 ms timer, the gaps between the event loop's
turns for the first seconds after ``show()``. Runs alternate between the
preload of TensorFlow's native libraries on (the default) and off
(``DIGITPAD_PRELOAD=0``, see ``digitpad.net.preload``).

    python tests/benchmarks/bench_startup_stall.py --home DIR [--runs 5] [--seconds 3]

``--home`` is a DIGITPAD_HOME holding a cached model; each child runs in a
fresh copy of it (the original is never written). Prints, per run, the
longest gap and the five longest, and for each variant the median and
worst of the runs' longest gaps.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TICK_MS = 10


def _child(seconds: float, spawned: float) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from digitpad.gui.window import MainWindow

    app = QApplication(sys.argv[:1])
    window = MainWindow()
    window.resize(1000, 640)
    window.show()
    shown = time.time() - spawned
    gaps: list[tuple[float, float]] = []  # (ms since show, gap ms)
    start = last = time.perf_counter()

    def tick() -> None:
        nonlocal last
        now = time.perf_counter()
        gaps.append(((now - start) * 1000.0, (now - last) * 1000.0))
        last = now

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    timer.start()
    while time.perf_counter() - start < seconds:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    timer.stop()
    # The load goes on after the window measured: wait for it before closing.
    deadline = time.monotonic() + 120
    while not window.session.is_model_ready() and time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    ready = window.session.is_model_ready()
    window.close()  # shuts the session down (waits for the worker)
    top = sorted(gaps, key=lambda g: g[1], reverse=True)[:5]
    print(
        "BENCH "
        + json.dumps(
            {
                "shown_s": shown,
                "ticks": len(gaps),
                "max_ms": top[0][1] if top else 0.0,
                "top": [[round(at), round(gap, 1)] for at, gap in top],
                "ready": ready,
            }
        ),
        flush=True,
    )
    return 0


def _run(home: Path, preload: bool, seconds: float, scratch: Path, index: int) -> dict:
    copy = scratch / f"home-{index}"
    shutil.copytree(home, copy, symlinks=True)
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "DIGITPAD_HOME": str(copy),
        "DIGITPAD_PRELOAD": "1" if preload else "0",
        "PYTHONPATH": str(REPO),
    }
    command = [sys.executable, __file__, "--child", "--seconds", str(seconds)]
    command += ["--spawned", repr(time.time())]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    shutil.rmtree(copy, ignore_errors=True)
    for line in result.stdout.splitlines():
        if line.startswith("BENCH "):
            return json.loads(line[len("BENCH ") :])
    print(result.stdout[-2000:], result.stderr[-4000:], file=sys.stderr)
    raise SystemExit(f"run {index} reported nothing (exit {result.returncode})")


def _name(preload: bool) -> str:
    return "on " if preload else "off"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", help="DIGITPAD_HOME with a cached model (copied per run)")
    parser.add_argument("--runs", type=int, default=5, help="runs per variant")
    parser.add_argument("--seconds", type=float, default=3.0, help="measured after show()")
    parser.add_argument("--only", choices=("on", "off"), help="one variant only")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--spawned", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(REPO))
        return _child(args.seconds, args.spawned)
    if not args.home:
        parser.error("--home is required (a DIGITPAD_HOME with a cached model)")

    variants = [
        v for v in (False, True) if args.only is None or args.only == ("on" if v else "off")
    ]
    results: dict[bool, list[dict]] = {v: [] for v in variants}
    with tempfile.TemporaryDirectory(prefix="bench-startup-stall-") as scratch:
        index = 0
        for _ in range(args.runs):
            for preload in variants:  # interleaved: drift in the machine hits both
                figures = _run(Path(args.home), preload, args.seconds, Path(scratch), index)
                index += 1
                results[preload].append(figures)
                top = ", ".join(f"{gap:.0f}@{at}" for at, gap in figures["top"])
                late = "" if figures["ready"] else "  NOT READY"
                print(
                    f"preload {_name(preload)}: max {figures['max_ms']:6.0f} ms"
                    f"  top5 (ms@ms after show) {top}"
                    f"  shown {figures['shown_s']:.2f} s{late}",
                    flush=True,
                )
    print()
    for preload in variants:
        maxima = [r["max_ms"] for r in results[preload]]
        shown = [r["shown_s"] for r in results[preload]]
        print(
            f"preload {_name(preload)}: longest gap median {statistics.median(maxima):.0f} ms,"
            f" worst {max(maxima):.0f} ms over {len(maxima)} runs;"
            f" window shown median {statistics.median(shown):.2f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
