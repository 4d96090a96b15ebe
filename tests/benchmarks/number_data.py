"""Numbers written by one pendigits writer: strokes on the paper, and the true digits.

Each number takes 2-6 digits from ONE writer of a pendigits split, written
at a natural size (ink 6-8 pen widths high, each digit within +-8% of the
number's height, baselines within a few percent) and spaced as people space
digits: mostly a gap of 5-40% of the height between ink boxes, sometimes
tight (the inks 0.2-1 pen width apart, so boxes may overlap), and a few
junctions touching (the inks overlapping by 0.1-0.4 pen width). A number
too wide for the paper is scaled down as a whole. Strokes are in time order,
digit by digit, in paper coordinates.

Seeded per number (``[seed, index]``): asking for more numbers does not
change the first ones.

    from tests.benchmarks.number_data import make_numbers
    numbers = make_numbers(100, split="test")     # tune on "train", report on "test"
    number.strokes, number.text, number.boxes
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from digitpad.drawing.render import DEFAULT_PEN_WIDTH  # noqa: E402
from tests.benchmarks.pen_data import load_split  # noqa: E402

#: The paper of a 1000 x 640 window, in logical pixels.
DEFAULT_PAPER = (700.0, 560.0)
HEIGHT_PENS = (6.0, 8.0)
GAP_HEIGHTS = (0.05, 0.4)
TIGHT_PENS = (0.2, 1.0)
TOUCH_PENS = (-0.4, -0.1)

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Number:
    """One written number.

    Attributes:
        text: the true digits, left to right.
        strokes: ``n x 2`` float64 arrays of ``(x, y)`` in paper coordinates.
        digit_of_stroke: the position in ``text`` each stroke belongs to.
        boxes: each digit's ink box ``(left, top, right, bottom)``, pen included.
        writer: the pendigits writer.
        junctions: how each pair of neighbours was spaced: "gap", "tight" or "touch".
    """

    text: str
    strokes: list[np.ndarray]
    digit_of_stroke: list[int]
    boxes: list[Box]
    writer: int
    junctions: tuple[str, ...]


def make_numbers(
    count: int,
    *,
    split: str = "test",
    lengths: tuple[int, ...] = (2, 3, 4, 5, 6),
    paper: tuple[float, float] = DEFAULT_PAPER,
    pen_width: float = DEFAULT_PEN_WIDTH,
    seed: int = 0,
    tight_rate: float = 0.2,
    touch_rate: float = 0.05,
) -> list[Number]:
    """``count`` numbers, their lengths cycling through ``lengths``.

    Args:
        count: how many numbers.
        split: pendigits split ("test" to report, "train" to tune).
        lengths: digit counts, used in turn.
        paper: the paper's width and height in logical pixels.
        pen_width: the pen's diameter in logical pixels.
        seed: the seed; number ``i`` uses ``[seed, i]``.
        tight_rate: fraction of junctions written tight (inks close, boxes may overlap).
        touch_rate: fraction of junctions where the inks touch.
    """
    by_writer: dict[int, dict[int, list[list[np.ndarray]]]] = {}
    for digit in load_split(split):
        by_writer.setdefault(digit.writer, {}).setdefault(digit.label, []).append(digit.strokes)
    writers = sorted(by_writer)
    numbers = []
    for index in range(count):
        rng = np.random.default_rng([seed, index])
        writer = writers[int(rng.integers(len(writers)))]
        length = lengths[index % len(lengths)]
        labels = rng.integers(0, 10, size=length)
        samples = [by_writer[writer][int(label)] for label in labels]
        digits = [s[int(rng.integers(len(s)))] for s in samples]
        kinds = rng.choice(
            ["gap", "tight", "touch"],
            size=length - 1,
            p=[1.0 - tight_rate - touch_rate, tight_rate, touch_rate],
        )
        strokes, owner = _write(digits, kinds, rng, paper, pen_width)
        boxes = []
        for position in range(length):
            points = np.concatenate(
                [s for s, o in zip(strokes, owner, strict=True) if o == position]
            )
            r = pen_width / 2.0
            low, high = points.min(axis=0) - r, points.max(axis=0) + r
            boxes.append((float(low[0]), float(low[1]), float(high[0]), float(high[1])))
        numbers.append(
            Number(
                "".join(str(int(label)) for label in labels),
                strokes,
                owner,
                boxes,
                writer,
                tuple(str(k) for k in kinds),
            )
        )
    return numbers


def _write(
    digits: list[list[np.ndarray]],
    kinds: np.ndarray,
    rng: np.random.Generator,
    paper: tuple[float, float],
    pen: float,
) -> tuple[list[np.ndarray], list[int]]:
    height = rng.uniform(*HEIGHT_PENS) * pen
    placed: list[list[np.ndarray]] = []
    for position, strokes in enumerate(digits):
        points = np.concatenate(strokes)
        low = points.min(axis=0)
        extent = np.maximum(points.max(axis=0) - low, 1.0)
        # Ink height = centreline height + pen; pendigits' digits vary in size.
        target = height * rng.uniform(0.92, 1.08) - pen
        scale = target / extent[1]
        scale = min(scale, 1.5 * height / max(extent[0], 1.0))
        baseline = rng.normal(0.0, 0.03 * height)
        moved = [
            (s - low) * scale + np.array([0.0, baseline - extent[1] * scale]) for s in strokes
        ]
        if position == 0:
            placed.append(moved)
            continue
        previous = np.concatenate(placed[-1])
        right = float(previous[:, 0].max())
        kind = kinds[position - 1]
        if kind == "gap":
            shift = right + pen + rng.uniform(*GAP_HEIGHTS) * height
        else:
            bounds = TIGHT_PENS if kind == "tight" else TOUCH_PENS
            shift = _shift_for_clearance(
                previous, moved, right + pen, rng.uniform(*bounds) * pen, pen
            )
        placed.append([s + np.array([shift, 0.0]) for s in moved])
    strokes = [s for digit in placed for s in digit]
    owner = [position for position, digit in enumerate(placed) for _ in digit]
    points = np.concatenate(strokes)
    low = points.min(axis=0) - pen / 2.0
    size = points.max(axis=0) + pen / 2.0 - low
    margin = pen
    room = np.array(paper) - 2 * margin
    fit = min(1.0, float(np.min(room / size)))
    size = size * fit
    offset = margin + rng.uniform(0.0, 1.0, size=2) * (room - size)
    strokes = [(s - low) * fit + offset for s in strokes]
    return strokes, owner


def _shift_for_clearance(
    left: np.ndarray, right: list[np.ndarray], start: float, clearance: float, pen: float
) -> float:
    """The x shift that leaves ``clearance`` between the inks (negative: overlapping)."""
    a = _dense(left, pen)
    b = np.concatenate([_dense(s, pen) for s in right])
    b_left = float(b[:, 0].min())

    def gap(shift: float) -> float:
        moved = b + np.array([shift - b_left, 0.0])
        distance = np.sqrt(((a[:, None, :] - moved[None, :, :]) ** 2).sum(axis=2)).min()
        return float(distance) - pen

    near, far = start, start
    step = pen / 4.0
    # Walk left until the inks are as close as wanted, then bisect.
    for _ in range(400):
        if gap(near) <= clearance:
            break
        far, near = near, near - step
    for _ in range(20):
        middle = (near + far) / 2.0
        if gap(middle) <= clearance:
            near = middle
        else:
            far = middle
    return far - b_left


def _dense(points: np.ndarray, pen: float) -> np.ndarray:
    """Points along the polyline every quarter pen width or closer."""
    if len(points) < 2:
        return points
    out = [points[:1]]
    for p, q in zip(points[:-1], points[1:], strict=True):
        steps = max(1, int(np.ceil(np.hypot(*(q - p)) / (pen / 4.0))))
        t = np.arange(1, steps + 1)[:, None] / steps
        out.append(p + (q - p) * t)
    return np.concatenate(out)
