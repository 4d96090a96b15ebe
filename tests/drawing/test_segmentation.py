"""Segmentation of a drawn number into digits, on real pendigits-TRAIN handwriting."""

from __future__ import annotations

import functools
import math
from pathlib import Path

import numpy as np
import pytest

from digitpad.drawing import segmentation
from digitpad.drawing.render import render_to_array
from digitpad.drawing.segmentation import Segmentation, segment_image, segment_strokes
from digitpad.storage import pendigits

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA = pendigits.default_dir(REPO_ROOT)
PEN = 18.0
HEIGHT = 130.0

pytestmark = pytest.mark.skipif(
    not (DATA / "pendigits-train.gz").is_file(),
    reason=f"pendigits not found at {DATA}: set {pendigits.PENDIGITS_ENV} to its folder",
)


@functools.cache
def train_digits() -> list[pendigits.PenDigit]:
    return pendigits.read_pendigits(pendigits.split_path(DATA, "train"))


def sample(label: int, writer: int, strokes: int | None = None) -> list[np.ndarray]:
    """The first train digit ``label`` of ``writer`` (with that many strokes, if given)."""
    for digit in train_digits():
        right = digit.label == label and digit.writer == writer
        if right and (strokes is None or len(digit.strokes) == strokes):
            return digit.strokes
    pytest.skip(f"writer {writer} has no {label} in {strokes} strokes")


def write(digits: list[list[np.ndarray]], gap: float = 0.3 * HEIGHT) -> list[list[np.ndarray]]:
    """Digits scaled to HEIGHT ink height, side by side, ``gap`` apart (ink boxes)."""
    placed, x = [], 40.0
    for strokes in digits:
        points = np.concatenate(strokes)
        low = points.min(axis=0)
        scale = (HEIGHT - PEN) / max(points[:, 1].max() - low[1], 1.0)
        moved = [(s - low) * scale + np.array([x + PEN / 2, 60.0]) for s in strokes]
        placed.append(moved)
        x = max(float(s[:, 0].max()) for s in moved) + PEN / 2 + gap
    return placed


def flat(placed: list[list[np.ndarray]]) -> tuple[list[np.ndarray], list[int]]:
    strokes = [s for digit in placed for s in digit]
    owner = [i for i, digit in enumerate(placed) for _ in digit]
    return strokes, owner


def owners_of(seg: Segmentation, indices: list[int], owner: list[int]) -> list[set[int]]:
    return [{owner[e] for e in seg.pieces[i].elements} for i in indices]


@pytest.mark.parametrize("length", [1, 2, 3, 4, 5, 6])
def test_numbers_of_train_digits_give_their_digits_in_order(length: int) -> None:
    rng = np.random.default_rng(length)
    for writer in (1, 7, 13, 19, 25):
        labels = rng.integers(0, 10, size=length)
        strokes, owner = flat(write([sample(int(label), writer) for label in labels]))
        seg = segment_strokes(strokes, PEN)
        chosen = seg.default()
        assert owners_of(seg, chosen, owner) == [{i} for i in range(length)], (writer, labels)
        lefts = [seg.pieces[i].box[0] for i in chosen]
        assert lefts == sorted(lefts)


@pytest.mark.parametrize("writer", [1, 5, 9, 14, 21])
def test_a_two_stroke_4_and_a_7_with_a_bar_stay_one_digit_each(writer: int) -> None:
    four, seven = sample(4, writer, strokes=2), sample(7, writer, strokes=2)
    strokes, owner = flat(write([four, seven, four]))
    seg = segment_strokes(strokes, PEN)
    assert owners_of(seg, seg.default(), owner) == [{0}, {1}, {2}]
    assert [len(seg.pieces[i].elements) for i in seg.default()] == [2, 2, 2]


def test_a_dot_stays_with_its_digit() -> None:
    strokes, owner = flat(write([sample(3, 4), sample(1, 4)], gap=0.4 * HEIGHT))
    three = np.concatenate(strokes[: owner.count(0)])
    # A dot just under the 3 and one just right of the 1 (a full stop).
    under = np.array([[three[:, 0].mean(), three[:, 1].max() + 1.2 * PEN]])
    one = np.concatenate(strokes[owner.count(0) :])
    after = np.array([[one[:, 0].max() + 1.5 * PEN, one[:, 1].max()]])
    seg = segment_strokes([*strokes, under, after], PEN)
    chosen = seg.default()
    assert len(chosen) == 2
    assert len(strokes) in seg.pieces[chosen[0]].elements
    assert len(strokes) + 1 in seg.pieces[chosen[1]].elements


