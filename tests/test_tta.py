import numpy as np
import pytest

from digitpad.drawing.tta import VARIANTS, average, tta_batch


def bar(row: int = 14, cols: slice = slice(8, 20)) -> np.ndarray:
    image = np.zeros((28, 28), np.float32)
    image[row, cols] = 1.0
    return image


def test_first_copy_is_the_drawing_and_all_stay_in_range():
    image = np.random.default_rng(0).random((28, 28)).astype(np.float32)
    batch = tta_batch(image)
    assert batch.shape == (len(VARIANTS), 28, 28)
    assert batch.dtype == np.float32
    np.testing.assert_array_equal(batch[0], image)
    assert batch.min() >= 0.0
    assert batch.max() <= 1.0


def test_uint8_drawings_are_scaled():
    image = np.zeros((28, 28), np.uint8)
    image[10:18, 12] = 255
    np.testing.assert_array_equal(tta_batch(image)[0], image / 255.0)


def test_shifts_move_ink_by_one_pixel():
    image = np.zeros((28, 28), np.float32)
    image[10, 12] = 1.0
    batch = dict(zip(VARIANTS, tta_batch(image), strict=True))
    expected = {"shift_left": (10, 11), "shift_right": (10, 13), "shift_up": (9, 12)}
    expected["shift_down"] = (11, 12)
    for name, (row, col) in expected.items():
        assert np.argwhere(batch[name] > 0).tolist() == [[row, col]], name


def test_slants_lean_a_vertical_stroke_both_ways_and_keep_its_ink():
    image = np.zeros((28, 28), np.float32)
    image[4:24, 14] = 1.0
    batch = dict(zip(VARIANTS, tta_batch(image), strict=True))
    for name, sign in (("slant_right", 1), ("slant_left", -1)):
        slanted = batch[name]
        assert slanted.sum() == pytest.approx(image.sum(), rel=1e-5)
        columns = np.arange(28)
        top = (slanted[4] * columns).sum() / slanted[4].sum()
        bottom = (slanted[23] * columns).sum() / slanted[23].sum()
        # A slant of 8 degrees over 19 rows moves the ends ~2.7 px apart.
        assert sign * (top - bottom) == pytest.approx(19 * np.tan(np.radians(8)), abs=0.05)


def test_thicker_adds_ink_around_strokes_only():
    image = bar()
    thicker = dict(zip(VARIANTS, tta_batch(image), strict=True))["thicker"]
    assert thicker.sum() > image.sum()
    assert (thicker[image > 0] == 1.0).all()
    assert thicker[13, 10] == pytest.approx(0.5)
    assert thicker[11, 10] == 0.0


def test_wrong_shape_is_refused():
    with pytest.raises(ValueError, match="28 x 28"):
        tta_batch(np.zeros((1, 28, 28), np.float32))


def test_average_is_the_mean_of_the_copies():
    probabilities = np.eye(10)[[3, 3, 5, 3]]
    np.testing.assert_allclose(average(probabilities), [0, 0, 0, 0.75, 0, 0.25, 0, 0, 0, 0])
