"""The prediction bars: the read-only ``probabilities`` property and the top digit."""

from __future__ import annotations

import pytest

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