def looped(cx: float, cy: float, rx: float, ry: float, start: float = 0.0) -> np.ndarray:
    t = np.linspace(start, start + 2 * math.pi, 60)
    return np.stack([cx + rx * np.cos(t), cy + ry * np.sin(t)], axis=1)


def test_two_zeros_in_one_stroke_are_offered_split_where_they_touch() -> None:
    # "00" without lifting the pen: the loops touch at x = 200.
    left, right = looped(160, 150, 40, 60), looped(240, 150, 40, 60, start=math.pi)
    seg = segment_strokes([np.concatenate([left, right])], PEN)
    (group,) = seg.groups
    assert group.primitives == 2
    boundaries = [
        seg.pieces[p].box[2] for first, stop, p in group.spans if (first, stop) == (0, 1)
    ]
    assert boundaries
    assert abs(boundaries[0] - 200.0) < 0.15 * seg.height
    # No wider than a wide 0: the geometric guess keeps it whole, the
    # network's probabilities decide.
    assert len(seg.default()) == 1
    whole = next(p for first, stop, p in group.spans if (first, stop) == (0, 2))
    sure_whole = np.full((len(seg.pieces), 10), 0.1)
    sure_whole[whole] = np.eye(10)[8]
    assert seg.choose(sure_whole) == [whole]
    sure_split = np.full((len(seg.pieces), 10), 0.1)
    halves = [p for first, stop, p in group.spans if stop - first == 1]
    sure_split[halves] = np.eye(10)[0]
    assert seg.choose(sure_split) == halves


# A 4 as some write it: the bar's stroke ends just short of the stem, whose
# ink (pen 18) overlaps the bar's end by a few pixels (pendigits test writer 12).
FOUR_APART = [
    np.array([[150.0, 40.0], [130.0, 128.0], [184.0, 128.0]]),
    np.array([[190.0, 78.0], [200.0, 188.0]]),
]


def test_a_4_with_its_stem_apart_is_read_both_ways() -> None:
    seg = segment_strokes(FOUR_APART, PEN)
    (group,) = seg.groups
    assert group.primitives == 2
    whole = next(p for first, stop, p in group.spans if (first, stop) == (0, 2))
    halves = [p for first, stop, p in group.spans if stop - first == 1]
    assert [seg.pieces[p].elements for p in halves] == [(0,), (1,)]
    assert seg.default() == halves  # geometry alone keeps them apart, as before
    sure_four = np.full((len(seg.pieces), 10), 0.1)
    sure_four[whole] = np.eye(10)[4]
    assert seg.choose(sure_four) == [whole]
    sure_split = np.full((len(seg.pieces), 10), 0.1)
    sure_split[halves] = np.eye(10)[1]
    assert seg.choose(sure_split) == halves


def test_touching_neighbours_in_a_longer_number_stay_apart() -> None:
    one = [np.array([[300.0, 78.0], [305.0, 188.0]])]
    seg = segment_strokes(FOUR_APART + [np.array([[240.0, 70.0], [245.0, 190.0]])] + one, PEN)
    assert len(seg.groups) == 4  # the bar, the stem and two 1s: no pair offered as one
    assert all(group.primitives == 1 for group in seg.groups)


def test_a_joined_pair_the_shape_check_rejects_whole_is_read_apart() -> None:
    from digitpad.drawing.number_input import Drawing, prepare

    # Two 0s in two strokes, their ink touching: joined, and the whole looks
    # like two digits side by side.
    left, right = looped(160, 150, 40, 60), looped(240, 150, 40, 60, start=math.pi)
    strokes = tuple(tuple(map(tuple, loop.tolist())) for loop in (left, right))
    prepared = prepare(Drawing(strokes, (PEN, PEN)))
    (group,) = prepared.segmentation.groups
    assert group.joined
    whole = next(p for first, stop, p in group.spans if (first, stop) == (0, 2))
    sure_whole = np.full((len(prepared.inputs), 10), 0.1)
    sure_whole[whole] = np.eye(10)[8]
    assert prepared.segmentation.choose(sure_whole) == [whole]  # the network alone
    assert [d.elements for d in prepared.digits(sure_whole)] == [(0,), (1,)]


