"""Is the drawing one digit at all? A geometric check the network's confidence misses.

A network trained on digits reads *something* into any input, often with high
confidence: two digits side by side, a scribble, a filled blob. This module
looks at the ink's shape only (pure numpy: no Qt, no TensorFlow) and says
whether it could be a single digit, so the app can show "?" instead.

The drawing is cropped to its ink and shrunk so strokes are about 3 pixels
wide (the pen width is measured from the ink, as :mod:`digitpad.drawing.mnist_format`
does, so any pen and canvas size work), then three tests run:

* **pieces side by side**: the ink is split into pieces (connected ink, gaps
  narrower than 8% of the drawing's height bridged, so a 4 or 5 drawn in two
  strokes stays one piece); two or more pieces that each hold at least 15% of
  the ink, stand side by side (at most 20% horizontal overlap), overlap
  vertically and are at least half the drawing's height are separate digits;
* **filled blob**: ink so dense, in "strokes" so wide for the image (a fifth
  of its side; the canvas's widest pen is an eighth), that it is a patch
  coloured in;
* **scribble score**: a logistic score over eleven shape measures (stroke
  length for the drawing's size, how often a row or column crosses ink, how
  crowded the ink is locally, the area enclosed by loops, density, aspect);
  above :data:`SCRIBBLE_THRESHOLD` the drawing is too busy, too wide or too
  solid to be one digit. A narrow bar that no row or column crosses twice
  is a "1", however short, whatever its score.

The weights and threshold were fitted on pendigits-train (the 30 training
writers, replayed on the canvas at pens of 8, 18 and 30 px, plus wide, small
and stray-dot variants) against seeded synthetic negatives drawn from train
digits; see ``tests/benchmarks/bench_not_digit.py`` for the measurements on
the 14 held-out writers and fresh negatives.

One call on a 280 x 280 canvas takes about half a millisecond (measured
p50 0.59 ms, p99 1.1 ms on a busy 2-core machine).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from digitpad.drawing.mnist_format import BLANK_INK, INK_FLOOR, INK_LEVEL, as_image

#: Strokes are shrunk to about this many pixels wide before measuring.
STROKE_PIXELS = 3.0
#: A shrunk pixel is ink when at least this fraction of it is inked.
SMALL_INK_LEVEL = 0.4
#: Gaps up to twice this fraction of the drawing's height join pieces
#: (a pen lifted inside a digit); the gap between two digits is wider.
BRIDGE = 0.04
#: A piece holding at least this fraction of the ink counts as a digit's worth.
PIECE_SHARE = 0.15
#: Side-by-side pieces overlap horizontally by at most this fraction of the
#: narrower one...
PIECE_MAX_OVERLAP = 0.2
#: ...overlap vertically by at least this fraction of the shorter one...
PIECE_MIN_VERTICAL_OVERLAP = 0.3
#: ...and are each at least this fraction of the drawing's height (the two
#: strokes of a "4" drawn with a thin pen: the shorter is 40-75% high).
PIECE_MIN_HEIGHT = 0.5
#: Local crowding is measured in square windows this many strokes wide.
WINDOW_STROKES = 3.0
#: A "stroke" at least this fraction of the image's longer side wide, in ink
#: at least :data:`BLOB_DENSITY` dense, is a filled blob. Strokes normalised
#: to 3 pixels make a solid blob look like one short fat stroke, so this test
#: is relative to the image: the canvas's widest pen (36 of 280 px) measures
#: at most 0.16 (pendigits at pen 30: 0.154), a blob drawn at pen 18 0.17 on
#: average. It catches 89% of the benchmark's filled blobs instead of 52%,
#: and no digit of pendigits (any pen, any variant).
BLOB_STROKE = 0.2
BLOB_DENSITY = 0.5
#: With the pen known, ink whose estimated stroke width is less than this many
#: pen widths was drawn with the pen (crowded strokes inflate the estimate:
#: 1.2-1.6 pens for the 8s and 0s of numbers); wider ink was coloured in.
PEN_BLOB_RATIO = 2.0

#: A drawing at most this wide for its height, that every row and column
#: crosses once at most (90th percentiles), is a bar: a "1", however short.
#: The scribble score reads a short straight bar (a "1" 3-4 pen widths high)
#: as dense as a blob; pendigits' 1s are rarely that short and straight.
BAR_ASPECT = 0.5

#: Names of the scribble score's measures, in the order of :data:`WEIGHTS`.
FEATURES = (
    "log length / long side",
    "log length / diagonal",
    "density",
    "log(1 + loop area)",
    "row crossings, mean",
    "row crossings, 90th percentile",
    "column crossings, mean",
    "column crossings, 90th percentile",
    "window coverage, 90th percentile",
    "windows over half inked",
    "log aspect",
)
#: Logistic weights of :data:`FEATURES` (standardisation folded in) and bias,
#: from ``python tests/benchmarks/bench_not_digit.py --fit --per-family 400``.
WEIGHTS = np.array(
    [5.0428, -3.9378, 2.9296, -1.2812, 5.8103, -0.4764, 1.8559, -0.9290, 24.7161, -3.1538, 2.6376]
)
BIAS = -24.8399
#: The score above which a drawing is not one digit: the lowest threshold
#: that keeps false alarms on pendigits-train within 0.2% at the default pen
#: and within 0.5% on each harder set (pens of 8 and 30 px, wide, small and
#: stray-dot digits); the wide digits set it. 74% of the training negatives
#: that the pieces test misses score above it.
SCRIBBLE_THRESHOLD = 2.7943


@dataclass(frozen=True)
class ShapeVerdict:
    """Whether a drawing could be a single digit.

    Attributes:
        one_digit: ``False`` when the ink is clearly not one digit.
        reason: empty when ``one_digit``; otherwise a short phrase for the
            user, such as "looks like two digits side by side".
    """

    one_digit: bool
    reason: str = ""


@dataclass(frozen=True)
class ShapeMeasures:
    """What :func:`measure` finds in a drawing.

    Attributes:
        side_by_side: the most digit-sized pieces found in a row (1 when the
            ink is one piece or its pieces are not side by side).
        stroke_fraction: the measured stroke width over the image's longer side.
        features: the scribble score's inputs, as named in :data:`FEATURES`.
        score: the scribble score (``features @ WEIGHTS + BIAS``).
    """

    side_by_side: int
    stroke_fraction: float
    features: np.ndarray
    score: float


def check_one_digit(
    image: np.ndarray, drawn: bool = True, pen: float | None = None
) -> ShapeVerdict:
    """Say whether ``image`` could be one digit, and if not, why.

    Args:
        image: the canvas, H x W, ink 1.0 on 0.0 (any size; uint8 and bool
            are accepted, as by :func:`digitpad.drawing.mnist_format.to_mnist`).
        drawn: the image was drawn on the canvas (the renderer's solid,
            antialiased strokes: what the scribble and blob rules were fitted
            and measured on). For an image from a file (a scan, a dithered
            palette image) only the pieces-side-by-side rule applies: speckled
            or ragged ink would look like a scribble to the others.
        pen: the pen's width in ``image``'s pixels, when known (strokes
            segmented from the paper). See :func:`measure`.

    Returns:
        The verdict; a blank image is not one digit ("nothing is drawn").

    Raises:
        ValueError: see :func:`digitpad.drawing.mnist_format.as_image`.
    """
    measures = measure(image, pen)
    if measures is None:
        return ShapeVerdict(False, "nothing is drawn")
    if measures.side_by_side >= 3:
        return ShapeVerdict(False, "looks like several digits side by side")
    if measures.side_by_side == 2:
        return ShapeVerdict(False, "looks like two digits side by side")
    if not drawn:
        return ShapeVerdict(True)
    density, aspect = measures.features[2], math.exp(measures.features[10])
    if measures.stroke_fraction >= BLOB_STROKE and density >= BLOB_DENSITY:
        return ShapeVerdict(False, "looks like a filled blob, not a digit")
    crossings = max(measures.features[5], measures.features[7])
    if measures.score <= SCRIBBLE_THRESHOLD or (crossings <= 1 and aspect <= BAR_ASPECT):
        return ShapeVerdict(True)
    if density >= 0.6:
        return ShapeVerdict(False, "looks like a filled blob, not a digit")
    if aspect >= 1.3:
        return ShapeVerdict(False, "looks like several digits or a scribble, not one digit")
    return ShapeVerdict(False, "looks like a scribble, not a digit")


def measure(image: np.ndarray, pen: float | None = None) -> ShapeMeasures | None:
    """The measurements behind :func:`check_one_digit` (``None`` if blank).

    The stroke width everything is measured in is estimated from the ink
    (twice its area over its outline). That estimate grows where strokes
    crowd: the loops of an 8 written only six to eight pen widths tall
    (a digit of a number) nearly close, and the 8 measured like a filled
    blob. When the ``pen`` is known and the estimate is less than
    :data:`PEN_BLOB_RATIO` times it, the ink was drawn with that pen, not
    coloured in: the pen's own width is used. Wider than that, the estimate
    stands (a blob is ink far wider than the pen that made it).

    Raises:
        ValueError: see :func:`digitpad.drawing.mnist_format.as_image`.
    """
    img = as_image(image)
    peak = float(img.max())
    if float(img.sum(dtype=np.float64)) < BLANK_INK:
        return None
    mask = img >= INK_LEVEL * peak
    r0, r1 = _span(mask.any(axis=1))
    c0, c1 = _span(mask.any(axis=0))
    crop = img[r0:r1, c0:c1]
    mass = float(crop.sum(dtype=np.float64))
    width = _stroke_width(crop, mass)
    if pen is not None and pen > 0 and width < PEN_BLOB_RATIO * pen:
        width = max(float(pen), 1.0)
    factor = max(1, round(width / STROKE_PIXELS))
    small = _block_mean(crop, factor)
    ink = small >= SMALL_INK_LEVEL * peak
    if not ink.any():
        # Faint ink only (a scan): compare with what there is.
        ink = small >= SMALL_INK_LEVEL * float(small.max())
    stroke = width / factor

    rows, starts, stops = _runs(ink)
    side_by_side = _side_by_side(ink, rows, starts, stops)

    height, breadth = (r1 - r0) / width, (c1 - c0) / width
    length = mass / width**2
    row_crossings = np.bincount(rows, minlength=ink.shape[0])
    column_crossings = np.bincount(_runs(ink.T)[0], minlength=ink.shape[1])
    coverage_q90, half_inked = _coverage(ink, max(2, round(WINDOW_STROKES * stroke)))
    features = np.array(
        [
            math.log(length / max(height, breadth)),
            math.log(length / math.hypot(height, breadth)),
            mass / crop.size,
            math.log1p(_hole_area(ink) / stroke**2),
            float(row_crossings.mean()),
            _quantile(row_crossings, 0.9),
            float(column_crossings.mean()),
            _quantile(column_crossings, 0.9),
            coverage_q90,
            half_inked,
            math.log(breadth / height),
        ]
    )
    score = float(features @ WEIGHTS + BIAS)
    return ShapeMeasures(side_by_side, width / max(img.shape), features, score)


def _span(flags: np.ndarray) -> tuple[int, int]:
    index = np.flatnonzero(flags)
    return int(index[0]), int(index[-1]) + 1


def _stroke_width(crop: np.ndarray, mass: float) -> float:
    """Mean stroke width: twice the ink over its outline (see ``preprocess``)."""
    ink = crop > INK_FLOOR
    edges = (
        np.count_nonzero(ink[1:] != ink[:-1])
        + np.count_nonzero(ink[:, 1:] != ink[:, :-1])
        # The crop's own border: ink touching it has an edge there too.
        + np.count_nonzero(ink[0])
        + np.count_nonzero(ink[-1])
        + np.count_nonzero(ink[:, 0])
        + np.count_nonzero(ink[:, -1])
    )
    return max(2.0 * mass / (edges * math.pi / 4.0), 1.0)


def _block_mean(img: np.ndarray, factor: int) -> np.ndarray:
    """Mean over ``factor`` x ``factor`` blocks (zero-padded at the far edges)."""
    if factor == 1:
        return img
    height, width = img.shape
    rows, cols = -(-height // factor), -(-width // factor)
    padded = np.zeros((rows * factor, cols * factor), np.float32)
    padded[:height, :width] = img
    # Two contiguous sums are several times faster than one mean over axes 1, 3.
    summed = padded.reshape(rows, factor, cols * factor).sum(axis=1)
    return summed.reshape(rows, cols, factor).sum(axis=2) / np.float32(factor * factor)


def _runs(ink: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Horizontal runs of ink: their rows, first columns and one-past-last columns."""
    padded = np.zeros((ink.shape[0], ink.shape[1] + 2), np.int8)
    padded[:, 1:-1] = ink
    change = np.diff(padded, axis=1)
    rows, starts = np.nonzero(change == 1)
    stops = np.nonzero(change == -1)[1]
    return rows, starts, stops


