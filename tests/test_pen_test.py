"""pendigits-test: measured when a copy is given, unknown otherwise."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from digitpad.net.pen_test import PEN_TEST_ENV, find_pen_test, pen_test_images

SHARED_TEST = (
    Path(__file__).resolve().parents[1].parent / "shared/data/pendigits/pendigits-test.gz"
)


def first_digits(folder: Path, count: int) -> Path:
    """A pendigits-test file holding only its first ``count`` digits."""
    if not SHARED_TEST.is_file():
        pytest.skip(f"no pendigits-test at {SHARED_TEST}")
    text = gzip.decompress(SHARED_TEST.read_bytes()).decode("ascii")
    cut = text.split(".SEGMENT")
    path = folder / "pendigits-test.gz"
    path.write_bytes(gzip.compress(".SEGMENT".join(cut[: count + 1]).encode("ascii")))
    return path


def test_no_copy_means_unknown_and_a_wrong_path_is_said(monkeypatch, tmp_path):
    monkeypatch.delenv(PEN_TEST_ENV, raising=False)
    assert find_pen_test() is None
    monkeypatch.setenv(PEN_TEST_ENV, str(tmp_path / "nowhere.gz"))
    with pytest.raises(ValueError, match="no pendigits-test file at DIGITPAD_PENDIGITS_TEST="):
        find_pen_test()
    path = first_digits(tmp_path, 3)
    monkeypatch.setenv(PEN_TEST_ENV, str(tmp_path))  # a folder holding it
    assert find_pen_test() == path


def test_digits_are_rendered_through_the_canvas_pipeline_and_cached(tmp_path):
    path = first_digits(tmp_path, 12)
    x, y = pen_test_images(path)
    assert x.shape == (12, 28, 28)
    assert x.dtype == np.uint8
    assert y[0] == 8  # the file's first digit
    assert (x.reshape(12, -1).max(axis=1) > 200).all()  # ink in every image
    again_x, _ = pen_test_images(path)
    np.testing.assert_array_equal(again_x, x)


@pytest.mark.mnist
def test_a_networks_accuracy_on_the_pen_writers(tmp_path, mnist):  # noqa: ARG001
    from digitpad.net.lenet import build_lenet
    from digitpad.net.pen_test import pen_test_accuracy

    path = first_digits(tmp_path, 20)
    accuracy, images = pen_test_accuracy(build_lenet(), path)
    assert images == 20
    assert 0.0 <= accuracy <= 1.0
    assert pen_test_accuracy(build_lenet(), None) is None
