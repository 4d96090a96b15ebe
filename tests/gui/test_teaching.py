"""Teaching the window: corrections with keys and bar clicks, adapting, switching back.

Real widgets, real mouse and key events, real worker threads, a real small
LeNet and real MNIST. The adopt-or-refuse rules themselves are tested in
tests/test_adoption.py and tests/test_adapt.py; here the decision is pinned
so that both outcomes of the window's flow are exercised every run.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from helpers import ONE, SEVEN, ZERO, draw_strokes
from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from digitpad.storage import paths
from digitpad.storage.model_store import ModelStore
from digitpad.storage.samples import SampleStore

pytestmark = pytest.mark.mnist

TIMEOUT_MS = 120_000


def probabilities(window) -> list[float]:
    return window.findChild(QObject, "predictionBars").property("probabilities")


def wait_prediction(qtbot, window) -> list[float]:
    qtbot.waitUntil(lambda: not window.is_prediction_pending(), timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: len(probabilities(window)) == 10, timeout=TIMEOUT_MS)
    return probabilities(window)


def stored_labels() -> list[int]:
    return sorted(sample.label for sample in SampleStore().samples())


def click_bar(window, digit: int) -> None:
    bars = window.findChild(QObject, "predictionBars")
    row = (bars.height() - 4) / 10.0
    QTest.mouseClick(
        bars,
        Qt.MouseButton.LeftButton,
        pos=QPoint(bars.width() // 2, int(2 + row * (digit + 0.5))),
    )


def test_typing_a_digit_keeps_the_drawing(qtbot, ready_window):
    window = ready_window
    draw_strokes(qtbot, window.canvas, SEVEN)
    wait_prediction(qtbot, window)
    QTest.keyClick(window.canvas, Qt.Key.Key_7)
    assert stored_labels() == [7]
    sample = SampleStore().samples()[0]
    np.testing.assert_allclose(sample.x28, window.preview.array(), atol=1e-6)
    assert len(sample.strokes) == 1
    assert sample.pen_width == pytest.approx(window.canvas.pen_width())
    assert "Kept as a 7" in window.statusBar().currentMessage() or "kept as a 7" in (
        window.statusBar().currentMessage()
    )
    # The same drawing answered again: the answer changes, no second sample.
    QTest.keyClick(window.canvas, Qt.Key.Key_1)
    assert stored_labels() == [1]
    assert "Changed" in window.statusBar().currentMessage()
    # A click on a bar says the same thing.
    click_bar(window, 4)
    assert stored_labels() == [4]
    # A new drawing is a new sample.
    window.canvas.clear()
    draw_strokes(qtbot, window.canvas, ZERO)
    wait_prediction(qtbot, window)
    click_bar(window, 0)
    assert stored_labels() == [0, 4]
    assert "2 of your drawings kept" in window.statusBar().currentMessage()


def test_a_key_on_a_blank_canvas_keeps_nothing(qtbot, ready_window):
    window = ready_window
    QTest.keyClick(window.canvas, Qt.Key.Key_3)
    assert stored_labels() == []
    assert "Write a digit first" in window.statusBar().currentMessage()


def test_my_digits_shows_and_deletes_kept_drawings(qtbot, ready_window):
    window = ready_window
    draw_strokes(qtbot, window.canvas, ONE)
    wait_prediction(qtbot, window)
    QTest.keyClick(window.canvas, Qt.Key.Key_1)
    window.findChild(QObject, "actionMyDigits").trigger()
    dialog = window.teaching.my_digits_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.thumbnail_count() == 1
    # Kept while the view is open: it shows up at once.
    window.canvas.clear()
    draw_strokes(qtbot, window.canvas, ZERO)
    wait_prediction(qtbot, window)
    click_bar(window, 0)
    assert dialog.thumbnail_count() == 2
    dialog.close()


def test_adapt_needs_enough_drawings(qtbot, ready_window, message_boxes):
    window = ready_window
    window.findChild(QObject, "actionAdapt").trigger()
    assert not window.session.is_adapting()
    assert "Not enough of your drawings" in message_boxes.texts()


@pytest.fixture
def sideways_samples(mnist):
    """Sixty drawings of a user who writes every digit turned a quarter."""
    store = SampleStore()
    for digit in range(10):
        for index in np.nonzero(mnist.y_test == digit)[0][:6]:
            x28 = np.rot90(mnist.x_test[index]).astype(np.float32) / 255.0
            store.add(x28, digit)
    return store


@pytest.fixture
def quick_adapt(monkeypatch):
    monkeypatch.setenv("DIGITPAD_ADAPT_STEPS", "20")
    monkeypatch.setenv("DIGITPAD_TRAIN_SAMPLES", "3000")


def pin_decision(monkeypatch, adopt: bool) -> None:
    """The training process adopts (or refuses) whatever the figures say."""
    import pinned_jobs

    import digitpad.gui.training_process

    target = pinned_jobs.adopt if adopt else pinned_jobs.refuse
    monkeypatch.setattr(digitpad.gui.training_process, "run", target)


def test_adopted_adaptation_is_used_saved_and_can_be_switched_off(
    qtbot, ready_window, sideways_samples, quick_adapt, message_boxes, monkeypatch
):
    window = ready_window
    base_sha = window.session.manifest()["sha256"]
    pin_decision(monkeypatch, adopt=True)
    window.findChild(QObject, "actionAdapt").trigger()
    assert window.session.is_adapting()
    assert window.findChild(QObject, "trainingProgress").isVisible()
    assert not window.findChild(QObject, "actionRetrain").isEnabled()
    # The base network keeps reading while adapting runs.
    draw_strokes(qtbot, window.canvas, ONE)
    wait_prediction(qtbot, window)
    qtbot.waitUntil(lambda: not window.session.is_adapting(), timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.session.network_name() == "personal", timeout=TIMEOUT_MS)
    assert "Adapted to your handwriting" in message_boxes.titles()
    assert "read right" in message_boxes.texts()
    store = ModelStore()
    personal = store.read_manifest("personal")
    assert personal["sha256"] == window.session.manifest()["sha256"] != base_sha
    assert personal["base_sha256"] == base_sha
    assert personal["adapted"]["held_back"] == 60  # every drawing read once, by cross-validation
    assert store.active_name() == "personal"
    assert "Your personal LeNet" in window.status_text()
    assert window.findChild(QObject, "actionUsePersonal").isChecked()
    # Model > Use Base Network switches back, on disk too.
    window.findChild(QObject, "actionUseBase").trigger()
    qtbot.waitUntil(lambda: window.session.network_name() == "base", timeout=TIMEOUT_MS)
    assert window.session.manifest()["sha256"] == base_sha
    assert store.active_name() == "base"
    assert window.findChild(QObject, "actionUseBase").isChecked()
    assert store.has("personal")  # kept: it can be chosen again
    window.findChild(QObject, "actionUsePersonal").trigger()
    qtbot.waitUntil(lambda: window.session.network_name() == "personal", timeout=TIMEOUT_MS)
    assert json.loads((paths.models_dir() / "active.json").read_text())["active"] == "personal"


def test_refused_adaptation_keeps_the_base_network(
    qtbot, ready_window, sideways_samples, quick_adapt, message_boxes, monkeypatch
):
    window = ready_window
    base_sha = window.session.manifest()["sha256"]
    pin_decision(monkeypatch, adopt=False)
    window.findChild(QObject, "actionAdapt").trigger()
    qtbot.waitUntil(lambda: not window.session.is_adapting(), timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: bool(message_boxes.shown), timeout=TIMEOUT_MS)
    assert "Kept the current network" in message_boxes.titles()
    assert window.session.manifest()["sha256"] == base_sha
    assert not ModelStore().has("personal")
    assert ModelStore().active_name() == "base"
    assert not window.findChild(QObject, "actionUsePersonal").isEnabled()


@pytest.mark.parametrize(
    ("variable", "value"), [("DIGITPAD_ADAPT_STEPS", "-5"), ("DIGITPAD_EPOCHS", "abc")]
)
def test_adapt_with_invalid_settings_is_refused_before_it_starts(
    ready_window, sideways_samples, message_boxes, monkeypatch, variable, value
):
    monkeypatch.setenv(variable, value)
    ready_window.findChild(QObject, "actionAdapt").trigger()
    assert not ready_window.session.is_adapting()
    [(title, text, details)] = message_boxes.shown
    assert (title, text) == ("Cannot adapt", "The training settings are invalid.")
    assert details.startswith(f"{variable} must be a positive whole number, got ")
    assert value in details


def test_cancelling_adaptation_changes_nothing(qtbot, ready_window, sideways_samples, monkeypatch):
    window = ready_window
    monkeypatch.setenv("DIGITPAD_ADAPT_STEPS", "100000")
    monkeypatch.setenv("DIGITPAD_TRAIN_SAMPLES", "3000")
    base_sha = window.session.manifest()["sha256"]
    window.findChild(QObject, "actionAdapt").trigger()
    with qtbot.waitSignal(window.trainingProgressed, timeout=TIMEOUT_MS):
        pass
    window.findChild(QObject, "cancelTraining").click()
    qtbot.waitUntil(lambda: not window.session.is_adapting(), timeout=TIMEOUT_MS)
    assert "Adapting cancelled" in window.statusBar().currentMessage()
    assert window.session.manifest()["sha256"] == base_sha
    assert not ModelStore().has("personal")


def test_an_unsure_digit_is_shown_and_marked_with_the_bars(qtbot, ready_window):
    from digitpad.gui.reading import DigitShown, Reading

    window = ready_window
    probabilities = [0.0, 0.0, 0.0, 0.0, 0.55, 0.0, 0.0, 0.0, 0.0, 0.45]
    unsure = DigitShown(
        (10.0, 10.0, 90.0, 150.0), np.zeros((28, 28), np.float32), probabilities,
        "4", False, "not sure: 4 or 9?", (0,),
    )  # fmt: skip
    sure = DigitShown(
        (120.0, 10.0, 190.0, 150.0), np.zeros((28, 28), np.float32),
        [0.0, 1.0] + [0.0] * 8, "1", True, "", (1,),
    )  # fmt: skip
    window.on_reading_readingChanged(Reading((unsure, sure), 0, None, None, False))
    # The best digit is shown, marked: in words under it and in the status bar,
    # and by a dashed box on the paper; the bars show the selected digit.
    assert window.findChild(QLabel, "predictedDigit").text() == "41"
    assert window.reason_text() == "1st digit: not sure: 4 or 9?"
    assert window.findChild(QLabel, "readingStatus").text() == "Reads 41; not sure of the 4"
    assert [box.sure for box in window.canvas.boxes()] == [False, True]
    assert window.findChild(QObject, "predictionBars").property("probabilities") == probabilities


def test_a_damaged_personal_network_falls_back_to_base(qtbot, make_window, cached_model_home):
    from digitpad.net.lenet import ARCHITECTURE_ID, weight_shapes

    store = ModelStore()
    weights, base = store.load("base", architecture=ARCHITECTURE_ID, shapes=weight_shapes())
    personal = store.save(
        [w * 0.5 for w in weights], {"architecture": ARCHITECTURE_ID}, name="personal"
    )
    store.set_active("personal")
    path = store.root / personal["weights_file"]
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    window = make_window()
    messages: list[str] = []
    window.statusBar().messageChanged.connect(messages.append)
    qtbot.waitUntil(window.session.is_model_ready, timeout=TIMEOUT_MS)
    assert window.session.network_name() == "base"
    assert window.session.manifest()["sha256"] == base["sha256"]
    qtbot.waitUntil(lambda: any("personal network could not be used" in m for m in messages))
    assert store.active_name() == "base"
    assert not store.has("personal")  # quarantined, not loaded
    assert any((store.root / "quarantine").iterdir())


# -- the personal memory: each correction counts at once ------------------------------

#: A 9 whose loop is left open at the top right: the small model reads it as a 4
#: (about 97 %), with some doubt for the 9 (about 3 %).
OPEN_NINE = [
    [(120.0, 70.0), (100.0, 70.0), (100.0, 125.0), (180.0, 125.0)],
    [(180.0, 60.0), (178.0, 240.0)],
]
#: A closed-top 4, which no 9 kept should change.
FOUR = [[(170.0, 240.0), (170.0, 50.0), (90.0, 160.0), (200.0, 160.0)]]


def moved(strokes, dx: float, dy: float):
    return [[(x + dx, y + dy) for x, y in stroke] for stroke in strokes]


def digit_text(window) -> str:
    return window.findChild(QLabel, "predictedDigit").text()


def status(window) -> str:
    return window.statusBar().currentMessage()


def test_the_memory_is_gated_by_the_shipped_reference_digits(qtbot, ready_window):
    worker = ready_window.session.worker()
    qtbot.waitUntil(lambda: worker.reference_size() == 3000, timeout=TIMEOUT_MS)


def test_a_damaged_reference_leaves_the_memory_ungated(
    qtbot, make_window, cached_model_home, caplog, tmp_path
):
    from digitpad.net import reference_digits

    damaged = tmp_path / "reference-digits.npz"
    damaged.write_bytes(b"not an npz")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reference_digits, "reference_path", lambda: damaged)
        window = make_window()
        qtbot.waitUntil(window.session.is_model_ready, timeout=TIMEOUT_MS)
        qtbot.waitUntil(lambda: "ungated" in caplog.text, timeout=TIMEOUT_MS)
    assert "the reference digits are damaged" in caplog.text
    assert window.session.worker().reference_size() == 0
    draw_strokes(qtbot, window.canvas, OPEN_NINE)
    wait_prediction(qtbot, window)  # reading goes on


def test_imported_drawings_change_the_next_reading_at_once(
    qtbot, ready_window, tmp_path, monkeypatch
):
    """File > Import Drawings… feeds the personal memory, as a correction does (no restart)."""
    from PySide6.QtWidgets import QFileDialog

    from digitpad.storage.sample_export import export_samples

    window = ready_window
    draw_strokes(qtbot, window.canvas, OPEN_NINE)
    wait_prediction(qtbot, window)
    assert digit_text(window) == "4"
    elsewhere = SampleStore(tmp_path / "elsewhere")
    elsewhere.add(window.session.reading.latest_input(), 9, [], pen_width=18.0)
    export_samples(elsewhere.samples(), tmp_path / "export")
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path / "export")
    )
    window.findChild(QObject, "actionImportSamples").trigger()
    qtbot.waitUntil(lambda: window.session.memory_size() == 1, timeout=TIMEOUT_MS)
    assert stored_labels() == [9]
    qtbot.waitUntil(lambda: digit_text(window) == "9", timeout=TIMEOUT_MS)


def test_a_correction_changes_the_next_reading_at_once(qtbot, ready_window):
    window = ready_window
    draw_strokes(qtbot, window.canvas, OPEN_NINE)
    wait_prediction(qtbot, window)
    assert digit_text(window) == "4"
    assert window.session.memory_size() == 0
    QTest.keyClick(window.canvas, Qt.Key.Key_9)
    assert status(window).startswith("Thanks: kept as a 9 (it was read as 4).")
    # The memory learns the drawing and the paper is read again, no training.
    qtbot.waitUntil(
        lambda: status(window).startswith("Learnt: your 9. It now reads this drawing as 9."),
        timeout=TIMEOUT_MS,
    )
    assert digit_text(window) == "9"
    assert window.session.memory_size() == 1
    assert stored_labels() == [9]
    # The same 9 written again elsewhere on the paper reads 9 at once...
    window.canvas.clear()
    draw_strokes(qtbot, window.canvas, moved(OPEN_NINE, -25.0, 15.0))
    assert wait_prediction(qtbot, window)[9] > 0.5
    assert digit_text(window) == "9"
    # ...and a 4 still reads 4.
    window.canvas.clear()
    draw_strokes(qtbot, window.canvas, FOUR)
    wait_prediction(qtbot, window)
    assert digit_text(window) == "4"


def test_my_digits_and_model_info_say_what_the_memory_holds(
    qtbot, make_window, cached_model_home, mnist, message_boxes
):
    from digitpad.gui import dialogs

    store = SampleStore()
    for index in range(3):
        store.add(mnist.x_test[index].astype(np.float32) / 255.0, int(mnist.y_test[index]))
    window = make_window()
    qtbot.waitUntil(window.session.is_model_ready, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.session.memory_size() == 3, timeout=TIMEOUT_MS)

    window.findChild(QObject, "actionMyDigits").trigger()
    dialog = window.teaching.my_digits_dialog
    qtbot.waitUntil(dialog.isVisible)
    memory = dialog.findChild(QLabel, "myDigitsMemory")
    assert memory.isVisible()
    assert memory.text() == (
        "The memory holds 3 drawings; each one changes the next readings at once."
    )
    state = dialogs.memory_state(window.session)
    assert state == dialogs.MemoryState(3, True)
    dialogs.show_model_info(window, window.session.manifest(), memory=state)
    assert (
        "<b>Personal memory</b></td><td>On. The memory holds 3 drawings; each one changes "
        "the next readings at once. The test-set report reads with the network alone."
    ) in message_boxes.texts()

    # A drawing deleted in My Digits leaves the memory, and the line says so.
    thumbnails = next(
        dialog.thumbnail_list(d) for d in range(10) if dialog.thumbnail_list(d).count()
    )
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    position = thumbnails.visualItemRect(thumbnails.item(0)).center()
    QTest.mouseClick(thumbnails.viewport(), Qt.MouseButton.LeftButton, pos=position)
    assert len(dialog.selected_sample_ids()) == 1
    with qtbot.waitSignal(dialog.samplesChanged, timeout=1000):
        QTest.keyClick(thumbnails, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: window.session.memory_size() == 2, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: memory.text().startswith("The memory holds 2 drawings;"))
    dialog.close()


def spiral(cx: float, cy: float) -> list[list[tuple[float, float]]]:
    """A 0 traced round three times, opening outwards: the shape check's scribble."""
    turns = [6 * math.pi * i / 400 for i in range(400)]
    radii = [10 + 80 * t / turns[-1] for t in turns]
    points = zip(turns, radii, strict=True)
    return [[(cx + r * math.cos(t), cy + r * math.sin(t)) for t, r in points]]