def _label_runs(
    rows: np.ndarray, starts: np.ndarray, stops: np.ndarray, n_cols: int, diagonal: bool
) -> np.ndarray:
    """Connected-component label (0, 1, ...) of each run.

    Args:
        rows: the runs' rows, as :func:`_runs` returns them (row-major order).
        starts: their first columns.
        stops: their one-past-last columns.
        n_cols: the image's width.
        diagonal: 8-connectivity (runs touching at a corner join) rather than 4.
    """
    # Runs are in row-major order, so the runs of the next row touching a run
    # form one contiguous index range, found by binary search on row-major keys.
    key = n_cols + 2
    reach = 0 if diagonal else 1
    next_row = (rows + 1) * key
    first = np.searchsorted(rows * key + stops, next_row + starts + reach, "left")
    last = np.searchsorted(rows * key + starts, next_row + stops - reach, "right")
    counts = np.maximum(last - first, 0)
    total = int(counts.sum())
    parent = list(range(len(rows)))
    if total:
        upper = np.repeat(np.arange(len(rows)), counts)
        offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        lower = np.repeat(first, counts) + offsets

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for i, j in zip(upper.tolist(), lower.tolist(), strict=True):
            a, b = find(i), find(j)
            if a != b:
                parent[max(a, b)] = min(a, b)
        # Point every run at its root: parents are smaller indices, so one
        # pass in index order settles them.
        for i in range(len(parent)):
            parent[i] = parent[parent[i]]
    return np.unique(np.array(parent, dtype=np.int64), return_inverse=True)[1]


