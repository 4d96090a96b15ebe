"""Render the "look inside" views offscreen to PNGs in docs/.

- ``docs/network-view.png``: the window reading a drawn 3 with the network
  view open (input, conv1 maps, conv2+pool maps, fc1, output), a conv1 map
  hovered.
- ``docs/saliency.png``: the same 3 with View > Saliency Overlay on: its
  ink coloured by the gradient of the top class (orange raised it, blue
  lowered it), computed on the inference worker.
- ``docs/training-chart.png``: the training chart after a short retraining
  (loss and accuracy per batch, smoothed, per epoch, validation points).
- ``docs/evaluate.png``: Model > Evaluate on the 10,000 MNIST test digits.

Uses the cached model (``digitpad train`` first; DIGITPAD_HOME and
DIGITPAD_MNIST are honoured) and real mouse events. The retraining is kept
short (``--train-samples``, ``--epochs``) and is cancelled-safe: the cached
model is replaced by it, so point DIGITPAD_HOME at a scratch copy.

    python scripts/screenshot_views.py [--out docs] [--skip-training]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from PySide6.QtWidgets import QApplication  # noqa: E402
from screenshot import three  # noqa: E402

from tests.benchmarks.gui_driving import draw, wait_until  # noqa: E402
from tests.gui.helpers import hover  # noqa: E402


def settle(app: QApplication, seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(REPO / "docs"))
    parser.add_argument("--skip-training", action="store_true")
    parser.add_argument("--train-samples", default="6000")
    parser.add_argument("--epochs", default="3")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from digitpad.gui import icons
    from digitpad.gui.window import MainWindow
    from digitpad.storage.model_store import ModelStore

    if not ModelStore().has():
        print("No cached model: run 'digitpad train' first.", file=sys.stderr)
        return 1
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("digitpad")
    app.setWindowIcon(icons.icon("digitpad"))
    window = MainWindow()
    window.canvas.set_dark_ink(False)
    window.resize(980, 860)
    window.show()
    if not wait_until(app, window.session.is_model_ready, 180):
        print(f"The model did not load: {window.status_text()}", file=sys.stderr)
        return 1

    # Network view.
    window.show_network_view()
    window.resize(980, 860)
    settle(app)
    draw(window.canvas, three(), app)
    wait_until(app, lambda: not window.is_prediction_pending(), 30)
    settle(app)
    view = window.network_view
    hover(view, view.map_rect("conv1", 6).center())
    settle(app)
    window.grab().save(str(out / "network-view.png"))
    print(
        f"{out / 'network-view.png'}: reads {window.digit_label.text()!r}, {view.hovered_name()}"
    )

    # Saliency overlay (the setting is restored afterwards).
    window.show_network_view(False)
    window.resize(980, 700)
    window.show_saliency(True)
    wait_until(app, window.is_saliency_ready, 120)
    wait_until(app, window.canvas.has_overlay, 60)
    wait_until(app, lambda: not window.is_prediction_pending(), 30)
    settle(app)
    window.grab().save(str(out / "saliency.png"))
    saliency = window._inference.saliency_ms
    print(
        f"{out / 'saliency.png'}: reads {window.digit_label.text()!r}, overlay "
        f"{'shown' if window.canvas.has_overlay() else 'MISSING'}, "
        f"last saliency {saliency[-1] if saliency else float('nan'):.1f} ms on the worker"
    )
    window.show_saliency(False)

    # Test-set report.
    window.session.start_evaluation()

    def dialog_ready() -> bool:
        return window.evaluation_dialog is not None and not window.session.is_evaluating()

    wait_until(app, dialog_ready, 180)
    settle(app, 0.5)
    dialog = window.evaluation_dialog
    dialog.grab().save(str(out / "evaluate.png"))
    report = dialog.report
    print(f"{out / 'evaluate.png'}: {report.accuracy:.2%} on {len(report)} test digits")
    dialog.close()

    # Training chart: a short retraining.
    if not args.skip_training:
        os.environ["DIGITPAD_TRAIN_SAMPLES"] = args.train_samples
        os.environ["DIGITPAD_EPOCHS"] = args.epochs
        window.show_training_chart()
        window.session.start_training()
        wait_until(app, lambda: not window.session.is_training(), 900)
        settle(app, 0.5)
        window.training_chart.redraw_now()
        settle(app)
        window.training_dock.grab().save(str(out / "training-chart.png"))
        print(f"{out / 'training-chart.png'}: {window.training_chart.title_label.text()}")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