def test_a_shape_the_user_kept_as_a_digit_is_no_longer_a_scribble(qtbot, ready_window):
    window = ready_window
    window.canvas.set_strokes(spiral(140.0, 140.0))
    wait_prediction(qtbot, window)
    assert digit_text(window) == "?"
    QTest.keyClick(window.canvas, Qt.Key.Key_0)
    assert stored_labels() == [0]
    assert status(window).startswith("Kept as a 0.")  # not "it was read as 8": it read "?"
    # Re-read at once: the user said this shape is a 0, so it reads 0, not "?".
    qtbot.waitUntil(lambda: digit_text(window) == "0", timeout=TIMEOUT_MS)
    assert window.session.memory_size() == 1
    # The same shape written again a little apart is vouched for too...
    window.canvas.clear()
    window.canvas.set_strokes(moved(spiral(140.0, 140.0), -12.0, 8.0))
    wait_prediction(qtbot, window)
    assert digit_text(window) == "0"
    # ...and forgetting the sample brings the shape check back.
    SampleStore().remove(SampleStore().sample_ids()[0])
    window.session.forget_deleted()
    qtbot.waitUntil(lambda: window.session.memory_size() == 0, timeout=TIMEOUT_MS)
    window.canvas.clear()
    window.canvas.set_strokes(spiral(140.0, 140.0))
    wait_prediction(qtbot, window)
    assert digit_text(window) == "?"


