"""saliency_map: the geometry to_mnist applies, and 28x28 maps carried back to the canvas."""

from __future__ import annotations

import numpy as np
import pytest

from digitpad.drawing import mnist_format
from digitpad.drawing.mnist_format import Placement, to_mnist, to_mnist_placed
from digitpad.drawing.saliency import overlay_rgba, smooth, to_canvas


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    """Continuous coordinates (pixel i spans [i, i + 1))."""
    total = float(image.sum())
    rows = image.sum(axis=1) @ (np.arange(image.shape[0]) + 0.5) / total
    cols = image.sum(axis=0) @ (np.arange(image.shape[1]) + 0.5) / total
    return float(rows), float(cols)


def thick_line(image, start, end, width) -> None:
    """Ink a straight stroke of ``width`` from ``start`` to ``end`` (row, col)."""
    rr, cc = np.mgrid[: image.shape[0], : image.shape[1]].astype(np.float64) + 0.5
    (r0, c0), (r1, c1) = start, end
    dr, dc = r1 - r0, c1 - c0
    t = np.clip(((rr - r0) * dr + (cc - c0) * dc) / (dr * dr + dc * dc), 0.0, 1.0)
    distance = np.hypot(rr - (r0 + t * dr), cc - (c0 + t * dc))
    image[distance <= width / 2] = 1.0


def drawings() -> dict[str, np.ndarray]:
    """Binary drawings of several sizes, places, stroke widths; one with a speck."""
    out = {}
    for name, width, shift, size in (
        ("seven-thin", 6, (0, 0), 1.0),
        ("seven-medium", 18, (30, -40), 0.7),
        ("seven-thick", 34, (-20, 25), 1.0),
        ("seven-small", 10, (60, 60), 0.35),
    ):
        image = np.zeros((280, 280), np.float32)
        r, c = 140 + shift[0], 140 + shift[1]
        top = (r - 100 * size, c - 60 * size)
        corner = (r - 100 * size, c + 60 * size)
        foot = (r + 100 * size, c - 10 * size)
        thick_line(image, top, corner, width)
        thick_line(image, corner, foot, width)
        out[name] = image
    one = np.zeros((300, 200), np.float32)  # not square
    thick_line(one, (40, 110), (260, 95), 16)
    out["one-tall-canvas"] = one
    speck = out["seven-medium"].copy()
    speck[250:256, 250:256] = 1.0  # a stray click far away
    out["seven-with-speck"] = speck
    return out


def placement(image, **kwargs):
    """The geometry to_mnist applied to ``image`` (``None`` when blank)."""
    placed = to_mnist_placed(image, **kwargs)
    return None if placed is None else placed.placement


@pytest.mark.parametrize("name", list(drawings()))
def test_placement_without_stroke_change_is_to_mnist_exactly(name):
    image = drawings()[name]
    where = placement(image, stroke_width=None)
    expected = to_mnist(image, stroke_width=None)
    if name == "seven-with-speck":
        image = image.copy()
        image[250:256, 250:256] = 0.0  # to_mnist leaves the speck out of the crop
    # The same area resampling as to_mnist, of the whole canvas by the placement.
    rows = (where.scale, where.row_offset, 28)
    cols = (where.scale, where.col_offset, 28)
    mapped = np.clip(mnist_format._resample(image, rows, cols), 0.0, 1.0)
    assert np.abs(mapped - expected).max() < 1e-5


