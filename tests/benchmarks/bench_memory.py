"""The window process's memory: after loading the network, and after each of N Retrains.

Training runs in its own process, so the window's process should hold about
what it held after loading, however many times the user retrains.

    python tests/benchmarks/bench_memory.py --home HOME [--retrains 3] [--epochs 1]

``HOME`` is a DIGITPAD_HOME with a trained network; it is copied, never
changed. Target: loaded <= 750 MB; after the Retrains <= +50 MB over loaded.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", required=True)
    parser.add_argument("--retrains", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=1)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    shutil.copytree(args.home, scratch / "home")
    os.environ.update(
        DIGITPAD_HOME=str(scratch / "home"),
        DIGITPAD_EPOCHS=str(args.epochs),
        QT_QPA_PLATFORM="offscreen",
    )
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication, QMessageBox

    from digitpad.gui.window import MainWindow

    # A question (keep a worse network aside?) would wait for a click: answered at once.
    QMessageBox.exec = lambda box: QMessageBox.StandardButton.Cancel

    app = QApplication(sys.argv[:1])
    window = MainWindow()
    window.resize(1000, 640)
    window.show()

    def spin(condition, timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        while not condition() and time.monotonic() < deadline:
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
        return condition()

    if not spin(window.session.is_model_ready, 180):
        print(f"model not ready: {window.status_text()}")
        return 1
    spin(lambda: False, 2.0)  # settle
    loaded = rss_mb()
    print(f"{'after':<28}{'RSS MB':>10}{'growth MB':>12}")
    print(f"{'loading the network':<28}{loaded:10.0f}{0.0:12.1f}")
    for number in range(1, args.retrains + 1):
        started = time.perf_counter()
        window.session.start_training()
        spin(lambda: not window.session.is_training(), 900)
        spin(lambda: False, 2.0)
        now = rss_mb()
        took = time.perf_counter() - started
        print(f"{f'Retrain {number} ({took:.0f} s)':<28}{now:10.0f}{now - loaded:12.1f}")
    window.close()
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