def test_a_wide_group_s_whole_is_not_vetoed() -> None:
    from digitpad.drawing.number_input import Drawing, prepare

    # "00" in one stroke is one wide group, not a joined pair: the network's
    # choice stands (a wide scribble must stay one "?", not become digits).
    left, right = looped(160, 150, 40, 60), looped(240, 150, 40, 60, start=math.pi)
    stroke = tuple(map(tuple, np.concatenate([left, right]).tolist()))
    prepared = prepare(Drawing((stroke,), (PEN,)))
    (group,) = prepared.segmentation.groups
    assert not group.joined
    whole = next(p for first, stop, p in group.spans if (first, stop) == (0, 2))
    sure_whole = np.full((len(prepared.inputs), 10), 0.1)
    sure_whole[whole] = np.eye(10)[8]
    assert [d.piece for d in prepared.digits(sure_whole)] == [whole]


def test_a_digit_tucked_under_its_neighbour_can_be_split_off() -> None:
    # A 2 with a long base running under the 1 that follows it.
    two = np.array([[100, 80], [150, 60], [190, 90], [110, 190], [330, 190]], float)
    one = np.array([[280, 50], [280, 175]], float)
    seg = segment_strokes([two, one], PEN)
    (group,) = seg.groups
    singles = {seg.pieces[p].elements for first, stop, p in group.spans if stop - first == 1}
    assert {(0,), (1,)} <= singles


def test_a_wide_bar_through_a_7_is_never_a_digit_of_its_own() -> None:
    # A European 7 whose bar, wider than the 7, crosses its stem: the group
    # is wide enough to be offered splits, but no split separates the bar.
    body = np.array([[100, 60], [190, 60], [130, 190]], float)
    bar = np.array([[90, 130], [215, 128]], float)
    seg = segment_strokes([body, bar], PEN)
    (group,) = seg.groups
    assert {seg.pieces[p].elements for _, _, p in group.spans} == {(0, 1)}
    assert [seg.pieces[i].elements for i in seg.choose(np.eye(10)[[7] * len(seg.pieces)])] == [
        (0, 1)
    ]


def test_crossing_strokes_are_told_from_touching_ones() -> None:
    from digitpad.drawing._segment_parts import strokes_cross

    stem = np.array([[0.0, 0.0], [0.0, 100.0]])
    assert strokes_cross(stem, np.array([[-20.0, 50.0], [20.0, 50.0]]))
    assert not strokes_cross(stem, np.array([[5.0, 50.0], [40.0, 50.0]]))  # touching ink
    assert not strokes_cross(stem, np.array([[0.0, 50.0]]))  # a dot


def test_pieces_hold_only_their_own_ink() -> None:
    # A 7 whose bar reaches over the next digit's box: each crop has its own ink only.
    strokes, owner = flat(write([sample(7, 3, strokes=2), sample(1, 3)], gap=-0.1 * HEIGHT))
    seg = segment_strokes(strokes, PEN)
    chosen = seg.default()
    assert owners_of(seg, chosen, owner) == [{0}, {1}]
    alone = segment_strokes(strokes[owner.count(0) :], PEN)
    assert seg.pieces[chosen[1]].ink.sum() == pytest.approx(alone.pieces[0].ink.sum(), rel=0.02)


def test_an_empty_drawing_has_no_segments() -> None:
    for seg in (segment_strokes([], PEN), segment_strokes([[]], PEN)):
        assert seg.pieces == ()
        assert seg.groups == ()
        assert seg.default() == []
        assert seg.choose(np.zeros((0, 10))) == []
    assert segment_image(np.zeros((50, 80), np.float32)).pieces == ()


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="pen_width"):
        segment_strokes([np.zeros((3, 2))], 0.0)
    with pytest.raises(ValueError, match="stroke 0"):
        segment_strokes([np.zeros((3, 3))], PEN)
    with pytest.raises(ValueError, match="NaN"):
        segment_strokes([np.array([[0.0, np.nan]])], PEN)
    seg = segment_strokes([looped(100, 100, 30, 50)], PEN)
    with pytest.raises(ValueError, match="one per piece"):
        seg.choose(np.zeros((len(seg.pieces) + 1, 10)))


