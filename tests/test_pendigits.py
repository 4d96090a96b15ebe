"""The pendigits reader and the canvas placement used by the pen benchmark."""

from __future__ import annotations

import gzip
import importlib.util
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from digitpad.storage import pendigits

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA = pendigits.default_dir(REPO_ROOT)

needs_data = pytest.mark.skipif(
    not (DATA / "pendigits-train.gz").is_file(),
    reason=f"pendigits not found at {DATA}: set {pendigits.PENDIGITS_ENV} to its folder",
)


@pytest.fixture(scope="module")
def train():
    return pendigits.read_pendigits(pendigits.split_path(DATA, "train"))


@pytest.fixture(scope="module")
def test_split():
    return pendigits.read_pendigits(pendigits.split_path(DATA, "test"))


@needs_data
def test_counts_writers_and_labels(train, test_split):
    for digits, count, writers in ((train, 7494, 30), (test_split, 3498, 14)):
        assert len(digits) == count
        per_writer = Counter(d.writer for d in digits)
        assert sorted(per_writer) == list(range(1, writers + 1))
        # 250 digits each, a few writers with one to three missing.
        assert all(247 <= n <= 250 for n in per_writer.values())
        assert set(Counter(d.label for d in digits)) == set(range(10))
        for digit in digits:
            assert digit.strokes
            assert all(s.ndim == 2 and s.shape[1] == 2 and len(s) for s in digit.strokes)


@needs_data
def test_first_digit_is_read_exactly_with_y_flipped(train):
    first = train[0]
    assert (first.label, first.writer) == (8, 12)
    # The file's first points are "267 333", "267 336": y up on the tablet.
    np.testing.assert_array_equal(first.strokes[0][:2], [[267, -333], [267, -336]])
    # 78 coordinate lines in the file (the .COMMENT's third number, 224, is not a count).
    assert [len(s) for s in first.strokes] == [78]


@needs_data
def test_sevens_start_at_the_top(train):
    """Screen coordinates: a 7 begins with its bar, at the smallest y."""
    sevens = [d for d in train if d.label == 7]
    starts = []
    for digit in sevens:
        points = np.concatenate(digit.strokes)
        top, bottom = points[:, 1].min(), points[:, 1].max()
        starts.append((digit.strokes[0][0, 1] - top) / (bottom - top))
    assert np.median(starts) < 0.1


def test_parser_on_a_small_file(tmp_path):
    text = (
        '.SEGMENT DIGIT    0 ? "4"\n.COMMENT 4 3  3\n.PEN_DOWN\n 10  20\n 11  25\n.PEN_UP\n'
        ".PEN_DOWN\n 5  5\n.PEN_UP\n.DT 100\n\n"
        '.SEGMENT DIGIT    1 ? "1"\n.COMMENT 1 3  1\n.PEN_DOWN\n 7  8\n.PEN_UP\n'
    )
    path = tmp_path / "tiny.gz"
    with gzip.open(path, "wt") as handle:
        handle.write(text)
    digits = pendigits.read_pendigits(path)
    assert [(d.label, d.writer, len(d.strokes)) for d in digits] == [(4, 3, 2), (1, 3, 1)]
    np.testing.assert_array_equal(digits[0].strokes[0], [[10, -20], [11, -25]])


def test_bad_files_are_clear_errors(tmp_path):
    with pytest.raises(pendigits.PendigitsError, match="not found"):
        pendigits.read_pendigits(tmp_path / "missing.gz")
    bad = tmp_path / "bad.txt"
    bad.write_text('.SEGMENT DIGIT 0 ? "3"\n.COMMENT 3 1 1\n.PEN_DOWN\n 1 x\n.PEN_UP\n')
    with pytest.raises(pendigits.PendigitsError, match="bad.txt:4"):
        pendigits.read_pendigits(bad)


def test_default_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv(pendigits.PENDIGITS_ENV, raising=False)
    assert pendigits.default_dir(tmp_path / "repo") == tmp_path / "shared" / "data" / "pendigits"
    monkeypatch.setenv(pendigits.PENDIGITS_ENV, str(tmp_path / "elsewhere"))
    assert pendigits.default_dir(tmp_path / "repo") == tmp_path / "elsewhere"


def test_place_on_canvas_scales_keeps_aspect_and_stays_on(tmp_path):
    rng = np.random.default_rng(0)
    strokes = [np.array([[0.0, 0.0], [30.0, -100.0]]), np.array([[10.0, -50.0]])]
    heights = []
    for _ in range(200):
        placed = pendigits.place_on_canvas(strokes, 280, rng, margin=10.0)
        points = np.concatenate(placed)
        low, high = points.min(axis=0), points.max(axis=0)
        assert low.min() >= 10.0 - 1e-9
        assert high.max() <= 270.0 + 1e-9
        width, height = high - low
        assert width / height == pytest.approx(0.3)
        heights.append(height / 280)
    assert 0.45 <= min(heights) < 0.5
    assert 0.75 < max(heights) <= 0.80
    # Seeded: the same generator state gives the same placement.
    a = pendigits.place_on_canvas(strokes, 280, np.random.default_rng(5))
    b = pendigits.place_on_canvas(strokes, 280, np.random.default_rng(5))
    np.testing.assert_array_equal(np.concatenate(a), np.concatenate(b))


def test_wide_and_flat_digits_fit():
    dash = [np.array([[0.0, 0.0], [400.0, 0.0]])]
    placed = np.concatenate(pendigits.place_on_canvas(dash, 280, np.random.default_rng(1)))
    assert placed[:, 0].max() - placed[:, 0].min() <= 260.0 + 1e-9
    assert np.isfinite(placed).all()
    dot = [np.array([[5.0, 5.0]])]
    placed = np.concatenate(pendigits.place_on_canvas(dot, 280, np.random.default_rng(1)))
    assert np.isfinite(placed).all()
    assert placed.min() >= 0
    assert placed.max() <= 280


@needs_data
def test_speck_removal_never_cuts_real_digits(qapp):
    """Separate strokes of real digits (a 5's flag, a 4's bar) are not specks."""
    from digitpad.drawing.mnist_format import to_mnist

    # By path: plain `pytest` does not put the repository root on sys.path.
    spec = importlib.util.spec_from_file_location(
        "pen_data", REPO_ROOT / "tests" / "benchmarks" / "pen_data.py"
    )
    pen_data = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pen_data)

    changed = 0
    for (canvas, _, _), _ in zip(pen_data.canvases("train"), range(300), strict=False):
        if not np.array_equal(to_mnist(canvas), to_mnist(canvas, remove_specks=False)):
            changed += 1
    assert changed == 0
