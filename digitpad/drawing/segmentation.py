"""Split a drawing of a number into digits, left to right.

Two inputs, one method:

* :func:`segment_strokes` for the canvas: the elements are the pen strokes;
* :func:`segment_image` for an opened file: the elements are connected pieces
  of ink (gaps narrower than about a stroke width bridged).

**Grouping (geometry only).** Elements whose horizontal extents overlap by at
least :data:`OVERLAP` of the narrower one's width are one digit (the two
strokes of a 4, a 5's flag, a 7's bar, a 1's base), transitively. Marks (a dot,
a bar, a flag: at most :data:`FLAT_SIZE` of the writing height high) never
stand alone: they join the group they overlap most in x, else the nearest;
a group less than :data:`SHORT_HEIGHT` high whose box touches a neighbour's
joins it (a 4 whose stem stands apart). The writing height is the median
height of the groups. A drawing of just two groups whose ink overlaps a
little (a 4 with its stem apart, or two close digits) is offered both ways:
one digit, or two, as the network reads them best.

**Too wide for one digit.** A group wider than :data:`SPLIT_ASPECT` times the
writing height may hold several digits: digits that touch, a digit tucked
under its neighbour's overhang, two digits written in one stroke. Such a group
is cut into *primitives*: between its elements (ordered by centre) and, inside
an element wider than :data:`SPLIT_ASPECT`, at valleys of the height its
ink spans column by column. Every run of up to :data:`MAX_SPAN` consecutive primitives no wider
than :data:`MAX_SPAN_ASPECT` is a candidate piece, and so is the whole group.
The caller reads every candidate in one batched network call and
:meth:`Segmentation.choose` keeps, per group, the split the network is surest
of (recognition-driven segmentation). Without a network,
:meth:`Segmentation.default` cuts groups wider than :data:`WIDE_ASPECT` into
the fewest pieces of plausible width.

What this does not handle: several lines of writing (everything is one line,
ordered by x); a digit written across another (strokes overlapping by more
than half the narrower one's width are one group, and their split is only
offered when the group is wide); touching digits narrower together than
:data:`SPLIT_ASPECT` times the height (two 1s written in one stroke).

Bounds: at most :data:`MAX_GROUPS` groups (the leftmost; ``truncated`` says so),
:data:`MAX_PRIMITIVES` primitives per group and :data:`MAX_PIECES` candidate
pieces in all, so a scrawl costs a bounded batch. Strokes are rendered (with
the canvas's own renderer) at a scale that makes the writing at most
:data:`RENDER_HEIGHT` pixels high: the network reads 20 pixels, and painting
cost grows with size.

numpy, and QtGui through :mod:`digitpad.drawing.render` for strokes only.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from digitpad.drawing.mnist_format import INK_FLOOR, as_image

#: Elements overlapping horizontally by this fraction of the narrower's width are one digit.
OVERLAP = 0.5
#: An element at most this fraction of the writing height high is a mark (a
#: dot, a bar, a flag, a base): it joins the group it overlaps most in x, or
#: else the nearest one.
FLAT_SIZE = 0.4
#: A group less high than this fraction of the writing, whose box comes within
#: :data:`TOUCH_GAP` writing heights of a neighbour's, is part of that neighbour.
SHORT_HEIGHT = 0.8
TOUCH_GAP = 0.05
#: Groups wider than this many writing heights get split candidates.
SPLIT_ASPECT = 0.95
#: Groups wider than this are split by :meth:`Segmentation.default` (1% of
#: pendigits-train digits are wider, with the pen's width counted).
WIDE_ASPECT = 1.5
#: Candidate pieces are at most this wide (besides single primitives and whole groups).
MAX_SPAN_ASPECT = 1.6
#: A valley cut leaves at least this fraction of the writing height on each side.
MIN_SLICE = 0.2
#: A column whose ink spans at most this fraction of the element's median
#: column's span is a valley (a place to cut).
VALLEY_DEPTH = 0.8
#: Caps that keep a scrawl's cost bounded.
MAX_GROUPS = 32
MAX_PRIMITIVES = 8
MAX_SPAN = 4
MAX_PIECES = 160
#: Strokes are rendered so that the writing is at most this many pixels high.
RENDER_HEIGHT = 64.0
#: :meth:`Segmentation.choose`'s geometric terms, in log-probability units: per
#: writing height of width beyond :data:`WIDE_ASPECT`, per writing height of
#: height missing below :data:`MIN_HEIGHT`, and per piece beyond the first.
WIDE_PENALTY = 4.0
MIN_HEIGHT = 0.45
FLAT_PENALTY = 8.0
SPLIT_COST = 0.05
#: What reading two touching groups as one digit costs (log-probability):
#: sure digits apart (-0.05 with SPLIT_COST) stay apart even when the whole
#: reads as a sure digit (log p -0.001); a 4 whose stem stands apart, its bar
#: read at p 0.5-0.8 alone (-0.15 to -0.40), is one digit. Held-out writers'
#: numbers: 92.7 % exact at 0, 92.9 % at 0.1 and 0.2.
JOIN_COST = 0.1
#: Probabilities are floored here before taking logs (an unreadable crop gives zeros).
MIN_PROBABILITY = 1e-6

#: ``(left, top, right, bottom)`` in the input's coordinates.
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Piece:
    """One candidate digit.

    Attributes:
        box: the ink's extent in the input's coordinates (paper units for
            strokes, pixels for images), pen width included.
        ink: float32 crop, ink 1.0 on 0.0, holding only this piece's ink (a
            neighbour reaching into the box is not in it); give it to
            :func:`digitpad.drawing.mnist_format.to_mnist`.
        elements: indices of the strokes (or ink components) it holds ink of;
            a stroke cut at a valley belongs to both sides.
        prior: the geometric term :meth:`Segmentation.choose` adds to the
            piece's log-probability (0 for a piece of a digit's proportions).
        pen: the pen's width in :attr:`ink`'s pixels (0: unknown, an image).
    """

    box: Box
    ink: np.ndarray = field(repr=False)
    elements: tuple[int, ...]
    prior: float
    pen: float = 0.0


@dataclass(frozen=True)
class Group:
    """Ink standing apart from its neighbours: one digit, or several touching.

    Attributes:
        box: the group's extent (as :attr:`Piece.box`).
        primitives: how many slices the group was cut into (1: not cut).
        spans: ``(first, stop, piece)`` for each candidate: primitives
            ``first:stop`` make :attr:`Segmentation.pieces` ``[piece]``.
        default: the pieces of the geometric guess, left to right.
        joined: two groups whose ink touches, joined to be read both ways
            (the whole is one candidate; geometry alone says two).
    """

    box: Box
    primitives: int
    spans: tuple[tuple[int, int, int], ...]
    default: tuple[int, ...]
    joined: bool = False


@dataclass(frozen=True)
class Segmentation:
    """A drawing's digits and, where it is unclear, their alternatives.

    Read every piece in one batch, then choose::

        seg = segment_strokes(strokes, pen_width)
        x = [to_mnist(p.ink) for p in seg.pieces]     # None: unreadable
        probs = predict_batch(zeros where None)        # len(seg.pieces) x 10
        digits = seg.choose(probs)                     # piece indices, left to right
        text = "".join(str(probs[i].argmax()) for i in digits)

    Attributes:
        pieces: every candidate crop, in group order.
        groups: the groups, left to right.
        height: the writing height the rules were measured against.
        truncated: more than :data:`MAX_GROUPS` groups were found; only the
            leftmost are here.
    """

    pieces: tuple[Piece, ...]
    groups: tuple[Group, ...]
    height: float
    truncated: bool = False

    def default(self) -> list[int]:
        """The geometric guess, without a network: piece indices, left to right."""
        return [index for group in self.groups for index in group.default]

    def choose(self, probabilities: np.ndarray, *, split_cost: float = SPLIT_COST) -> list[int]:
        """Per group, the split whose pieces the network reads most surely.

        A split's score is the mean over its pieces of ``log(max probability)
        + prior`` minus ``split_cost`` per piece beyond the first: the mean,
        not the sum, so that more pieces are not penalised for being more.

        Args:
            probabilities: ``len(pieces) x 10`` class probabilities, one row
                per piece in :attr:`pieces` order; a row of zeros (a crop
                ``to_mnist`` found blank) is never preferred.
            split_cost: the cost of each extra piece, in log-probability units.

        Returns:
            Indices into :attr:`pieces`, left to right.

        Raises:
            ValueError: ``probabilities`` does not have one row per piece.
        """
        probs = np.asarray(probabilities, dtype=np.float64)
        if probs.ndim != 2 or probs.shape[0] != len(self.pieces):
            raise ValueError(
                f"expected {len(self.pieces)} rows of probabilities (one per piece), "
                f"got an array of shape {probs.shape}"
            )
        if not len(self.pieces):
            return []
        confidence = np.log(np.maximum(np.nan_to_num(probs.max(axis=1)), MIN_PROBABILITY))
        scores = confidence + np.array([piece.prior for piece in self.pieces])
        chosen: list[int] = []
        for group in self.groups:
            if group.primitives == 1:
                chosen.extend(group.default)
                continue
            values = [float(scores[piece]) for _, _, piece in group.spans]
            paths = _best_paths(group.spans, group.primitives, values)
            best = max(
                paths.items(), key=lambda item: item[1][0] / item[0] - split_cost * (item[0] - 1)
            )
            chosen.extend(best[1][1])
        return chosen


def segment_strokes(
    strokes: Sequence[Sequence[Sequence[float]] | np.ndarray],
    pen_width: float | Sequence[float],
) -> Segmentation:
    """Segment a drawing given as pen strokes.

    Args:
        strokes: each an ``n x 2`` sequence of ``(x, y)`` in paper units;
            empty strokes are ignored (indices still count them).
        pen_width: the pen's diameter in paper units, one for all strokes or
            one per stroke (the canvas keeps each stroke's width).

    Returns:
        The segmentation; an empty drawing has no groups and no pieces.

    Raises:
        ValueError: a stroke is not ``n x 2``, or holds NaN or infinity; the
            pen width is not positive or does not match the strokes.
    """
    from digitpad.drawing._segment_parts import StrokeSource

    return _segment(StrokeSource(strokes, pen_width))


def segment_image(image: np.ndarray) -> Segmentation:
    """Segment an image (an opened file) by connected pieces of ink.

    Args:
        image: H x W, ink 1.0 on 0.0 (uint8 and bool accepted, as by
            :func:`digitpad.drawing.mnist_format.as_image`).

    Returns:
        The segmentation, boxes in pixels; a blank image has no groups.

    Raises:
        ValueError: see :func:`digitpad.drawing.mnist_format.as_image`.
    """
    from digitpad.drawing._segment_parts import ImageSource

    return _segment(ImageSource(as_image(image)))


def _segment(source: _Source) -> Segmentation:
    boxes = source.boxes
    if not len(boxes):
        return Segmentation((), (), 0.0)
    groups, height, marks, touching = _group(boxes)
    truncated = len(groups) > MAX_GROUPS
    groups = groups[:MAX_GROUPS]
    source.set_height(height)
    pieces: list[Piece] = []
    out: list[Group] = []
    budget = MAX_PIECES - len(groups)
    for members in groups:
        box = _union(boxes[members])
        aspect = (box[2] - box[0]) / height
        parts = touching.get(tuple(members))
        if (aspect > SPLIT_ASPECT or parts) and budget > 0:
            group = _split_group(source, members, box, height, pieces, budget, marks)
            budget -= len(group.spans) - 1
            if parts:
                group = _as_joined(group, pieces, parts, source)
        else:
            ink, piece_box = source.crop(members)
            elements = tuple(int(source.ids[m]) for m in members)
            pen = source.pen(members)
            pieces.append(Piece(piece_box, ink, elements, _prior(piece_box, height), pen))
            group = Group(box, 1, ((0, 1, len(pieces) - 1),), (len(pieces) - 1,))
        out.append(group)
    return Segmentation(tuple(pieces), tuple(out), height, truncated)


class _Source:
    """What grouping needs from strokes or from image components."""

    boxes: np.ndarray
    ids: np.ndarray

    def set_height(self, height: float) -> None:
        """Learn the writing height (a stroke source picks its render scale)."""

    def crop(self, members: Sequence[int]) -> tuple[np.ndarray, Box]:
        """The ink of ``members`` alone, cropped, and its box in input units."""
        raise NotImplementedError

    def frame(self, members: Sequence[int]) -> tuple[list[np.ndarray], float, float, float]:
        """Each member's ink in one shared frame, the frame's origin and scale."""
        raise NotImplementedError

    def crossing(self, members: Sequence[int]) -> list[tuple[int, int]]:
        """Pairs of positions in ``members`` whose elements cross (none for components)."""
        return []

    def pen(self, members: Sequence[int]) -> float:
        """The pen's width in rendered pixels for ``members`` (0: unknown)."""
        return 0.0


def _group(
    boxes: np.ndarray,
) -> tuple[list[list[int]], float, frozenset[int], dict[tuple[int, ...], list[list[int]]]]:
    """Group element boxes into digits.

    Returns:
        The groups left to right, the writing height, the marks (elements
        that never stand alone as a digit), and the groups joined because
        their ink touches (members sorted -> the groups joined): one digit or
        two, as the network reads them best.
    """
    heights = boxes[:, 3] - boxes[:, 1]
    tall = heights >= 0.5 * heights.max()
    provisional = float(np.median(heights[tall]))
    # Dots and flat strokes (a bar, a flag, a base) are never digits alone.
    marks = heights <= FLAT_SIZE * provisional
    if marks.all():
        marks[:] = False
    body = np.flatnonzero(~marks)
    groups = _join_short(boxes, _merge_overlapping(boxes, body), provisional)
    group_boxes = np.array([_union(boxes[g]) for g in groups])
    for i in np.flatnonzero(marks):
        groups[_host(boxes[i], group_boxes)].append(int(i))
    groups = [sorted(g) for g in groups]
    centres = [float(np.mean(boxes[g][:, [0, 2]])) for g in groups]
    groups = [groups[k] for k in np.argsort(centres, kind="stable")]
    height = float(statistics.median([boxes[g, 3].max() - boxes[g, 1].min() for g in groups]))
    groups, touching = _join_touching(boxes, groups, height)
    marked = frozenset(int(i) for i in np.flatnonzero(marks))
    return groups, max(height, 1e-6), marked, touching


def _join_touching(
    boxes: np.ndarray, groups: list[list[int]], height: float
) -> tuple[list[list[int]], dict[tuple[int, ...], list[list[int]]]]:
    """In a drawing of two groups whose ink overlaps, offer them as one digit too.

    A 4 whose stem stands right of its bar, the ink touching, and two digits
    written close together look alike to boxes; the caller reads both ways
    and the network chooses (recognition-driven), as for a wide group. Only
    a drawing of exactly two groups, whose ink boxes overlap both ways and
    which together are no wider than :data:`MAX_SPAN_ASPECT` times the
    writing height: in longer numbers, neighbours whose ink touches were
    more often two digits. Measured on held-out pendigits train writers
    16-30 (``bench_number_errors.py``, a network trained without them):
    exact numbers 92.8 % before, 92.9 % with this; their single digits
    through the window's reading path 98.34 % -> 98.50 % (a 4 of that style
    was read "41").
    """
    joined: list[list[int]] = []
    touching: dict[tuple[int, ...], list[list[int]]] = {}
    if len(groups) != 2:
        return groups, touching
    for group in groups:
        if joined:
            last = _union(boxes[joined[-1]])
            box = _union(boxes[group])
            overlap_x = last[2] - box[0]
            overlap_y = min(last[3], box[3]) - max(last[1], box[1])
            width = max(last[2], box[2]) - min(last[0], box[0])
            lone = tuple(joined[-1]) not in touching
            if overlap_x > 0 and overlap_y > 0 and width <= MAX_SPAN_ASPECT * height and lone:
                merged = sorted(joined[-1] + group)
                touching[tuple(merged)] = [joined[-1], group]
                joined[-1] = merged
                continue
        joined.append(group)
    return joined, touching


def _as_joined(
    group: Group, pieces: list[Piece], parts: list[list[int]], source: _Source
) -> Group:
    """Mark a touching pair joined: apart unless the network is clearly surer of it whole.

    Without a network, the two groups it was joined from; with one, the
    whole pays :data:`JOIN_COST` (geometry says two).
    """
    for first, stop, piece in group.spans:
        if (first, stop) == (0, group.primitives):
            pieces[piece] = replace(pieces[piece], prior=pieces[piece].prior - JOIN_COST)
    wanted = [tuple(sorted(int(source.ids[m]) for m in part)) for part in parts]
    found = {pieces[piece].elements: piece for _first, _stop, piece in group.spans}
    if all(elements in found for elements in wanted):
        return replace(group, default=tuple(found[elements] for elements in wanted), joined=True)
    return replace(group, joined=True)


def _merge_overlapping(boxes: np.ndarray, body: np.ndarray) -> list[list[int]]:
    """Union of the ``body`` elements whose x-extents overlap enough, transitively."""
    parent = {int(i): int(i) for i in body}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Groups widen as they merge, so merging repeats until nothing changes.
    changed = True
    while changed:
        changed = False
        members: dict[int, list[int]] = {}
        for i in body:
            members.setdefault(find(int(i)), []).append(int(i))
        roots = list(members)
        spans = np.array([[boxes[m, 0].min(), boxes[m, 2].max()] for m in members.values()])
        order = np.argsort(spans[:, 0], kind="stable")
        spans, roots = spans[order], [roots[k] for k in order]
        width = spans[:, 1] - spans[:, 0]
        for a in range(len(roots)):
            for b in range(a + 1, len(roots)):
                if spans[b, 0] >= spans[a, 1]:
                    break
                overlap = min(spans[a, 1], spans[b, 1]) - spans[b, 0]
                ra, rb = find(roots[a]), find(roots[b])
                if overlap >= OVERLAP * min(width[a], width[b]) and ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
                    changed = True
    members = {}
    for i in body:
        members.setdefault(find(int(i)), []).append(int(i))
    return list(members.values())


def _join_short(boxes: np.ndarray, groups: list[list[int]], height: float) -> list[list[int]]:
    """Join each short group to a neighbour whose box it touches (a 4's detached stem).

    Real digits stand at least :data:`SHORT_HEIGHT` of the writing high; a
    shorter piece whose box is within :data:`TOUCH_GAP` of a neighbour's
    (horizontally) is a part of that neighbour written apart.
    """
    groups = sorted(groups, key=lambda g: float(boxes[g, 0].min()))
    index = 0
    while index < len(groups) and len(groups) > 1:
        box = _union(boxes[groups[index]])
        if box[3] - box[1] >= SHORT_HEIGHT * height:
            index += 1
            continue
        gaps = []
        for other in (index - 1, index + 1):
            if 0 <= other < len(groups):
                near = _union(boxes[groups[other]])
                gap = max(near[0] - box[2], box[0] - near[2])
                gaps.append((gap, other))
        gap, other = min(gaps)
        if gap > TOUCH_GAP * height:
            index += 1
            continue
        merged = groups[index] + groups[other]
        low = min(index, other)
        groups[low : low + 2] = [merged]
        index = low
    return groups


def _host(box: np.ndarray, group_boxes: np.ndarray) -> int:
    """The group a mark belongs to: the one it overlaps most in x, else the nearest."""
    overlap = np.minimum(group_boxes[:, 2], box[2]) - np.maximum(group_boxes[:, 0], box[0])
    if overlap.max() > 0:
        return int(np.argmax(overlap))
    centre = (box[:2] + box[2:]) / 2.0
    dx = np.maximum(group_boxes[:, 0] - centre[0], 0) + np.maximum(
        centre[0] - group_boxes[:, 2], 0
    )
    dy = np.maximum(group_boxes[:, 1] - centre[1], 0) + np.maximum(
        centre[1] - group_boxes[:, 3], 0
    )
    return int(np.argmin(np.hypot(dx, dy)))


def _union(boxes: np.ndarray) -> Box:
    return (
        float(boxes[:, 0].min()),
        float(boxes[:, 1].min()),
        float(boxes[:, 2].max()),
        float(boxes[:, 3].max()),
    )


def _prior(box: Box, height: float) -> float:
    """Log-prior of a piece from its proportions: too wide or too flat for a digit."""
    aspect = (box[2] - box[0]) / height
    tall = (box[3] - box[1]) / height
    return -WIDE_PENALTY * max(0.0, aspect - WIDE_ASPECT) - FLAT_PENALTY * max(
        0.0, MIN_HEIGHT - tall
    )


def _split_group(
    source: _Source,
    members: list[int],
    box: Box,
    height: float,
    pieces: list[Piece],
    budget: int,
    marks: frozenset[int] = frozenset(),
) -> Group:
    """Cut a wide group into primitives and add its candidate pieces to ``pieces``.

    A candidate made of marks alone (a 7's bar, a dot) is not offered: a mark
    never stands alone, here as in the grouping.
    """
    from digitpad.drawing._segment_parts import primitives_of

    inks, left, top, scale = source.frame(members)
    prims, cut_costs = primitives_of(inks, members, height * scale, source.crossing(members))
    count = len(prims)
    spans: list[tuple[int, int, int]] = []
    widths: dict[tuple[int, int], float] = {}
    candidates = [(i, j) for i in range(count) for j in range(i + 1, min(count, i + MAX_SPAN) + 1)]
    if (0, count) not in candidates:
        candidates.append((0, count))
    for first, stop in candidates:
        if len(spans) >= budget and (first, stop) != (0, count) and stop - first > 1:
            continue
        parts = [part for prim in prims[first:stop] for part in prim]
        if (first, stop) != (0, count) and all(members[k] in marks for k, _, _ in parts):
            continue
        layer = np.zeros_like(inks[0])
        for element, c0, c1 in parts:
            np.maximum(layer[:, c0:c1], inks[element][:, c0:c1], out=layer[:, c0:c1])
        found = _ink_box(layer)
        if found is None:
            continue
        r0, r1, c0, c1 = found
        piece_box = (left + c0 / scale, top + r0 / scale, left + c1 / scale, top + r1 / scale)
        aspect = (piece_box[2] - piece_box[0]) / height
        single = stop - first == 1 or (first, stop) == (0, count)
        if aspect > MAX_SPAN_ASPECT and not single:
            continue
        elements = tuple(sorted({int(source.ids[members[k]]) for k, _, _ in parts}))
        pen = source.pen([members[k] for k, _, _ in parts])
        piece_ink = layer[r0:r1, c0:c1]
        pieces.append(Piece(piece_box, piece_ink, elements, _prior(piece_box, height), pen))
        spans.append((first, stop, len(pieces) - 1))
        widths[(first, stop)] = aspect
    default = _geometric_default(spans, widths, cut_costs, count, (box[2] - box[0]) / height)
    return Group(box, count, tuple(spans), default)


def _ink_box(layer: np.ndarray) -> tuple[int, int, int, int] | None:
    ink = layer > INK_FLOOR
    rows = np.flatnonzero(ink.any(axis=1))
    if not len(rows):
        return None
    cols = np.flatnonzero(ink.any(axis=0))
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


def _geometric_default(
    spans: list[tuple[int, int, int]],
    widths: dict[tuple[int, int], float],
    cut_costs: list[float],
    count: int,
    aspect: float,
) -> tuple[int, ...]:
    """The split a network-free reader takes: the fewest pieces no wider than a digit.

    Groups up to :data:`WIDE_ASPECT` stay whole. Wider ones are cut into
    ``ceil(aspect / WIDE_ASPECT)`` pieces (or as near as the cuts allow), of
    balanced widths (the sum of squared widths is least), preferring cuts
    between strokes (cost 0) to cuts through ink (the valley's depth).
    """
    whole = next(piece for first, stop, piece in spans if (first, stop) == (0, count))
    if aspect <= WIDE_ASPECT:
        return (whole,)
    wanted = math.ceil(aspect / WIDE_ASPECT)
    values = [
        -(widths[(first, stop)] ** 2) - (cut_costs[stop - 1] if stop < count else 0.0)
        for first, stop, _ in spans
    ]
    options = _best_paths(spans, count, values)
    nearest = min(options, key=lambda used: (abs(used - wanted), used))
    return options[nearest][1]


def _best_paths(
    spans: Sequence[tuple[int, int, int]], count: int, values: Sequence[float]
) -> dict[int, tuple[float, tuple[int, ...]]]:
    """For each number of pieces, the path through ``count`` primitives of highest value.

    Args:
        spans: ``(first, stop, piece)`` candidates, as :attr:`Group.spans`.
        count: the number of primitives.
        values: one value per span, summed along a path.

    Returns:
        ``{pieces: (total value, piece indices left to right)}`` for every
        number of pieces some path reaches.
    """
    by_start: dict[int, list[tuple[int, int, float]]] = {}
    for (first, stop, piece), value in zip(spans, values, strict=True):
        by_start.setdefault(first, []).append((stop, piece, value))
    best: dict[tuple[int, int], tuple[float, tuple[int, ...]]] = {(0, 0): (0.0, ())}
    for position in range(count):
        for used in range(position + 1):
            state = best.get((position, used))
            if state is None:
                continue
            for stop, piece, value in by_start.get(position, []):
                total = state[0] + value
                key = (stop, used + 1)
                if key not in best or total > best[key][0]:
                    best[key] = (total, (*state[1], piece))
    return {used: state for (position, used), state in best.items() if position == count}
