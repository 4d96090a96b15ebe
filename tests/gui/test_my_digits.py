import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel

from digitpad.drawing.mnist_format import to_mnist
from digitpad.gui.my_digits import THUMBNAIL, MyDigitsDialog
from digitpad.storage import paths
from digitpad.storage.samples import SampleStore, prepare_sample


def drawing(label: int, shift: int = 0) -> np.ndarray:
    """A simple numpy drawing of ``label`` (a bar, a ring or a zigzag), prepared."""
    canvas = np.zeros((280, 280), dtype=np.float32)
    rows, cols = np.mgrid[0:280, 0:280]
    if label == 0:
        r = np.hypot((rows - 140) / 100, (cols - 140 - shift) / 70)
        canvas[(r > 0.8) & (r < 1.0)] = 1.0
    elif label == 1:
        canvas[50:230, 132 + shift : 148 + shift] = 1.0
    else:
        for step in range(300):
            y = 50 + step * 180 // 300
            x = 140 + shift + int(70 * np.sin(step / 300 * label * np.pi))
            canvas[y - 8 : y + 8, x - 8 : x + 8] = 1.0
    x28 = to_mnist(canvas)
    assert x28 is not None
    return x28


@pytest.fixture
def store() -> SampleStore:
    store = SampleStore()
    assert store.root == paths.samples_dir()
    return store


@pytest.fixture
def make_dialog(qtbot):
    def make(store: SampleStore) -> MyDigitsDialog:
        dialog = MyDigitsDialog(store)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog

    return make


def click_item(
    dialog: MyDigitsDialog, digit: int, row: int, modifier=Qt.KeyboardModifier.NoModifier
):
    thumbnails = dialog.thumbnail_list(digit)
    item = thumbnails.item(row)
    position = thumbnails.visualItemRect(item).center()
    QTest.mouseClick(thumbnails.viewport(), Qt.MouseButton.LeftButton, modifier, position)


DESCRIPTION = QAccessible.Text.Description


def accessible_name(widget) -> str:
    """The name a screen reader's bridge reads."""
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)


def count_text(dialog: MyDigitsDialog, digit: int) -> str:
    return dialog.findChild(type(dialog.status), f"countOf{digit}").text()


def test_empty_store_explains_how_to_add_samples(make_dialog, store):
    dialog = make_dialog(store)
    assert dialog.objectName() == "myDigitsDialog"
    assert dialog.thumbnail_count() == 0
    text = dialog.header.text()
    assert "No samples of your handwriting yet" in text
    assert "type the right digit (0–9) or click its bar: the drawing is kept here" in text
    assert not dialog.scroll.isVisible()
    assert not dialog.problems_label.isVisible()
    delete = dialog.findChild(type(dialog.delete_button), "deleteSamples")
    assert delete is dialog.delete_button
    assert not delete.isEnabled()


def test_counts_and_thumbnails(make_dialog, store):
    ones = [store.add(drawing(1, shift), 1) for shift in (-10, 0, 10)]
    zeros = [store.add(drawing(0, shift), 0) for shift in (0, 5)]
    seven = store.add(drawing(7), 7)
    dialog = make_dialog(store)

    assert dialog.thumbnail_count() == 6
    assert count_text(dialog, 0) == "2 samples"
    assert count_text(dialog, 1) == "3 samples"
    assert count_text(dialog, 7) == "1 sample"
    assert count_text(dialog, 4) == "0 samples"
    assert dialog.thumbnail_list(1).count() == 3
    assert not dialog.thumbnail_list(4).isVisible()
    assert dialog.scroll.isVisible()
    assert "6 samples of your handwriting" in dialog.header.text()
    assert "fewer than 5 samples" in dialog.header.text()
    ids = [
        dialog.thumbnail_list(d).item(i).data(Qt.ItemDataRole.UserRole)
        for d, n in ((0, 2), (1, 3), (7, 1))
        for i in range(n)
    ]
    assert ids == [s.id for s in (*zeros, *ones, seven)]

    # Each thumbnail is the model's input, white ink on black, each input
    # pixel an exact 2 x 2 block (no smoothing).
    for sample, item in ((ones[1], dialog.thumbnail_list(1).item(1)), (seven, None)):
        item = item or dialog.thumbnail_list(7).item(0)
        image = item.icon().pixmap(THUMBNAIL, THUMBNAIL).toImage()
        assert (image.width(), image.height()) == (THUMBNAIL, THUMBNAIL)
        gray = np.array(
            [[image.pixelColor(c, r).value() for c in range(THUMBNAIL)] for r in range(THUMBNAIL)]
        )
        expected = np.rint(sample.x28 * 255).astype(int)
        np.testing.assert_array_equal(gray[::2, ::2], expected)
        np.testing.assert_array_equal(gray[1::2, 1::2], expected)
    # Laid out: every thumbnail of a row is visible within its list.
    thumbnails = dialog.thumbnail_list(1)
    for i in range(3):
        rect = thumbnails.visualItemRect(thumbnails.item(i))
        assert thumbnails.viewport().rect().contains(rect)


