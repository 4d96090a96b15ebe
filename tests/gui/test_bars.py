"""The prediction bars: the read-only ``probabilities`` property and the top digit."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from digitpad.gui.bars import PredictionBars


@pytest.fixture
def bars(qtbot):
    widget = PredictionBars()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_starts_empty(bars):
    assert bars.objectName() == "predictionBars"
    assert bars.property("probabilities") == []
    assert bars.top_digit() is None


def test_shows_ten_probabilities_summing_to_one(qtbot, bars):
    values = [0.01] * 10
    values[3] = 0.91
    with qtbot.waitSignal(bars.probabilitiesChanged):
        bars.set_probabilities(values)
    shown = bars.property("probabilities")
    assert len(shown) == 10
    assert abs(sum(shown) - 1.0) < 1e-9
    assert bars.top_digit() == 3
    bars.grab()  # paints without error
    bars.clear()
    assert bars.property("probabilities") == []


def test_property_is_read_only(bars):
    bars.setProperty("probabilities", [0.1] * 10)
    assert bars.property("probabilities") == []


@pytest.mark.parametrize("values", [[0.1] * 9, [0.5, -0.1] + [0.06] * 8, [0.0] * 10])
def test_rejects_nonsense(bars, values):
    with pytest.raises(ValueError):
        bars.set_probabilities(values)


def accessible_rows(widget):
    """The names of the bars' accessible children, as assistive technology reads them."""
    from PySide6.QtGui import QAccessible

    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    names = [interface.child(i).text(QAccessible.Text.Name) for i in range(interface.childCount())]
    return interface, names


def test_each_digit_is_read_out_by_assistive_technology(bars):
    from PySide6.QtGui import QAccessible

    interface, names = accessible_rows(bars)
    assert names == [f"{d}: no prediction" for d in range(10)]
    assert interface.text(QAccessible.Text.Name) == "Prediction"
    assert interface.text(QAccessible.Text.Description) == "No prediction"

    values = [0.002] * 10
    values[3] = 0.97
    values[8] = 0.012
    values[5] = 0.0
    bars.set_probabilities(values)
    interface, names = accessible_rows(bars)
    assert names[3] == "3: 97 percent"
    assert names[8] == "8: 1 percent"
    assert names[0] == "0: less than 1 percent"
    assert names[5] == "5: 0 percent"
    assert interface.text(QAccessible.Text.Description) == "Most likely 3, 97 percent"
    # The rows lie over the painted bars, in order, one under the other.
    area = interface.rect()
    rows = [interface.child(i).rect() for i in range(10)]
    assert all(area.contains(row) and row.height() > 0 for row in rows)
    assert all(a.bottom() < b.top() for a, b in zip(rows[:-1], rows[1:], strict=True))

    bars.clear()
    _, names = accessible_rows(bars)
    assert names == [f"{d}: no prediction" for d in range(10)]


def test_a_click_on_a_row_still_reaches_the_bars(qtbot, bars):
    from PySide6.QtCore import QPoint

    bars.resize(260, 244)
    row_height = (bars.height() - 4) / 10
    with qtbot.waitSignal(bars.digitClicked) as blocker:
        qtbot.mouseClick(
            bars, Qt.MouseButton.LeftButton, pos=QPoint(100, int(2 + 6.5 * row_height))
        )
    assert blocker.args == [6]


# -- the keyboard: a framed row, Up/Down, Space/Enter ------------------------------


@pytest.fixture
def focused_bars(qtbot, bars):
    """The bars with 3 most likely, given the keyboard focus with Tab (as in the window)."""
    bars.resize(260, 244)
    bars.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    values = [0.002] * 10
    values[3] = 0.97
    values[8] = 0.012
    bars.set_probabilities(values)
    bars.activateWindow()
    qtbot.waitUntil(bars.isActiveWindow)
    bars.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(bars.hasFocus)
    return bars


def description(widget) -> str:
    from PySide6.QtGui import QAccessible

    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Description)


def frame_drawn(bars, digit: int) -> bool:
    """Whether the highlight-coloured frame is painted round ``digit``'s row."""
    from PySide6.QtGui import QPalette

    image = bars.grab().toImage()
    row = (bars.height() - 4) / 10
    highlight = bars.palette().color(QPalette.ColorRole.Highlight)
    # The left edge of the row, half-way down: only the frame paints there.
    color = image.pixelColor(1, int(2 + (digit + 0.5) * row))
    return (color.red(), color.green(), color.blue()) == (
        highlight.red(),
        highlight.green(),
        highlight.blue(),
    )


def test_the_focus_frames_the_most_likely_row(focused_bars):
    bars = focused_bars
    assert bars.framed_digit() == 3
    assert frame_drawn(bars, 3)
    assert not frame_drawn(bars, 4)
    assert description(bars) == (
        "Most likely 3, 97 percent. Chosen row 3: 97 percent; Space keeps the drawing as a 3"
    )
    bars.clearFocus()
    assert bars.framed_digit() is None
    assert not frame_drawn(bars, 3)
    assert description(bars) == "Most likely 3, 97 percent"


def test_up_and_down_move_the_frame(qtbot, focused_bars):
    bars = focused_bars
    qtbot.keyClick(bars, Qt.Key.Key_Down)
    assert bars.framed_digit() == 4
    assert frame_drawn(bars, 4)
    assert description(bars).endswith(
        "Chosen row 4: less than 1 percent; Space keeps the drawing as a 4"
    )
    for _ in range(3):
        qtbot.keyClick(bars, Qt.Key.Key_Up)
    assert bars.framed_digit() == 1
    qtbot.keyClick(bars, Qt.Key.Key_Home)
    qtbot.keyClick(bars, Qt.Key.Key_Up)  # stays on the first row
    assert bars.framed_digit() == 0
    qtbot.keyClick(bars, Qt.Key.Key_End)
    qtbot.keyClick(bars, Qt.Key.Key_Down)
    assert bars.framed_digit() == 9


@pytest.mark.parametrize("key", [Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_space_or_enter_does_what_a_click_on_the_row_does(qtbot, focused_bars, key):
    bars = focused_bars
    qtbot.keyClick(bars, Qt.Key.Key_Down)
    qtbot.keyClick(bars, Qt.Key.Key_Down)
    with qtbot.waitSignal(bars.digitClicked, timeout=1000) as blocker:
        qtbot.keyClick(bars, key)
    assert blocker.args == [5]


def test_the_frame_starts_again_on_the_most_likely_row(qtbot, focused_bars):
    bars = focused_bars
    qtbot.keyClick(bars, Qt.Key.Key_Up)
    assert bars.framed_digit() == 2
    bars.clearFocus()
    values = [0.01] * 10
    values[7] = 0.91
    bars.set_probabilities(values)
    bars.setFocus(Qt.FocusReason.TabFocusReason)
    assert bars.framed_digit() == 7