@pytest.mark.parametrize("name", list(drawings()))
def test_placement_matches_to_mnist_with_stroke_width_change(name):
    image = drawings()[name]
    x28 = to_mnist(image)
    where = placement(image)
    if name == "seven-with-speck":
        image = image.copy()
        image[250:256, 250:256] = 0.0
    rows = (where.scale, where.row_offset, 28)
    cols = (where.scale, where.col_offset, 28)
    mapped = mnist_format._resample(image, rows, cols)
    # The stroke-width change moves the centre of mass a little, nothing more.
    assert np.allclose(centre_of_mass(mapped), centre_of_mass(x28), atol=0.4)
    # The long side fills the 20-pixel box, as in to_mnist.
    height, width = image.shape
    box = max(
        np.ptp(np.flatnonzero(image.max(axis=1) > 0.5)) + 1,
        np.ptp(np.flatnonzero(image.max(axis=0) > 0.5)) + 1,
    )
    assert box * where.scale == pytest.approx(mnist_format.BOX, rel=0.12)
    # The model input carried back to the canvas lies on the drawn ink (within
    # two input pixels: to_mnist thickens thin strokes to 2 pixels).
    back = to_canvas(x28, where, (height, width))
    near_ink = _dilate(image > 0.5, round(2.0 / where.scale))
    assert back[near_ink].sum() / back.sum() > 0.97
    assert (back[image > 0.5] > 0.05).mean() > 0.95


def test_placement_of_a_blank_canvas_is_none():
    assert placement(np.zeros((280, 280), np.float32)) is None
    # No ink to colour: nothing to show, wherever the map would land.
    where = Placement(scale=0.1, row_offset=0.0, col_offset=0.0)
    assert overlay_rgba(np.ones((28, 28), np.float32), np.zeros((280, 280)), where) is None


def test_to_canvas_puts_an_input_pixel_where_it_came_from():
    where = Placement(scale=0.1, row_offset=2.0, col_offset=-1.0)
    spot = np.zeros((28, 28), np.float32)
    spot[10, 17] = 1.0
    back = to_canvas(spot, where, (280, 280))
    row, col = np.unravel_index(int(back.argmax()), back.shape)
    # Input pixel (10, 17) has its centre at (10.5, 17.5).
    expected = where.to_canvas(10.5, 17.5)
    assert abs(row + 0.5 - expected[0]) <= 1.0
    assert abs(col + 0.5 - expected[1]) <= 1.0
    assert where.to_input(*where.to_canvas(3.0, 4.0)) == pytest.approx((3.0, 4.0))
    with pytest.raises(ValueError, match="28x28"):
        to_canvas(np.zeros((27, 28)), where, (280, 280))


def test_smooth_keeps_the_mass_inside_the_field():
    spot = np.zeros((28, 28), np.float32)
    spot[14, 14] = 1.0
    blurred = smooth(spot)
    assert blurred.sum() == pytest.approx(1.0, abs=1e-5)
    assert blurred[14, 14] < 1.0
    assert blurred.argmax() == 14 * 28 + 14


def test_overlay_colours_the_ink_by_push_and_pull():
    image = drawings()["seven-medium"]
    where = placement(image)
    gradient = np.zeros((28, 28), np.float32)
    gradient[:14] = 1.0  # the upper half of the input raises the class
    gradient[14:] = -1.0  # the lower half lowers it
    rgba = overlay_rgba(gradient, image, where)
    assert rgba.shape == (280, 280, 4)
    assert rgba.dtype == np.uint8
    assert (rgba[..., :3].max(axis=2) <= rgba[..., 3]).all()  # premultiplied
    ink = image > 0.5
    rows = np.flatnonzero(ink.any(axis=1))
    upper = rgba[rows[0] + 5][ink[rows[0] + 5]]
    lower = rgba[rows[-1] - 5][ink[rows[-1] - 5]]
    assert (upper[:, 3] > 150).all()
    assert (upper[:, 0] > upper[:, 2]).all()  # orange
    assert (lower[:, 3] > 150).all()
    assert (lower[:, 2] > lower[:, 0]).all()  # blue
    assert (rgba[~ink, 3] == 0).all()  # only the ink is coloured (binary drawing)
    assert overlay_rgba(np.zeros((28, 28), np.float32), image, where) is None


def _dilate(mask: np.ndarray, steps: int) -> np.ndarray:
    out = mask.copy()
    for _ in range(max(1, steps)):
        padded = np.pad(out, 1)
        out = (
            padded[1:-1, 1:-1]
            | padded[:-2, 1:-1]
            | padded[2:, 1:-1]
            | padded[1:-1, :-2]
            | padded[1:-1, 2:]
        )
    return out
