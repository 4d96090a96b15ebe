"""The shipped reference digits that gate the personal memory."""

import io

import numpy as np
import pytest

from digitpad.net import pen_training_set
from digitpad.net.reference_digits import (
    PER_DIGIT,
    ReferenceDigitsError,
    choose_reference,
    reference_digits,
)


def test_the_shipped_file_holds_300_of_each_digit_as_the_network_sees_them():
    x, y = reference_digits()
    assert x.shape == (3000, 28, 28)
    assert x.dtype == np.float32
    assert x.min() >= 0.0
    assert x.max() == 1.0
    np.testing.assert_array_equal(np.bincount(y, minlength=10), [PER_DIGIT] * 10)


def test_the_shipped_file_is_a_render_of_the_chosen_training_digits():
    """Catches drift: the renderer or to_mnist changed but the file was not remade."""
    digits = pen_training_set._bundled_digits()
    labels = np.array([digit.label for digit in digits])
    chosen = choose_reference(labels)
    x, y = reference_digits()
    np.testing.assert_array_equal(y, labels[chosen])
    for row in (0, 1234, 2999):
        index = int(chosen[row])
        fresh = pen_training_set._to_images(digits, 0, -1, index, index + 1, None)[0]
        # One grey level of rounding, at most, between platforms' antialiasing.
        assert np.abs(fresh.astype(int) - np.round(x[row] * 255).astype(int)).max() <= 1


def test_the_choice_is_fixed_and_stratified():
    y = np.repeat(np.arange(10), 50)
    first, again = choose_reference(y, per_digit=7), choose_reference(y, per_digit=7)
    np.testing.assert_array_equal(first, again)
    np.testing.assert_array_equal(np.bincount(y[first]), [7] * 10)
    assert len(choose_reference(np.array([3, 3, 4]), per_digit=5)) == 3  # fewer exist


def _npz(path, **arrays) -> None:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    path.write_bytes(buffer.getvalue())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"x": np.zeros((2, 28, 28), np.uint8), "y": np.array([1, 12])}, "0-9"),
        ({"x": np.zeros((2, 27, 28), np.uint8), "y": np.array([1, 2])}, "28 x 28"),
        ({"x": np.zeros((2, 28, 28), np.float64), "y": np.array([1, 2])}, "28 x 28"),
        ({"x": np.zeros((2, 28, 28), np.uint8)}, "cannot be read"),
    ],
)
def test_a_damaged_file_is_refused_with_a_clear_message(tmp_path, content, message):
    path = tmp_path / "reference.npz"
    _npz(path, **content)
    with pytest.raises(ReferenceDigitsError, match=message):
        reference_digits(path)


def test_a_missing_or_foreign_bundled_file_is_refused(tmp_path, monkeypatch):
    from digitpad.net import reference_digits as module

    monkeypatch.setattr(module, "reference_path", lambda: tmp_path / "gone.npz")
    with pytest.raises(ReferenceDigitsError, match="missing"):
        reference_digits()
    foreign = tmp_path / "foreign.npz"
    _npz(foreign, x=np.zeros((1, 28, 28), np.uint8), y=np.array([1]))
    monkeypatch.setattr(module, "reference_path", lambda: foreign)
    with pytest.raises(ReferenceDigitsError, match="damaged"):
        reference_digits()
    (tmp_path / "junk.npz").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(ReferenceDigitsError, match="cannot be read"):
        reference_digits(tmp_path / "junk.npz")
