import numpy as np
import pytest

from digitpad.net.augmentation import StrokeAugmentation, augment_strokes, pen_width

NONE = StrokeAugmentation(
    slant_deg=0,
    rotation_deg=0,
    aspect=0,
    stroke_shift=0,
    stroke_scale=0,
    stroke_rotation_deg=0,
    wobble=0,
    pen_width=(18, 18),
)


def seven() -> list[np.ndarray]:
    top = np.array([[0.0, 0.0], [50.0, 0.0]])
    down = np.array([[50.0, 0.0], [20.0, 100.0]])
    bar = np.array([[15.0, 50.0], [45.0, 50.0]])
    return [top, down, bar]


def test_no_change_gives_the_same_strokes():
    out = augment_strokes(seven(), np.random.default_rng(0), NONE)
    for before, after in zip(seven(), out, strict=True):
        np.testing.assert_allclose(after, before, atol=1e-9)


def test_slant_leans_the_top_right_for_a_positive_shear():
    aug = StrokeAugmentation(**{**NONE.__dict__, "slant_deg": 20.0})
    vertical = [np.array([[0.0, 0.0], [0.0, 100.0]])]
    leans = set()
    for seed in range(20):
        (stroke,) = augment_strokes(vertical, np.random.default_rng(seed), aug)
        top_x, bottom_x = stroke[0, 0], stroke[1, 0]
        assert abs(top_x - bottom_x) <= 100 * np.tan(np.radians(20)) + 1e-9
        leans.add(np.sign(top_x - bottom_x))
    assert leans == {-1.0, 1.0}


def test_strokes_move_against_each_other_and_repeat_with_the_seed():
    aug = StrokeAugmentation()
    first = augment_strokes(seven(), np.random.default_rng(3), aug)
    again = augment_strokes(seven(), np.random.default_rng(3), aug)
    other = augment_strokes(seven(), np.random.default_rng(4), aug)
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a, b)
    assert any(not np.allclose(a, b) for a, b in zip(first, other, strict=True))
    # The bar of the 7 is no longer exactly where the plain digit has it,
    # relative to the downstroke: a per-stroke change, not one global map.
    assert all(len(s) == len(t) for s, t in zip(first, seven(), strict=True))
    size = 100.0
    for stroke, plain in zip(first, seven(), strict=True):
        assert np.abs(stroke - plain).max() < 0.5 * size


@pytest.mark.parametrize("seed", range(5))
def test_pen_width_stays_in_range(seed):
    aug = StrokeAugmentation(pen_width=(10.0, 28.0))
    assert 10.0 <= pen_width(np.random.default_rng(seed), aug) <= 28.0