def test_a_long_message_is_not_cut_off_by_the_reading_summary(qtbot, ready_window):
    window = ready_window
    draw_strokes(qtbot, window.canvas, SEVEN)
    wait_prediction(qtbot, window)
    summary = window.findChild(QLabel, "readingStatus")
    assert summary.text()
    assert summary.isVisible()
    QTest.keyClick(window.canvas, Qt.Key.Key_7)
    message = window.statusBar().currentMessage()
    assert message.startswith(("Learnt", "Thanks", "Kept"))
    # The summary steps aside while the message shows: the whole sentence fits.
    assert not summary.isVisible()
    width = window.statusBar().fontMetrics().horizontalAdvance(message)
    assert width < window.statusBar().width() - 40
    window.statusBar().clearMessage()
    assert summary.isVisible()
    assert summary.text()


def test_deleting_a_learnt_drawing_takes_back_what_the_status_bar_said(qtbot, ready_window):
    window = ready_window
    window.canvas.set_strokes(spiral(140.0, 140.0))
    wait_prediction(qtbot, window)
    QTest.keyClick(window.canvas, Qt.Key.Key_0)
    qtbot.waitUntil(lambda: status(window).startswith("Learnt: your 0."), timeout=TIMEOUT_MS)
    window.findChild(QObject, "actionMyDigits").trigger()
    dialog = window.teaching.my_digits_dialog
    qtbot.waitUntil(dialog.isVisible)
    thumbnails = dialog.thumbnail_list(0)
    qtbot.waitUntil(lambda: thumbnails.count() == 1)
    thumbnails.item(0).setSelected(True)
    with qtbot.waitSignal(dialog.samplesChanged, timeout=5000):
        dialog.delete_button.click()
    assert stored_labels() == []
    # "It now reads this drawing as 0" no longer holds: it is not left standing.
    assert not status(window).startswith("Learnt")
    dialog.close()