def test_fifty_noise_strokes_are_bounded() -> None:
    rng = np.random.default_rng(0)
    noise = [
        np.cumsum(rng.normal(0, 25, size=(20, 2)), axis=0) + rng.uniform(0, 600, 2)
        for _ in range(50)
    ]
    seg = segment_strokes(noise, PEN)
    assert len(seg.groups) <= segmentation.MAX_GROUPS
    assert len(seg.pieces) <= segmentation.MAX_PIECES
    assert all(g.primitives <= segmentation.MAX_PRIMITIVES for g in seg.groups)
    # Its time is measured by tests/benchmarks/bench_segmentation.py.


def scrawl(count: int) -> list[np.ndarray]:
    """``count`` small train digits in one long line."""
    digits = [d.strokes for d in train_digits()[:count]]
    placed, x = [], 10.0
    for strokes in digits:
        points = np.concatenate(strokes)
        low = points.min(axis=0)
        scale = 40.0 / max(points[:, 1].max() - low[1], 1.0)
        moved = [(s - low) * scale + np.array([x, 20.0]) for s in strokes]
        placed.extend(moved)
        x = max(float(s[:, 0].max()) for s in moved) + 25.0
    return placed


def test_a_thirty_digit_scrawl_is_segmented_with_bounded_work() -> None:
    strokes = scrawl(30)
    seg = segment_strokes(strokes, 6.0)
    assert len(seg.default()) == 30
    assert not seg.truncated
    assert len(seg.pieces) <= segmentation.MAX_PIECES


def test_more_than_max_groups_keeps_the_leftmost() -> None:
    seg = segment_strokes(scrawl(40), 6.0)
    assert seg.truncated
    assert len(seg.groups) == segmentation.MAX_GROUPS
    assert max(g.box[2] for g in seg.groups) < 40 * 60


def test_an_image_of_a_number_segments_by_connected_ink() -> None:
    placed = write([sample(2, 6), sample(0, 6), sample(2, 6), sample(6, 6)], gap=0.25 * HEIGHT)
    strokes, owner = flat(placed)
    image = render_to_array(strokes, (900, 260), PEN)
    seg = segment_image(image)
    chosen = seg.default()
    assert len(chosen) == 4
    truths = [np.concatenate(digit) for digit in placed]
    for index, truth in zip(chosen, truths, strict=True):
        box = seg.pieces[index].box
        assert box[0] == pytest.approx(truth[:, 0].min() - PEN / 2, abs=3)
        assert box[2] == pytest.approx(truth[:, 0].max() + PEN / 2, abs=3)
        assert seg.pieces[index].ink.max() > 0.9


def test_touching_digits_in_an_image_are_offered_a_cut() -> None:
    left, right = looped(160, 150, 40, 60), looped(240, 150, 40, 60)
    image = render_to_array([left, right], (400, 300), PEN)
    seg = segment_image(image)
    (group,) = seg.groups
    cuts = [
        seg.pieces[p].box[2]
        for first, stop, p in group.spans
        if first == 0 and stop < group.primitives
    ]
    assert any(abs(cut - 200.0) < 0.15 * seg.height for cut in cuts)


def test_a_known_pen_spares_digits_written_at_a_number_s_size() -> None:
    """Digits six pen widths tall are called "not a digit" less often with the pen.

    Their loops nearly close and the stroke width estimated from the ink
    grows (an 8 measured like a filled blob); the pen that drew them, which
    each piece carries, says otherwise. A patch coloured in stays a blob.
    """
    from digitpad.drawing.shape_check import check_one_digit

    without = with_pen = total = 0
    for writer in range(1, 31):
        for label in range(10):
            digit = sample(label, writer)
            points = np.concatenate(digit)
            low = points.min(axis=0)
            scale = (6.0 * PEN - PEN) / max(float(np.ptp(points[:, 1])), 1.0)
            strokes = [(stroke - low) * scale + 40.0 for stroke in digit]
            seg = segment_strokes(strokes, PEN)
            (chosen,) = seg.default()
            piece = seg.pieces[chosen]
            assert 0 < piece.pen < PEN  # rendered smaller than the paper
            total += 1
            without += not check_one_digit(piece.ink).one_digit
            with_pen += not check_one_digit(piece.ink, pen=piece.pen).one_digit
    assert total == 300
    assert with_pen < without, (with_pen, without)
    print(f"\nnot a digit: {without} of 300 by the ink's width, {with_pen} with the pen's")
    pen = segment_strokes(strokes, PEN).pieces[0].pen
    rows = [[(10.0, y), (50.0, y)] for y in range(8, 60, 4)]
    blob = render_to_array(rows, (60, 66), pen)
    assert not check_one_digit(blob, pen=pen).one_digit