def test_many_samples_wrap_onto_more_lines(make_dialog, store):
    for i in range(30):
        store.add(drawing(1, i % 7 - 3), 1)
    dialog = make_dialog(store)
    thumbnails = dialog.thumbnail_list(1)
    last = thumbnails.visualItemRect(thumbnails.item(29))
    first = thumbnails.visualItemRect(thumbnails.item(0))
    assert last.top() > first.bottom()  # wrapped, not one endless line
    assert thumbnails.viewport().rect().contains(last)  # and the list grew to show it


def test_select_with_mouse_and_delete_button(qtbot, make_dialog, store):
    ones = [store.add(drawing(1, shift), 1) for shift in (-10, 0, 10)]
    zero = store.add(drawing(0), 0)
    dialog = make_dialog(store)
    assert not dialog.delete_button.isEnabled()

    click_item(dialog, 1, 0)
    click_item(dialog, 1, 2, Qt.KeyboardModifier.ControlModifier)
    assert dialog.selected_sample_ids() == [ones[0].id, ones[2].id]
    assert dialog.delete_button.isEnabled()
    assert dialog.status.text() == "2 selected"

    with qtbot.waitSignal(dialog.samplesChanged, timeout=1000):
        QTest.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)

    assert not ones[0].path.exists()
    assert not ones[2].path.exists()
    assert ones[1].path.exists()
    assert zero.path.exists()
    assert dialog.status.text() == "Deleted 2 samples."
    assert dialog.thumbnail_count() == 2
    assert count_text(dialog, 1) == "1 sample"
    assert store.counts()[1] == 1
    assert dialog.thumbnail_list(1).item(0).data(Qt.ItemDataRole.UserRole) == ones[1].id
    assert not dialog.delete_button.isEnabled()


def test_plain_click_in_another_row_replaces_the_selection(make_dialog, store):
    one = store.add(drawing(1), 1)
    zero = store.add(drawing(0), 0)
    dialog = make_dialog(store)
    click_item(dialog, 1, 0)
    assert dialog.selected_sample_ids() == [one.id]
    click_item(dialog, 0, 0)
    assert dialog.selected_sample_ids() == [zero.id]
    click_item(dialog, 1, 0, Qt.KeyboardModifier.ControlModifier)
    assert dialog.selected_sample_ids() == [zero.id, one.id]


def test_delete_key_removes_the_selection(qtbot, make_dialog, store):
    first = store.add(drawing(3), 3)
    second = store.add(drawing(3, 8), 3)
    dialog = make_dialog(store)
    click_item(dialog, 3, 1)
    thumbnails = dialog.thumbnail_list(3)
    with qtbot.waitSignal(dialog.samplesChanged, timeout=1000):
        QTest.keyClick(thumbnails, Qt.Key.Key_Delete)
    assert first.path.exists()
    assert not second.path.exists()
    assert dialog.thumbnail_count() == 1
    assert dialog.status.text() == "Deleted 1 sample."
    assert dialog.isVisible()