def _dilate(ink: np.ndarray, steps: int) -> np.ndarray:
    """Binary dilation by a (2 * steps + 1)-pixel square, growing the array."""
    out = np.pad(ink, steps)
    for _ in range(steps):
        grown = out.copy()
        grown[1:] |= out[:-1]
        grown[:-1] |= out[1:]
        rows = grown.copy()
        rows[:, 1:] |= grown[:, :-1]
        rows[:, :-1] |= grown[:, 1:]
        out = rows
    return out


def _side_by_side(ink: np.ndarray, rows: np.ndarray, starts: np.ndarray, stops: np.ndarray) -> int:
    """The most digit-sized pieces of ink standing in a row (1 if none)."""
    steps = max(1, round(BRIDGE * ink.shape[0]))
    grown = _dilate(ink, steps)
    g_rows, g_starts, g_stops = _runs(grown)
    labels = _label_runs(g_rows, g_starts, g_stops, grown.shape[1], diagonal=True)
    pieces = int(labels.max()) + 1
    if pieces < 2:
        return 1
    # Each ink run lies inside one grown run: the last one starting before it.
    key = grown.shape[1] + 1
    grown_keys = g_rows * key + g_starts
    inside = np.searchsorted(grown_keys, (rows + steps) * key + starts + steps, "right") - 1
    piece = labels[inside]
    share = np.bincount(piece, weights=stops - starts, minlength=pieces)
    share /= share.sum()
    left = np.full(pieces, ink.shape[1])
    np.minimum.at(left, piece, starts)
    right = np.zeros(pieces, np.int64)
    np.maximum.at(right, piece, stops)
    top = np.full(pieces, ink.shape[0])
    np.minimum.at(top, piece, rows)
    bottom = np.zeros(pieces, np.int64)
    np.maximum.at(bottom, piece, rows + 1)

    big = np.flatnonzero(share >= PIECE_SHARE)
    if len(big) < 2:
        return 1
    big = big[np.argsort(left[big])]
    height = int(bottom[big].max() - top[big].min())
    in_row = 1
    for a, b in zip(big[:-1], big[1:], strict=True):
        overlap = min(right[a], right[b]) - max(left[a], left[b])
        narrower = min(right[a] - left[a], right[b] - left[b])
        vertical = min(bottom[a], bottom[b]) - max(top[a], top[b])
        shorter = min(bottom[a] - top[a], bottom[b] - top[b])
        if (
            overlap <= PIECE_MAX_OVERLAP * narrower
            and vertical >= PIECE_MIN_VERTICAL_OVERLAP * shorter
            and shorter >= PIECE_MIN_HEIGHT * height
        ):
            in_row += 1
    return in_row