def test_renders_are_remembered_and_never_stale() -> None:
    from digitpad.drawing import _segment_parts
    from digitpad.drawing.number_input import Drawing, prepare

    strokes, _ = flat(write([sample(2, 3), sample(0, 3), sample(7, 3)]))
    drawing = Drawing(tuple(strokes), (PEN,) * len(strokes))
    _segment_parts.RENDERS.clear()
    first = prepare(drawing)
    painted = len(_segment_parts.RENDERS)
    assert painted > 0
    again = prepare(drawing)
    assert len(_segment_parts.RENDERS) == painted  # all found, none painted again
    np.testing.assert_array_equal(first.inputs, again.inputs)
    # Shared renders cannot be changed by whoever finds them.
    assert not any(r.flags.writeable for r in _segment_parts.RENDERS._items.values())
    # The last stroke grows: its digit is rendered anew, the others are found.
    longer = [*strokes[:-1], np.concatenate([strokes[-1], strokes[-1][-1:] + [0.0, 25.0]])]
    grown = prepare(Drawing(tuple(longer), (PEN,) * len(longer)))
    _segment_parts.RENDERS.clear()
    fresh = prepare(Drawing(tuple(longer), (PEN,) * len(longer)))
    np.testing.assert_array_equal(grown.inputs, fresh.inputs)
    assert not np.array_equal(grown.inputs[-1], first.inputs[-1])


def test_recent_keeps_the_most_recently_used() -> None:
    from digitpad.drawing.recent import Recent

    recent = Recent(2)
    recent.put("a", 1)
    recent.put("b", 2)
    assert recent.get("a") == 1  # "a" is now the most recent
    recent.put("c", 3)
    assert (recent.get("a"), recent.get("b"), recent.get("c")) == (1, None, 3)
    recent.clear()
    assert len(recent) == 0


def test_a_vouched_whole_keeps_its_chance_and_is_not_a_scribble() -> None:
    from digitpad.drawing.number_input import Drawing, prepare

    # The joined pair above, the whole rejected by the shape check; the
    # user's kept drawings vouch for it: it is read whole, as the network says.
    left, right = looped(160, 150, 40, 60), looped(240, 150, 40, 60, start=math.pi)
    strokes = tuple(tuple(map(tuple, loop.tolist())) for loop in (left, right))
    prepared = prepare(Drawing(strokes, (PEN, PEN)))
    (group,) = prepared.segmentation.groups
    whole = next(p for first, stop, p in group.spans if (first, stop) == (0, 2))
    sure_whole = np.full((len(prepared.inputs), 10), 0.1)
    sure_whole[whole] = np.eye(10)[8]
    vouched = np.zeros(len(prepared.inputs), bool)
    vouched[whole] = True
    (digit,) = prepared.digits(sure_whole, vouched)
    assert digit.piece == whole
    assert digit.not_a_digit == ""
    with pytest.raises(ValueError, match="one flag per candidate"):
        prepared.digits(sure_whole, vouched[:-1])


def test_a_scribble_is_not_a_digit_unless_vouched_for() -> None:
    from digitpad.drawing.number_input import Drawing, prepare

    turns = np.linspace(0, 6 * math.pi, 400)
    radius = 10 + 80 * turns / turns[-1]
    spiral = np.stack([150 + radius * np.cos(turns), 160 + radius * np.sin(turns)], axis=1)
    prepared = prepare(Drawing((spiral,), (PEN,)))
    probabilities = np.tile(np.eye(10)[0], (len(prepared.inputs), 1))
    (read,) = prepared.digits(probabilities)
    assert "scribble" in read.not_a_digit
    (vouched,) = prepared.digits(probabilities, np.ones(len(prepared.inputs), bool))
    assert vouched.not_a_digit == ""