def test_keyboard_only_selection_and_delete(qtbot, make_dialog, store):
    samples = [store.add(drawing(2, shift), 2) for shift in (-6, 0, 6)]
    dialog = make_dialog(store)
    thumbnails = dialog.thumbnail_list(2)
    thumbnails.setFocus()
    QTest.keyClick(thumbnails, Qt.Key.Key_Home)
    QTest.keyClick(thumbnails, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert dialog.selected_sample_ids() == [samples[0].id, samples[1].id]
    with qtbot.waitSignal(dialog.samplesChanged, timeout=1000):
        QTest.keyClick(thumbnails, Qt.Key.Key_Delete)
    assert [s.id for s in store.samples()] == [samples[2].id]


def test_delete_key_without_selection_does_nothing(qtbot, make_dialog, store):
    kept = store.add(drawing(1), 1)
    dialog = make_dialog(store)
    with qtbot.assertNotEmitted(dialog.samplesChanged):
        QTest.keyClick(dialog.thumbnail_list(1), Qt.Key.Key_Delete)
    assert kept.path.exists()


def test_damaged_file_is_reported(make_dialog, store):
    kept = store.add(drawing(1), 1)
    damaged = store.root / "4_20260101T000000000000-deadbeef.npz"
    damaged.write_bytes(b"not a sample at all")
    dialog = make_dialog(store)
    assert dialog.problems_label.isVisible()
    text = dialog.problems_label.text()
    assert "1 sample file was skipped" in text
    assert damaged.name in text
    assert "not an .npz archive" in text
    assert not damaged.exists()
    assert any((store.root / "quarantine").iterdir())
    assert dialog.thumbnail_count() == 1
    assert count_text(dialog, 1) == "1 sample"
    assert kept.path.exists()


def test_refresh_shows_samples_added_later(make_dialog, store):
    dialog = make_dialog(store)
    assert dialog.thumbnail_count() == 0
    store.add(drawing(9), 9)
    dialog.refresh()
    assert dialog.thumbnail_count() == 1
    assert count_text(dialog, 9) == "1 sample"
    assert dialog.scroll.isVisible()
    assert "1 sample of your handwriting" in dialog.header.text()


def test_close_button_closes(qtbot, make_dialog, store):
    dialog = make_dialog(store)
    QTest.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


# -- the personal memory, the keyboard, assistive technology, Chinese ---------------


def test_the_memory_line_says_what_the_memory_holds(make_dialog, store):
    from digitpad.gui.dialogs import MemoryState

    store.add(drawing(1), 1)
    dialog = make_dialog(store)
    memory = dialog.findChild(QLabel, "myDigitsMemory")
    assert not memory.isVisible()  # no session told it anything
    dialog.set_memory(MemoryState(17, True))
    assert memory.isVisible()
    assert memory.text() == (
        "The memory holds 17 drawings; each one changes the next readings at once."
    )
    dialog.set_memory(MemoryState(1, True))
    assert memory.text() == "The memory holds 1 drawing; it changes the next readings at once."
    dialog.set_memory(MemoryState(0, False, learning=True))
    assert memory.text().startswith("The memory is off while the network is still learning")


def test_every_control_has_an_accessible_name(make_dialog, store):
    store.add(drawing(1), 1)
    store.add(drawing(3), 3)
    dialog = make_dialog(store)
    for digit in range(10):
        thumbnails = dialog.thumbnail_list(digit)
        assert accessible_name(thumbnails) == f"Samples of the digit {digit}"
        assert QAccessible.queryAccessibleInterface(thumbnails).text(DESCRIPTION)
    assert accessible_name(dialog.delete_button) == "Delete"
    assert accessible_name(dialog.close_button) == "Close"
    item = dialog.thumbnail_list(3).item(0)
    assert item.data(Qt.ItemDataRole.AccessibleTextRole).startswith("Sample of 3, ")


def test_the_dialog_is_usable_by_keyboard_alone(qtbot, make_dialog, store):
    one = store.add(drawing(1), 1)
    three = store.add(drawing(3), 3)
    dialog = make_dialog(store)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    first = dialog.thumbnail_list(1)
    first.setFocus()
    # Tab goes row to row, skipping the empty ones, then to the buttons.
    QTest.keyClick(first, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.thumbnail_list(3)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert dialog.selected_sample_ids() == [three.id]
    # Alt+D is the Delete button's mnemonic.
    with qtbot.waitSignal(dialog.samplesChanged, timeout=1000):
        QTest.keyClick(dialog, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    assert [s.id for s in store.samples()] == [one.id]
    # The emptied row is gone; the nearest row with samples has the focus.
    assert QApplication.focusWidget() is first
    QTest.keyClick(first, Qt.Key.Key_Tab)  # Delete is disabled: skipped
    assert QApplication.focusWidget() is dialog.close_button
    QTest.keyClick(dialog.close_button, Qt.Key.Key_Space)
    assert not dialog.isVisible()


def test_the_dialog_speaks_chinese(qapp, make_dialog, store):
    from digitpad.gui import i18n
    from digitpad.gui.dialogs import MemoryState

    store.add(drawing(1), 1)
    assert i18n.install_translators(qapp, "zh_CN") == "zh_CN"
    try:
        dialog = make_dialog(store)
        dialog.set_memory(MemoryState(17, True))
        assert dialog.windowTitle() == "我的数字"
        assert count_text(dialog, 1) == "1 个样本"
        assert dialog.memory_label.text() == (
            "记忆中有 17 个手写数字；每一个都会立即影响接下来的识别。"
        )
        assert dialog.delete_button.text() == "删除(&D)"
    finally:
        i18n.install_translators(qapp, "en")


# -- many drawings: read once, thumbnails on demand, only what changed ---------------


def row_ids(dialog: MyDigitsDialog, digit: int) -> list[str]:
    thumbnails = dialog.thumbnail_list(digit)
    return [
        thumbnails.item(row).data(Qt.ItemDataRole.UserRole) for row in range(thumbnails.count())
    ]


def test_thumbnails_are_made_when_first_painted(qtbot, make_dialog, store, monkeypatch):
    from digitpad.gui import my_digits

    made: list[int] = []
    real = my_digits.thumbnail_icon
    monkeypatch.setattr(my_digits, "thumbnail_icon", lambda *a: made.append(1) or real(*a))
    store.add_many([prepare_sample(drawing(1, i % 9 - 4), 1) for i in range(80)])
    dialog = make_dialog(store)
    dialog.resize(420, 360)
    qtbot.waitUntil(lambda: len(made) > 0)
    QApplication.processEvents()
    assert dialog.thumbnail_count() == 80
    seen = len(made)
    assert seen < 80  # only the thumbnails in view
    thumbnails = dialog.thumbnail_list(1)
    last = thumbnails.visualItemRect(thumbnails.item(79)).center()
    last = thumbnails.viewport().mapTo(dialog.scroll.widget(), last)
    dialog.scroll.ensureVisible(last.x(), last.y())
    qtbot.waitUntil(lambda: len(made) > seen)  # scrolled into view: made then
    assert len(made) < 80


def test_refresh_touches_only_what_changed(make_dialog, store):
    threes = [store.add(drawing(3, shift), 3) for shift in (-6, 0, 6)]
    ones = [store.add(drawing(1, shift), 1) for shift in (-6, 6)]
    dialog = make_dialog(store)
    first_three = dialog.thumbnail_list(3).item(0)
    first_one = dialog.thumbnail_list(1).item(0)
    # Elsewhere (the window keeping a correction, replacing one): one 3 goes, a 1 comes.
    store.remove(threes[1].id)
    newer = store.add(drawing(1), 1)
    dialog.refresh()
    assert row_ids(dialog, 3) == [threes[0].id, threes[2].id]
    assert row_ids(dialog, 1) == [ones[0].id, ones[1].id, newer.id]
    assert count_text(dialog, 3) == "2 samples"
    assert count_text(dialog, 1) == "3 samples"
    assert "5 samples of your handwriting" in dialog.header.text()
    # The drawings still shown keep their items (thumbnails are not made again).
    assert dialog.thumbnail_list(3).item(0) is first_three
    assert dialog.thumbnail_list(1).item(0) is first_one


def test_deleting_does_not_read_every_drawing_again(qtbot, make_dialog, store, monkeypatch):
    sevens = [store.add(drawing(7, shift), 7) for shift in (-6, 0, 6)]
    twos = [store.add(drawing(2, shift), 2) for shift in (-6, 6)]
    dialog = make_dialog(store)
    kept_two = dialog.thumbnail_list(2).item(1)
    reads: list[int] = []
    real = SampleStore.samples
    monkeypatch.setattr(SampleStore, "samples", lambda self: reads.append(1) or real(self))
    thumbnails = dialog.thumbnail_list(7)
    thumbnails.setFocus()
    QTest.keyClick(thumbnails, Qt.Key.Key_Home)
    QTest.keyClick(thumbnails, Qt.Key.Key_End, Qt.KeyboardModifier.ShiftModifier)
    with qtbot.waitSignal(dialog.samplesChanged, timeout=1000):
        QTest.keyClick(thumbnails, Qt.Key.Key_Delete)
    assert reads == []
    assert dialog.status.text() == "Deleted 3 samples."
    assert dialog.thumbnail_count() == 2
    assert count_text(dialog, 7) == "0 samples"
    assert not dialog.thumbnail_list(7).isVisible()
    assert row_ids(dialog, 2) == [twos[0].id, twos[1].id]
    assert dialog.thumbnail_list(2).item(1) is kept_two
    assert "2 samples of your handwriting" in dialog.header.text()
    monkeypatch.setattr(SampleStore, "samples", real)
    assert [s.id for s in store.samples()] == [s.id for s in twos]
    assert not any(s.path.exists() for s in sevens)


def test_many_drawings_are_read_in_a_thread(qtbot, store, monkeypatch):
    from digitpad.gui import my_digits

    monkeypatch.setattr(my_digits, "READ_AT_ONCE", 3)
    samples = [store.add(drawing(4, shift), 4) for shift in (-8, -4, 0, 4, 8)]
    dialog = MyDigitsDialog(store)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.is_reading()
    assert dialog.header.text() == "Reading your kept drawings…"
    assert dialog.thumbnail_count() == 0
    # Asked again meanwhile (a correction kept): read again once the thread is done.
    later = store.add(drawing(4, 10), 4)
    dialog.refresh()
    qtbot.waitUntil(lambda: not dialog.is_reading())
    assert row_ids(dialog, 4) == [s.id for s in (*samples, later)]
    assert count_text(dialog, 4) == "6 samples"
    assert "6 samples of your handwriting" in dialog.header.text()
    assert dialog.scroll.isVisible()
    # Few new drawings are read at once.
    store.add(drawing(0), 0)
    dialog.refresh()
    assert not dialog.is_reading()
    assert dialog.thumbnail_count() == 7
