"""The network view: opens, updates from a real small model with the prediction, names maps."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import SEVEN, draw_strokes, hover
from PySide6.QtCore import QObject, QPointF

from digitpad.gui.network_view import NetworkView, atlas

TIMEOUT_MS = 90_000


def fake_layers(seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    probabilities = rng.random(10).astype(np.float32)
    return {
        "input": rng.random((28, 28)).astype(np.float32),
        "conv1": rng.random((24, 24, 20)).astype(np.float32),
        "pool2": rng.random((6, 6, 50)).astype(np.float32),
        "fc1": rng.random(500).astype(np.float32),
        "probabilities": probabilities / probabilities.sum(),
    }


def test_atlas_tiles_maps_in_reading_order():
    maps = np.zeros((2, 2, 3), np.float32)
    for k in range(3):
        maps[..., k] = k + 1
    tiled = atlas(maps, rows=2, cols=2)
    assert tiled.shape == (4, 4)
    assert tiled[0, 0] == round(255 / 3)  # map 1 top-left
    assert tiled[0, 2] == round(2 * 255 / 3)  # map 2 top-right
    assert tiled[2, 0] == 255  # map 3 bottom-left
    assert tiled[2, 2] == 0  # no map 4


def test_view_names_what_is_hovered(qtbot):
    view = NetworkView()
    qtbot.addWidget(view)
    view.resize(900, 240)
    view.set_layers(fake_layers())
    view.show()
    qtbot.waitExposed(view)
    assert view.objectName() == "networkView"
    with qtbot.waitSignal(view.hovered) as blocker:
        hover(view, view.map_rect("conv1", 6).center())
    assert blocker.args == ["conv1 map 7"]
    assert view.hovered_name() == "conv1 map 7"
    assert view.describe("conv1 map 7").startswith("conv1 map 7 · peak ")
    assert view.map_at(view.map_rect("pool2", 49).center()) == "pool2 map 50"
    assert view.map_at(view.map_rect("fc1", 0).center()) == "fc1 unit 1"
    hover(view, QPointF(1, 1))
    assert view.hovered_name() == ""
    view.clear()
    assert not view.has_layers()
    view.grab()  # paints without data too


def test_view_rejects_wrong_shapes(qtbot):
    view = NetworkView()
    qtbot.addWidget(view)
    layers = fake_layers()
    layers["conv1"] = np.zeros((24, 24, 19), np.float32)
    with pytest.raises(ValueError, match="conv1"):
        view.set_layers(layers)


@pytest.mark.mnist
def test_network_view_follows_live_prediction(qtbot, ready_window):
    window = ready_window
    action = window.findChild(QObject, "actionShowNetwork")
    assert action is not None
    action.trigger()
    view = window.findChild(QObject, "networkView")
    assert view is not None
    qtbot.waitUntil(view.isVisible, timeout=5000)
    with qtbot.waitSignal(window.predictionShown, timeout=TIMEOUT_MS):
        draw_strokes(qtbot, window.canvas, SEVEN)
    qtbot.waitUntil(lambda: not window.is_prediction_pending(), timeout=TIMEOUT_MS)
    assert view.has_layers()
    shown = window.bars.property("probabilities")
    # The view's outputs are the bars' probabilities (the same compiled call);
    # the bars show them calibrated, as the "?" decision reads them.
    # Calibrated once: the network view shows the very probabilities of the bars.
    assert np.allclose(view.layer("probabilities"), shown, atol=1e-6)
    assert np.allclose(view.layer("input"), window.preview.array())
    assert view.layer("conv1").shape == (24, 24, 20)
    assert view.layer("pool2").shape == (6, 6, 50)
    assert view.layer("fc1").shape == (500,)
    assert view.layer("conv1").max() > 0  # the drawing lights some maps up
    hover(view, view.map_rect("conv1", 0).center())
    assert view.hovered_name() == "conv1 map 1"
    view.grab()
    window.canvas.clear()
    qtbot.waitUntil(lambda: not view.has_layers(), timeout=5000)
    action.trigger()
    qtbot.waitUntil(lambda: not view.isVisible(), timeout=5000)
