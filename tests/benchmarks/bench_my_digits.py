"""How long Model ▸ My Digits blocks the GUI thread with many kept drawings.

Usage::

    DIGITPAD_MNIST=/path/to/mnist python tests/benchmarks/bench_my_digits.py
        [--count 1500 5000] [--samples DIR]

For each ``--count`` a sample store is made in a temporary folder (the first
``--count`` MNIST test digits, as the app keeps them; or the samples of
``--samples DIR``, e.g. a home's ``data/samples`` made by ``import-samples``,
copied first), and the dialog is driven offscreen, each step on its own:

* open: a new dialog, shown (every file read and verified: in a thread
  when there are more than ``my_digits.READ_AT_ONCE``);
* refresh: :meth:`MyDigitsDialog.refresh` with nothing changed (what
  reopening the dialog does);
* scroll: the rows scrolled to the bottom (thumbnails painted on demand);
* delete row: the largest row selected, then the Delete key;
* add one: one drawing added to the store, then ``refresh()`` (a correction
  kept while the dialog is open).

A 10 ms ``QTimer`` records the gaps between its ticks: the longest gap of a
step (the step runs from the event loop, then events are processed for
0.4 s: layout and painting count too) is the longest time the GUI thread
did not answer. The step's own call time is printed beside it, and the time
until the step's outcome was shown.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from PySide6.QtCore import QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from digitpad.gui.my_digits import MyDigitsDialog  # noqa: E402
from digitpad.storage.samples import SampleStore, prepare_sample  # noqa: E402


class GapMeter:
    """The longest gap between the ticks of a 10 ms timer on the GUI thread."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now

    def reset(self) -> None:
        self.longest = 0.0
        self._last = time.perf_counter()


def pump(app: QApplication, seconds: float) -> None:
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def measure(
    app: QApplication,
    meter: GapMeter,
    step: Callable[[], object],
    busy: Callable[[], bool] = lambda: False,
) -> tuple[float, float, float]:
    """(longest GUI-thread gap, the step's own time, until shown), in milliseconds.

    ``busy``: whether the step's work goes on after it returned (the
    drawings read in a thread); "until shown" is when it no longer is.
    """
    pump(app, 0.2)
    spent: list[float] = []

    def run() -> None:
        start = time.perf_counter()
        step()
        spent.append(time.perf_counter() - start)

    meter.reset()
    QTimer.singleShot(0, run)
    start = time.perf_counter()
    while not spent or busy():
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    done = time.perf_counter() - start
    pump(app, 0.4)
    return meter.longest * 1000.0, spent[0] * 1000.0, done * 1000.0


def fill_store(root: Path, count: int, source: Path | None) -> None:
    """``count`` drawings in ``root``: copied from ``source``, else MNIST test digits."""
    if source is not None:
        shutil.copytree(source, root, dirs_exist_ok=True)
        return
    from digitpad.storage.mnist import load_mnist

    mnist = load_mnist(download=False)
    x = mnist.x_test[:count].astype(np.float32) / 255.0
    y = mnist.y_test[:count]
    store = SampleStore(root)
    prepared = [prepare_sample(x[i], int(y[i])) for i in range(count)]
    for start in range(0, count, 500):
        store.add_many(prepared[start : start + 500])


def largest_row(dialog: MyDigitsDialog) -> int:
    return max(range(10), key=lambda digit: dialog.thumbnail_list(digit).count())


def bench(app: QApplication, count: int, source: Path | None) -> None:
    meter = GapMeter()
    with tempfile.TemporaryDirectory(prefix="bench-my-digits-") as folder:
        root = Path(folder) / "samples"
        fill_store(root, count, source)
        rows: list[tuple[str, float, float, float]] = []
        holder: dict[str, object] = {}

        def open_dialog(store: SampleStore) -> None:
            dialog = MyDigitsDialog(store)
            dialog.resize(640, 600)
            dialog.show()
            holder["dialog"] = dialog

        reading = lambda: holder["dialog"].is_reading()  # type: ignore[union-attr]  # noqa: E731
        store = SampleStore(root)
        rows.append(("open", *measure(app, meter, lambda: open_dialog(store), reading)))
        dialog: MyDigitsDialog = holder["dialog"]  # type: ignore[assignment]
        shown = dialog.thumbnail_count()
        rows.append(("refresh", *measure(app, meter, dialog.refresh, reading)))
        bar = dialog.scroll.verticalScrollBar()
        rows.append(("scroll", *measure(app, meter, lambda: bar.setValue(bar.maximum()))))
        digit = largest_row(dialog)
        thumbnails = dialog.thumbnail_list(digit)
        in_row = thumbnails.count()
        thumbnails.setFocus()
        thumbnails.selectAll()
        pump(app, 0.1)
        delete = lambda: QTest.keyClick(thumbnails, Qt.Key.Key_Delete)  # noqa: E731
        rows.append((f"delete row ({in_row})", *measure(app, meter, delete)))
        left = dialog.thumbnail_count()
        extra = prepare_sample(np.eye(28, dtype=np.float32), 7)
        rows.append(
            ("add one", *measure(app, meter, lambda: (store.add_many([extra]), dialog.refresh())))
        )
        assert left == shown - in_row, (left, shown, in_row)
        assert dialog.thumbnail_count() == left + 1
        dialog.close()
    print(f"{shown} kept drawings: longest GUI-thread block, the call itself, until shown (ms)")
    for name, gap, spent, done in rows:
        print(f"  {name:<20} {gap:7.0f} {spent:7.0f} {done:7.0f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, nargs="+", default=[1500, 5000])
    parser.add_argument("--samples", type=Path, help="a samples folder to copy instead of MNIST")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    counts = [0] if args.samples else args.count
    for count in counts:
        bench(app, count, args.samples)  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
