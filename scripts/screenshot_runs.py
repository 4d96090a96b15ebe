"""Render Model > Try Learning Rates and Model > Runs after a real ladder, to docs/.

- ``docs/ladder.png``: the Try Learning Rates dialog after the article's
  ladder (0.01, 0.003, 0.001, 0.0003 on 6,000 MNIST images, one epoch each,
  the article's recipe otherwise), its curves overlaid and its verdict.
- ``docs/runs.png``: Model > Runs with the ladder's runs selected, their
  curves overlaid.

The ladder trains for real in its own process (about a minute on two cores)
and records four runs in DIGITPAD_HOME: point it at a scratch copy of a home
with a trained network. DIGITPAD_MNIST is honoured.

    DIGITPAD_HOME=/tmp/scratch python scripts/screenshot_runs.py [--out docs] [--language zh_CN]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


from tests.benchmarks.gui_driving import start_window, wait_until  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(REPO / "docs"))
    parser.add_argument("--language", default="en", help="the window's language (en, zh_CN)")
    args = parser.parse_args()

    try:
        app, window = start_window((1000, 640), args.language)
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 1
    controller = window.experiments
    controller.open_ladder()
    ladder = controller.ladder_dialog
    finished: list[object] = []
    controller.ladderFinished.connect(finished.append)
    ladder.start_button.click()
    if not wait_until(app, lambda: bool(finished), 900):
        print("The ladder did not finish.", file=sys.stderr)
        return 1
    wait_until(app, lambda: not controller.is_busy(), 60)
    for _ in range(10):
        app.processEvents()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.language == "en" else f"-{args.language}"
    ladder.grab().save(str(out / f"ladder{suffix}.png"))
    controller.open_runs()
    runs = controller.runs_dialog
    wait_until(app, lambda: runs.table.rowCount() >= 4, 30)
    ladder_ids = [run.id for run in runs.store.runs() if run.kind == "ladder"][-4:]
    runs.select(ladder_ids)
    for _ in range(10):
        app.processEvents()
    runs.resize(1000, 640)
    for _ in range(10):
        app.processEvents()
    runs.grab().save(str(out / f"runs{suffix}.png"))
    print(f"{out}/ladder{suffix}.png, {out}/runs{suffix}.png: {finished[0]}")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
