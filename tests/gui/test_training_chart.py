"""The training chart: records the callback's points, draws them throttled, real run."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import QObject, QPointF

from digitpad.gui.comparison_chart import ComparisonChart, column_extremes, nice_ticks
from digitpad.gui.training_chart import TrainingChart
from digitpad.gui.training_history import TrainingHistory
from digitpad.net.progress import PipeReporter
from digitpad.net.recipes import pen_digit_limit, recipe_from_env
from digitpad.net.training import Progress

TIMEOUT_MS = 240_000


def progress(epoch: int, step: int, loss: float, accuracy: float, steps: int = 4) -> Progress:
    return Progress(epoch, 2, step, steps, 0.0, 0.0, None, loss, accuracy)


def test_reporter_turns_running_means_into_batch_points():
    sent: list = []
    reporter = PipeReporter(sent.append, first=1, refresh=1)
    # Running means of batch losses 1.0, 0.5, 0.3 and accuracies 0.2, 0.6, 1.0.
    reporter.on_batch_end(progress(1, 1, 1.0, 0.2))
    reporter.on_batch_end(progress(1, 2, 0.75, 0.4))
    reporter.on_batch_end(progress(1, 3, 0.6, 0.6))
    reporter.on_progress(progress(1, 3, 0.6, 0.6))
    assert len(sent) == 1  # one bunch of points with the progress report
    kind, _progress, points = sent[0]
    assert kind == "progress"
    xs, losses, accuracies = zip(*points, strict=True)
    assert np.allclose(xs, [0.25, 0.5, 0.75])
    assert np.allclose(losses, [1.0, 0.5, 0.3])
    assert np.allclose(accuracies, [0.2, 0.6, 1.0])
    reporter.on_epoch_end(progress(1, 4, 0.5, 0.7), {"loss": 0.5, "val_loss": 0.4})
    assert sent[1] == ("epoch", 1, {"loss": 0.5, "val_loss": 0.4})


def test_chart_draws_the_history(qtbot):
    history = TrainingHistory()
    history.reset("test run")
    chart = TrainingChart(history)
    qtbot.addWidget(chart)
    chart.resize(700, 260)
    chart.layout().activate()
    chart.show()
    qtbot.waitExposed(chart)
    assert chart.objectName() == "trainingChart"
    history.add_batches([(0.25, 2.0, 0.1), (0.5, 1.0, 0.5), (0.75, 0.5, 0.8), (1.0, 0.4, 0.9)])
    history.add_epoch(1, {"loss": 0.9, "accuracy": 0.6, "val_loss": 0.5, "val_accuracy": 0.85})
    before = chart.redraws
    for _ in range(20):
        chart.refresh()  # a burst of updates coalesces into one redraw
    qtbot.waitUntil(lambda: chart.redraws == before + 1, timeout=5000)
    qtbot.wait(400)
    assert chart.redraws == before + 1
    x, y = chart.curve_data("loss_batch")
    assert list(x) == [0.25, 0.5, 0.75, 1.0]
    assert list(y) == [2.0, 1.0, 0.5, 0.4]
    _x, smooth = chart.curve_data("loss_smooth")
    assert smooth[0] == pytest.approx(2.0)  # debiased: starts at the first point
    assert list(chart.curve_data("accuracy_val")[1]) == [0.85]
    assert "epoch 1" in chart.title_label.text()
    assert "Val. accuracy" in history.epochs_html()


@pytest.mark.mnist
@pytest.mark.slow
def test_chart_follows_a_real_training_run(qtbot, ready_window, monkeypatch, message_boxes):
    monkeypatch.setenv("DIGITPAD_TRAIN_SAMPLES", "1500")
    monkeypatch.setenv("DIGITPAD_EPOCHS", "2")
    window = ready_window
    action = window.findChild(QObject, "actionShowTraining")
    assert action is not None
    window.show_training_chart()
    chart = window.findChild(QObject, "trainingChart")
    assert chart is not None
    assert chart.isVisible()
    assert window.session.start_training()
    qtbot.waitUntil(lambda: not window.session.is_training(), timeout=TIMEOUT_MS)
    history = window.session.history
    assert history.finished
    assert history.outcome.startswith("done")
    # One point per batch: MNIST images plus their share of pen digits.
    recipe = recipe_from_env()
    batches = math.ceil((1500 + pen_digit_limit(recipe)) / recipe.batch_size)
    assert len(history.batch_x) == 2 * batches
    assert [int(e["epoch"]) for e in history.epochs] == [1, 2]
    assert all("val_accuracy" in e for e in history.epochs)
    chart.redraw_now()
    x, _y = chart.curve_data("loss_batch")
    assert len(x) == len(history.batch_x)
    assert len(chart.curve_data("accuracy_val")[0]) == 2
    # Kept after training, and offered from Model info.
    window.findChild(QObject, "actionModelInfo").trigger()
    assert "Last training run, per epoch" in message_boxes.texts()
    window.show_training_chart(False)
    qtbot.waitUntil(lambda: not chart.isVisible(), timeout=5000)


def test_long_title_is_elided_keeping_the_status(qtbot):
    history = TrainingHistory()
    history.reset("Training default: 3 epochs, batch 256, adam onecycle + augmentation " * 3)
    history.add_batches([(0.5, 1.0, 0.5), (1.0, 0.5, 0.8)])
    history.add_epoch(1, {"loss": 0.5, "accuracy": 0.8, "val_accuracy": 0.9})
    history.finish("done: 97.59% on the test set")
    chart = TrainingChart(history)
    qtbot.addWidget(chart)
    chart.resize(800, 240)
    chart.layout().activate()
    chart.show()
    qtbot.waitExposed(chart)
    chart.redraw_now()
    label = chart.title_label
    shown = label.text()
    assert shown.endswith(
        "epoch 1: loss 0.500, validation accuracy 90.0% · done: 97.59% on the test set"
    )
    assert "…" in shown
    assert label.fontMetrics().horizontalAdvance(shown) <= label.contentsRect().width()
    assert label.toolTip() == chart.title()
    chart.resize(330, 240)  # too narrow even for the status: all of it elided
    qtbot.waitUntil(lambda: not label.text().endswith("test set"))
    assert label.text().endswith("…")
    assert label.fontMetrics().horizontalAdvance(label.text()) <= label.contentsRect().width()
    history.reset("short")
    history.add_batches([(0.5, 1.0, 0.5)])
    chart.resize(800, 240)
    chart.redraw_now()
    qtbot.waitUntil(lambda: label.text() == chart.title() == "short")
    assert label.toolTip() == ""


def test_history_arrays_follow_the_lists_and_revisions_never_repeat():
    history = TrainingHistory()
    history.add_batches([(0.5, 1.0, 0.5), (1.0, math.nan, 0.7), (1.5, 0.5, 0.8)])
    assert list(history.array("batch_x")) == history.batch_x == [0.5, 1.5]
    assert list(history.array("smooth_loss")) == history.smooth_loss
    history.add_batches((x / 100, 1.0, 0.5) for x in range(300))  # grows past the buffer
    assert np.array_equal(history.array("batch_accuracy"), history.batch_accuracy)
    assert not history.array("batch_x").flags.writeable
    with pytest.raises(ValueError, match="unknown series 'loss'"):
        history.array("loss")
    seen = history.revision
    history.reset("next run")
    assert history.revision > seen  # a chart that drew revision N must not skip the new run
    assert len(history.array("batch_x")) == 0


def test_column_extremes_keep_spikes_with_two_points_per_column():
    xs = np.linspace(0, 99.99, 5000)  # 50 points in each of 100 pixel columns
    ys = np.full(xs.size, 50.0)
    ys[1234] = 3.0  # a one-batch spike
    out_x, out_y = column_extremes(xs, ys)
    assert len(out_x) == 200
    assert out_y.min() == 3.0  # still drawn at its full height
    assert out_x[np.argmin(out_y)] == math.floor(xs[1234]) + 0.5
    sparse = np.array([0.0, 10.0, 20.0])
    assert column_extremes(sparse, sparse)[0] is sparse  # nothing to gain: drawn as is


def test_nice_ticks_are_round_and_cover_the_range():
    assert nice_ticks(-0.04, 2.04, 5) == ([0.0, 0.5, 1.0, 1.5, 2.0], 1)
    assert nice_ticks(-0.02, 1.02, 5) == ([0.0, 0.2, 0.4, 0.6, 0.8, 1.0], 1)
    ticks, decimals = nice_ticks(0.071, 0.49, 4)
    assert ticks == [0.1, 0.2, 0.3, 0.4]
    assert decimals == 1


def ladder_like(count: int, batches: int) -> list[tuple[str, TrainingHistory]]:
    runs = []
    for index in range(count):
        history = TrainingHistory()
        x = np.arange(1, batches + 1) / batches
        loss = 2.3 * np.exp(-x * (1 + index))
        history.add_batches(zip(x, loss, 1 - loss / 2.5, strict=True))
        runs.append((f"lr {index}", history))
    return runs


def test_comparison_chart_names_runs_in_words(qtbot):
    chart = ComparisonChart(empty_text="Select runs to compare them.")
    qtbot.addWidget(chart)
    chart.resize(800, 300)
    chart.show()
    qtbot.waitExposed(chart)
    assert chart.accessibleName() == "Runs compared"
    assert chart.accessibleDescription() == "Select runs to compare them."
    runs = ladder_like(3, 188)
    chart.set_runs(runs)
    assert chart.labels() == ["lr 0", "lr 1", "lr 2"]
    assert "lr 0; lr 1; lr 2" in chart.accessibleDescription()
    assert len({chart.colour(i).name() for i in range(3)}) == 3
    chart.grab()
    # Hovering a curve names its run (colour is not the only way to tell them apart).
    points = chart.drawn_points(2, "loss")
    middle = points[len(points) // 2]
    text = chart.describe_at(QPointF(*middle))
    assert text.startswith("lr 2: loss ")
    assert " at epoch 0.5" in text
    assert chart.describe_at(QPointF(2, 2)) == ""


def test_comparison_chart_paints_the_curves_where_the_data_says(qtbot):
    chart = ComparisonChart()
    qtbot.addWidget(chart)
    chart.resize(800, 300)
    chart.show()
    qtbot.waitExposed(chart)
    runs = ladder_like(1, 188)
    chart.set_runs(runs[:1], epochs=2)  # a live run: the axis spans the plan's epochs
    image = chart.grab().toImage()
    points = chart.drawn_points(0, "loss")
    assert points[-1][0] < chart.width() / 2 / 2 + 30  # 1 epoch of 2: half-way along
    x, y = (int(round(v)) for v in points[len(points) // 2])
    assert image.pixelColor(x, y).rgb() == chart.colour(0).rgb()
    # Growing live: new points redraw the curve, old ones are not drawn again.
    history = runs[0][1]
    history.add_batches([(1.5, 0.1, 0.99)])
    chart.set_runs(runs[:1], epochs=2)
    assert chart.drawn_points(0, "loss")[-1][0] > points[-1][0] + 50