def _hole_area(ink: np.ndarray) -> float:
    """Pixels of paper enclosed by ink (not reachable from outside the drawing)."""
    paper = np.ones((ink.shape[0] + 2, ink.shape[1] + 2), bool)
    paper[1:-1, 1:-1] = ~ink
    rows, starts, stops = _runs(paper)
    labels = _label_runs(rows, starts, stops, paper.shape[1], diagonal=False)
    # The first run is the top border row: the outside.
    outside = labels == labels[0]
    return float((stops - starts)[~outside].sum())


def _coverage(ink: np.ndarray, window: int) -> tuple[float, float]:
    """How crowded the ink is in ``window``-pixel square windows.

    Returns:
        The 90th percentile of the inked fraction over windows holding ink,
        and the fraction of all windows more than half inked.
    """
    if ink.shape[0] < window or ink.shape[1] < window:
        fraction = float(ink.mean())
        return fraction, 0.0
    summed = np.zeros((ink.shape[0] + 1, ink.shape[1] + 1))
    summed[1:, 1:] = ink.cumsum(axis=0).cumsum(axis=1)
    boxes = (
        summed[window:, window:]
        - summed[:-window, window:]
        - summed[window:, :-window]
        + summed[:-window, :-window]
    )
    covered = boxes / window**2
    return _quantile(covered[boxes > 0], 0.9), float((covered > 0.5).mean())


def _quantile(values: np.ndarray, q: float) -> float:
    """``np.quantile`` (linear interpolation) without its overhead."""
    flat = np.sort(values, axis=None)
    position = q * (len(flat) - 1)
    low = int(position)
    high = min(low + 1, len(flat) - 1)
    return float(flat[low] + (flat[high] - flat[low]) * (position - low))
