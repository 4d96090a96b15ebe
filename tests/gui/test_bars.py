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
