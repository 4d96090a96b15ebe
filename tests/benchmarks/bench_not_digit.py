"""Does the shape check tell "not one digit" from a digit? Real canvases, both ways.

Positives are the pendigits digits placed on the canvas exactly as the pen
benchmark places them (``pen_data.canvases``); negatives are drawn with the
same renderer and pen (280x280, 18 px) from seeded stroke generators: two or
three pendigits digits side by side (clear gap, narrow gap, touching or
overlapping a little), and scribbles (random pen walks of three lengths,
zigzags, spirals, coils, filled blobs, hatching, crossing straight lines).

    python tests/benchmarks/bench_not_digit.py                # full run, ~2 min
    python tests/benchmarks/bench_not_digit.py --limit 300 --per-family 50
    python tests/benchmarks/bench_not_digit.py --no-model     # geometry only
    python tests/benchmarks/bench_not_digit.py --fit --pen-known   # refit, pens known

Positives include digits written at a number's size (6-8 pen widths tall,
segmented from their strokes as the window does, their pen known): with the
score in use, pendigits-test 0.46% (14 of 3,012) are called not a digit,
mostly 0s and 9s, and 0.53% of train. Refitting with them (``--fit
--pen-known``) set the threshold by the wide digits and caught fewer
negatives (75.3% against 80.9% for the score in use on the same train
drawings), so the score was kept. (2026-12)

The thresholds of :mod:`digitpad.drawing.shape_check` were chosen on pendigits-train
and negatives drawn from train digits with seed 1; the numbers to report are
pendigits-test and negatives from test digits with the default seed (2).
For comparison the network alone (cached model under DIGITPAD_HOME) flags an
input when its top probability is below 0.9.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from digitpad.drawing.mnist_format import to_mnist  # noqa: E402
from digitpad.drawing.shape_check import (  # noqa: E402
    SCRIBBLE_THRESHOLD,
    check_one_digit,
    measure,
)
from digitpad.storage import pendigits  # noqa: E402
from tests.benchmarks.pen_data import (  # noqa: E402
    DEFAULT_CANVAS_SIZE,
    DEFAULT_PEN_WIDTH,
    canvases,
    load_split,
)

#: The network alone calls an input unsure below this top probability.
NETWORK_THRESHOLD = 0.9
#: Negatives are kept this far from the canvas edge (a round cap's radius + 1).
MARGIN = DEFAULT_PEN_WIDTH / 2 + 1
SIDE = float(DEFAULT_CANVAS_SIZE)

Strokes = list[np.ndarray]
Generator = Callable[[np.random.Generator, list[pendigits.PenDigit]], Strokes]


# -- placing ------------------------------------------------------------------------


def fit_on_canvas(strokes: Strokes, rng: np.random.Generator) -> Strokes:
    """Move (and shrink if needed) strokes to a random spot fully on the canvas."""
    points = np.concatenate(strokes)
    low = points.min(axis=0)
    extent = points.max(axis=0) - low
    room = SIDE - 2 * MARGIN
    scale = min(1.0, room / max(float(extent.max()), 1e-9))
    offset = MARGIN + rng.uniform(0.0, 1.0, size=2) * (room - extent * scale)
    return [(s - low) * scale + offset for s in strokes]


def _digit_at_height(digit: pendigits.PenDigit, height: float) -> tuple[Strokes, float]:
    """A digit's strokes scaled to ``height`` (aspect kept), left and top at 0."""
    points = np.concatenate(digit.strokes)
    low = points.min(axis=0)
    extent = points.max(axis=0) - low
    scale = height / extent[1] if extent[1] > 0 else height / max(extent[0], 1.0)
    return [(s - low) * scale for s in digit.strokes], float(extent[0] * scale)


def side_by_side(count: int, heights: tuple[float, float], gaps: tuple[float, float]) -> Generator:
    """``count`` random digits in a row, ``gaps`` px of paper between their ink.

    A negative gap overlaps the inks. Each digit's height varies by 15% around
    a common height and its baseline by 10% of it, as in handwriting.
    """

    def generate(rng: np.random.Generator, digits: list[pendigits.PenDigit]) -> Strokes:
        height = rng.uniform(*heights)
        strokes: Strokes = []
        x = 0.0
        for _ in range(count):
            digit = digits[int(rng.integers(len(digits)))]
            own = height * rng.uniform(0.85, 1.15)
            scaled, width = _digit_at_height(digit, own)
            dy = (height - own) / 2 + rng.uniform(-0.1, 0.1) * height
            strokes += [s + (x, dy) for s in scaled]
            # Ink edges are half a pen outside the trajectory on each side.
            x += width + DEFAULT_PEN_WIDTH + rng.uniform(*gaps)
        return fit_on_canvas(strokes, rng)

    return generate


def _box(rng: np.random.Generator, low: float, high: float) -> tuple[np.ndarray, float]:
    """A random square region: its centre and side."""
    side = rng.uniform(low, high)
    centre = rng.uniform(MARGIN + side / 2, SIDE - MARGIN - side / 2, size=2)
    return centre, side


def _rotate(points: np.ndarray, angle: float) -> np.ndarray:
    c, s = math.cos(angle), math.sin(angle)
    return points @ np.array([[c, s], [-s, c]])


# -- scribbles ----------------------------------------------------------------------


def walk(length: tuple[float, float], box: tuple[float, float]) -> Generator:
    """A smooth random pen walk of ``length`` px, turning back at a box's edges."""

    def generate(rng: np.random.Generator, _digits: list[pendigits.PenDigit]) -> Strokes:
        centre, side = _box(rng, *box)
        low, high = centre - side / 2, centre + side / 2
        step = 3.0
        n = int(rng.uniform(*length) / step)
        point = centre + rng.uniform(-0.3, 0.3, size=2) * side
        heading = rng.uniform(0, 2 * math.pi)
        curvature = 0.0
        points = [point.copy()]
        for _ in range(n):
            # Curvature drifts: loops of radius ~15-60 px, straight runs too.
            curvature = 0.93 * curvature + rng.normal(0.0, 0.012)
            heading += curvature * step
            move = step * np.array([math.cos(heading), math.sin(heading)])
            new = point + move
            for axis in range(2):
                if not low[axis] <= new[axis] <= high[axis]:
                    move[axis] = -move[axis]
                    heading = math.atan2(move[1], move[0])
            point = point + move
            points.append(point.copy())
        return fit_on_canvas([np.array(points)], rng)

    return generate


def zigzag(rng: np.random.Generator, _digits: list[pendigits.PenDigit]) -> Strokes:
    """One stroke going back and forth 5-10 times (a "WWW" or sawtooth)."""
    teeth = int(rng.integers(5, 11))
    width = rng.uniform(110, 250)
    height = rng.uniform(60, 200)
    x = np.linspace(0, width, teeth + 1)
    y = np.where(np.arange(teeth + 1) % 2 == 0, 0.0, height)
    y += rng.normal(0, 0.05 * height, size=y.shape)
    points = np.stack([x, y], axis=1)
    if rng.random() < 0.3:
        points = points[:, ::-1]  # a vertical zigzag
    points = _rotate(points, rng.uniform(-0.3, 0.3))
    return fit_on_canvas([points], rng)


def spiral(rng: np.random.Generator, _digits: list[pendigits.PenDigit]) -> Strokes:
    """An Archimedean spiral of 2-4 turns."""
    turns = rng.uniform(2.0, 4.0)
    radius = rng.uniform(60, 125)
    t = np.linspace(0, turns * 2 * math.pi, int(turns * 80))
    r = radius * (0.08 + 0.92 * t / t[-1])
    squash = rng.uniform(0.7, 1.0)
    points = np.stack([r * np.cos(t), squash * r * np.sin(t)], axis=1)
    return fit_on_canvas([_rotate(points, rng.uniform(0, math.pi))], rng)


def coil(rng: np.random.Generator, _digits: list[pendigits.PenDigit]) -> Strokes:
    """A row of 3-7 cursive loops ("eeee"), like a telephone cord."""
    loops = rng.uniform(3.0, 7.0)
    width = rng.uniform(150, 260)
    # The pen moves on by 0.2-0.5 of a loop's radius per radian: loops overlap.
    advance = rng.uniform(0.2, 0.5)
    radius = width / (advance * loops * 2 * math.pi + 2)
    t = np.linspace(0, loops * 2 * math.pi, int(loops * 48))
    x = radius * (advance * t + np.cos(t))
    y = rng.uniform(1.0, 2.0) * radius * np.sin(t)
    points = np.stack([x, y], axis=1)
    return fit_on_canvas([_rotate(points, rng.uniform(-0.3, 0.3))], rng)


def blob(rng: np.random.Generator, _digits: list[pendigits.PenDigit]) -> Strokes:
    """A patch filled in by many overlapping strokes (colouring in)."""
    centre, side = _box(rng, 110, 230)
    radius = side / 2
    strokes = []
    if rng.random() < 0.5:
        # Back and forth, lines closer than the pen is wide.
        angle = rng.uniform(0, math.pi)
        spacing = DEFAULT_PEN_WIDTH * rng.uniform(0.4, 0.9)
        offsets = np.arange(-radius, radius, spacing)
        ends = []
        for i, offset in enumerate(offsets):
            half = math.sqrt(max(radius**2 - offset**2, 0.0)) * rng.uniform(0.8, 1.0)
            row = [(-half, offset), (half, offset)]
            ends += row if i % 2 == 0 else row[::-1]
        strokes.append(_rotate(np.array(ends), angle) + centre)
    else:
        for _ in range(int(rng.integers(10, 30))):
            start = centre + rng.uniform(-0.7, 0.7, size=2) * radius
            end = centre + rng.uniform(-0.7, 0.7, size=2) * radius
            strokes.append(np.array([start, end]))
    return fit_on_canvas(strokes, rng)


def hatching(rng: np.random.Generator, _digits: list[pendigits.PenDigit]) -> Strokes:
    """4-10 parallel lines, one stroke each; cross-hatched half the time."""
    count = int(rng.integers(4, 11))
    length = rng.uniform(80, 220)
    spacing = DEFAULT_PEN_WIDTH * rng.uniform(1.3, 3.0)
    angle = rng.uniform(0, math.pi)
    strokes = []
    for direction in range(2 if rng.random() < 0.5 else 1):
        for i in range(count):
            offset = (i - (count - 1) / 2) * spacing
            jitter = rng.normal(0, 0.05 * length, size=2)
            line = np.array([[-length / 2 + jitter[0], offset], [length / 2 + jitter[1], offset]])
            strokes.append(_rotate(line, angle + direction * math.pi / 2))
    return fit_on_canvas(strokes, rng)


def lines(rng: np.random.Generator, _digits: list[pendigits.PenDigit]) -> Strokes:
    """3-6 long straight lines through a region in random directions: they cross."""
    centre, side = _box(rng, 120, 250)
    strokes = []
    for _ in range(int(rng.integers(3, 7))):
        angle = rng.uniform(0, math.pi)
        direction = np.array([math.cos(angle), math.sin(angle)])
        middle = centre + rng.uniform(-0.25, 0.25, size=2) * side
        half = rng.uniform(0.3, 0.5) * side
        strokes.append(np.array([middle - half * direction, middle + half * direction]))
    return fit_on_canvas(strokes, rng)


#: Negative families: name -> generator (strokes in canvas pixels).
FAMILIES: dict[str, Generator] = {
    "two digits, gap 15-50 px": side_by_side(2, (70, 140), (15, 50)),
    "two digits, gap 3-15 px": side_by_side(2, (70, 140), (3, 15)),
    "two digits, touching/overlap": side_by_side(2, (70, 140), (-12, 3)),
    "three digits, gap 0-40 px": side_by_side(3, (50, 100), (0, 40)),
    "walk 400-700 px": walk((400, 700), (110, 200)),
    "walk 700-1400 px": walk((700, 1400), (130, 230)),
    "walk 1400-2800 px": walk((1400, 2800), (150, 250)),
    "zigzag 5-10 teeth": zigzag,
    "spiral 2-4 turns": spiral,
    "coil 3-7 loops": coil,
    "filled blob": blob,
    "hatching": hatching,
    "3-6 crossing lines": lines,
}


# -- harder single digits -----------------------------------------------------------

Variant = Callable[[np.random.Generator, pendigits.PenDigit], Strokes]


def wide(rng: np.random.Generator, digit: pendigits.PenDigit) -> Strokes:
    """The digit stretched sideways 1.6-2.2 times (a sprawling hand)."""
    stretch = np.array([rng.uniform(1.6, 2.2), 1.0])
    strokes = [s * stretch for s in digit.strokes]
    return pendigits.place_on_canvas(
        strokes, int(SIDE), rng, height_range=(0.3, 0.6), margin=MARGIN
    )


def small(rng: np.random.Generator, digit: pendigits.PenDigit) -> Strokes:
    """The digit 18-35% of the canvas high (3-5 pen widths)."""
    return pendigits.place_on_canvas(
        digit.strokes, int(SIDE), rng, height_range=(0.18, 0.35), margin=MARGIN
    )


def with_dot(rng: np.random.Generator, digit: pendigits.PenDigit) -> Strokes:
    """The digit (40-65% high) plus one or two stray pen dots 30+ px from its ink."""
    strokes = pendigits.place_on_canvas(
        digit.strokes, int(SIDE), rng, height_range=(0.4, 0.65), margin=MARGIN
    )
    points = np.concatenate(strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    dots: Strokes = []
    wanted = 1 + int(rng.random() < 0.3)
    for _ in range(1000):
        dot = rng.uniform(MARGIN, SIDE - MARGIN, size=2)
        outside = np.maximum(np.maximum(low - dot, dot - high), 0.0)
        if np.hypot(*outside) >= 30.0:
            dots.append(dot[None, :])
            if len(dots) == wanted:
                break
    return strokes + dots


#: Single digits drawn in ways pendigits' placement does not cover.
VARIANTS: dict[str, Variant] = {"wide": wide, "small": small, "stray dot": with_dot}


def variants(split: str, limit: int | None, seed: int) -> Iterator[tuple[str, Strokes, int]]:
    """Yield ``(variant, strokes, label)`` for the first ``limit`` digits of ``split``."""
    digits = load_split(split)[:limit]
    for number, (name, make) in enumerate(VARIANTS.items()):
        for index, digit in enumerate(digits):
            strokes = make(np.random.default_rng([seed, 100 + number, index]), digit)
            yield name, strokes, digit.label


def negatives(
    split: str, per_family: int, seed: int, families: dict[str, Generator] | None = None
) -> Iterator[tuple[str, Strokes]]:
    """Yield ``(family, strokes)``: ``per_family`` seeded drawings of each family."""
    digits = load_split(split)
    for number, (name, generate) in enumerate((families or FAMILIES).items()):
        for index in range(per_family):
            yield name, generate(np.random.default_rng([seed, number, index]), digits)


# -- measuring ----------------------------------------------------------------------


def render(strokes: Strokes) -> np.ndarray:
    """Strokes on a 280x280 canvas with the app's renderer and default pen."""
    from digitpad.drawing.render import render_to_array

    return render_to_array(strokes, (DEFAULT_CANVAS_SIZE, DEFAULT_CANVAS_SIZE), DEFAULT_PEN_WIDTH)


class Results:
    """Per-drawing outcomes of one set of canvases."""

    def __init__(self, pen: float | None = None) -> None:
        #: The pen passed to the check (``--pen-known``: the canvas's, as the
        #: window passes it for drawn strokes), or None (estimated from the ink).
        self.pen = pen
        self.flagged: list[bool] = []
        self.scores: list[float] = []
        self.seconds: list[float] = []
        self.inputs: list[np.ndarray] = []
        self.reasons: list[str] = []
        self.pieces: list[bool] = []

    def add(self, canvas: np.ndarray, pen: float | None = None) -> None:
        pen = self.pen if pen is None else pen
        started = time.perf_counter()
        verdict = check_one_digit(canvas, pen=pen)
        self.seconds.append(time.perf_counter() - started)
        measures = measure(canvas, pen)
        self.flagged.append(not verdict.one_digit)
        self.reasons.append(verdict.reason)
        self.scores.append(-np.inf if measures is None else measures.score)
        self.pieces.append(measures is not None and measures.side_by_side >= 2)
        x28 = to_mnist(canvas)
        self.inputs.append(np.zeros((28, 28), np.float32) if x28 is None else x28)

    def rate(self) -> float:
        return float(np.mean(self.flagged))


def positive_sets(limit: int | None, seed: int) -> Iterator[tuple[str, Iterator[np.ndarray]]]:
    """Single digits: the pen benchmark's placements, then the harder variants."""
    for split in ("test", "train"):
        yield (
            f"pendigits-{split}",
            (canvas for canvas, _, _ in _first(canvases(split), limit)),
        )
    for name in VARIANTS:
        yield (
            f"pendigits-test, {name}",
            (render(s) for v, s, _ in variants("test", limit, seed) if v == name),
        )


def number_size(split: str, count: int, seed: int) -> Iterator[tuple[np.ndarray, float]]:
    """``(ink, pen)`` of single digits written at a number's size, as the window checks them.

    Each is one ``split`` writer's digit 6-8 pen widths tall (the app's pen,
    ``number_data``), segmented from its strokes: the ink and pen (in the
    ink's pixels) that :meth:`NumberInput.digits` hands the shape check.
    """
    from digitpad.drawing.number_input import Drawing, prepare
    from tests.benchmarks.number_data import make_numbers

    for number in make_numbers(count, split=split, lengths=(1,), seed=seed):
        strokes = tuple(number.strokes)
        prepared = prepare(Drawing(strokes, (DEFAULT_PEN_WIDTH,) * len(strokes)))
        if prepared is None:
            continue
        for digit in prepared.digits(None):
            piece = prepared.segmentation.pieces[digit.piece]
            yield piece.ink, piece.pen


def _first(items: Iterator, limit: int | None) -> Iterator:
    for index, item in enumerate(items):
        if limit is not None and index >= limit:
            return
        yield item


def network_outputs(
    inputs: dict[str, np.ndarray],
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]] | None:
    """Top probability and energy (logsumexp of the logits) per input, or ``None``."""
    try:
        from digitpad.net.inference import Predictor

        predictor = Predictor.from_cache()
    except Exception as exc:  # noqa: BLE001 - a benchmark reports and goes on
        print(f"(no cached model, network columns skipped: {exc})")
        return None
    import keras

    model = predictor.model
    features = keras.Model(model.inputs, model.get_layer("fc1").output)
    weights, bias = model.get_layer("probabilities").get_weights()
    top, energy = {}, {}
    for name, x in inputs.items():
        top[name] = predictor.predict_batch(x).max(axis=1)
        fc1 = features.predict(x[..., None], batch_size=1024, verbose=0)
        energy[name] = _logsumexp(fc1 @ weights + bias)
    return top, energy


def _logsumexp(logits: np.ndarray) -> np.ndarray:
    peak = logits.max(axis=1)
    return peak + np.log(np.exp(logits - peak[:, None]).sum(axis=1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="first N digits of each set")
    parser.add_argument("--per-family", type=int, default=300, help="negatives per family")
    parser.add_argument("--seed", type=int, default=2, help="negatives' and variants' seed")
    parser.add_argument(
        "--negatives-from",
        choices=pendigits.SPLITS,
        default="test",
        help="split whose digits make the side-by-side negatives",
    )
    parser.add_argument("--no-model", action="store_true", help="skip the network columns")
    parser.add_argument(
        "--pen-known",
        action="store_true",
        help="pass the pen's width to the check for drawings made with the default pen",
    )
    parser.add_argument(
        "--fit",
        action="store_true",
        help="refit the scribble score on pendigits-train and seed-1 negatives and print it",
    )
    args = parser.parse_args(argv)
    if args.fit:
        fit(args.limit, args.per_family, args.pen_known)
        return 0
    if (args.limit is not None and args.limit < 1) or args.per_family < 1:
        parser.error("--limit and --per-family must be positive")

    positives: dict[str, Results] = {}
    known = DEFAULT_PEN_WIDTH if args.pen_known else None
    for name, canvases_ in positive_sets(args.limit, args.seed):
        results = positives[name] = Results(known if name.startswith("pendigits-test,") else None)
        for canvas in canvases_:
            results.add(canvas)
    results = positives["pendigits-test, number size"] = Results()
    for ink, pen in number_size("test", args.limit or NUMBER_SIZE_COUNT, args.seed):
        results.add(ink, pen)
    negatives_: dict[str, Results] = {}
    for family, strokes in negatives(args.negatives_from, args.per_family, args.seed):
        negatives_.setdefault(family, Results(known)).add(render(strokes))

    print(
        f"canvas 280x280, pen {DEFAULT_PEN_WIDTH:g} px; negatives: seed {args.seed}, "
        f"{args.per_family} per family, digits from pendigits-{args.negatives_from}"
    )
    seconds = np.concatenate([r.seconds for r in (*positives.values(), *negatives_.values())])
    p50, p99 = np.percentile(seconds, [50, 99]) * 1e3
    print(
        f"check_one_digit: p50 {p50:.3f} ms, p99 {p99:.3f} ms over {len(seconds)} canvases "
        f"(load average {os.getloadavg()[0]:.1f})"
    )

    network = None
    if not args.no_model:
        network = network_outputs(
            {n: np.stack(r.inputs) for n, r in (*positives.items(), *negatives_.items())}
        )
    print("\nsingle digits wrongly called 'not one digit' (geometry):")
    for name, results in positives.items():
        flagged = int(np.sum(results.flagged))
        line = f"  {name:32s} {results.rate():7.2%} ({flagged} of {len(results.flagged)})"
        if network is not None:
            unsure = np.mean(network[0][name] < NETWORK_THRESHOLD)
            line += f"   network unsure (p<{NETWORK_THRESHOLD}): {unsure:6.2%}"
        print(line)

    print("\nnegatives detected:")
    header = f"  {'family':32s} {'geometry':>9s}"
    if network is not None:
        header += f" {'p<0.9':>7s} {'geo|p<0.9':>10s} {'energy':>7s} {'geo|energy':>10s}"
    print(header + "  most common reason")
    if network is not None:
        energy_limit = _energy_limit(network[1], positives)
    detected = []
    for family, results in negatives_.items():
        geometry = np.asarray(results.flagged)
        line = f"  {family:32s} {geometry.mean():9.1%}"
        if network is not None:
            unsure = network[0][family] < NETWORK_THRESHOLD
            low_energy = network[1][family] < energy_limit
            line += (
                f" {unsure.mean():7.1%} {(geometry | unsure).mean():10.1%}"
                f" {low_energy.mean():7.1%} {(geometry | low_energy).mean():10.1%}"
            )
            detected.append((geometry, unsure, low_energy))
        else:
            detected.append((geometry,))
        reasons = [r for r in results.reasons if r]
        common = max(set(reasons), key=reasons.count) if reasons else ""
        print(line + f"  {common}")
    means = [np.mean([np.mean(d[0]) for d in detected])]
    line = f"  {'mean over families':32s} {means[0]:9.1%}"
    if network is not None:
        for combine in (
            lambda d: d[1],
            lambda d: d[0] | d[1],
            lambda d: d[2],
            lambda d: d[0] | d[2],
        ):
            means.append(np.mean([np.mean(combine(d)) for d in detected]))
        line += " " + " ".join(
            f"{m:{w}.1%}" for m, w in zip(means[1:], (7, 10, 7, 10), strict=True)
        )
        print(line)
        _same_false_alarms(positives, negatives_, network[1], energy_limit)
    else:
        print(line)
    return 0


#: Digits written at a number's size, per split, in the evaluation and the fit.
NUMBER_SIZE_COUNT = 3000

#: The energy cut-off lets through this fraction of pendigits-train digits.
ENERGY_FALSE_ALARMS = 0.002


def _energy_limit(energy: dict[str, np.ndarray], positives: dict[str, Results]) -> float:
    """Energy below which an input is flagged: a low quantile of pendigits-train."""
    limit = float(np.quantile(energy["pendigits-train"], ENERGY_FALSE_ALARMS))
    test_rate = float(np.mean(energy["pendigits-test"] < limit))
    print(
        f"\nenergy (logsumexp of the logits) cut-off {limit:.2f}: flags "
        f"{ENERGY_FALSE_ALARMS:.1%} of pendigits-train, {test_rate:.2%} of pendigits-test"
    )
    return limit


def _same_false_alarms(
    positives: dict[str, Results],
    negatives_: dict[str, Results],
    energy: dict[str, np.ndarray],
    energy_limit: float,
) -> None:
    """Geometry alone with a looser scribble threshold vs geometry OR energy,
    both set to the same false-alarm rate on pendigits-train."""
    train = positives["pendigits-train"]
    combined = np.asarray(train.flagged) | (energy["pendigits-train"] < energy_limit)
    target = float(combined.mean())
    geometry_only = np.asarray(train.flagged)
    scores = np.asarray(train.scores)
    # The loosest scribble threshold that keeps the train false alarms at target.
    candidates = np.sort(scores[~geometry_only])[::-1]
    allowed = max(0, round(target * len(scores)) - int(geometry_only.sum()))
    looser = float(candidates[allowed]) if allowed < len(candidates) else -np.inf

    def geometry_at(results: Results) -> np.ndarray:
        return np.asarray(results.pieces) | (np.asarray(results.scores) > looser)

    def test_rate(flags: np.ndarray) -> str:
        return f"{flags.mean():.2%}"

    test = positives["pendigits-test"]
    print(f"\nat the same false alarms on pendigits-train ({target:.2%}):")
    print(
        f"  pendigits-test false alarms: geometry (scribble threshold {looser:.2f}) "
        f"{test_rate(geometry_at(test))}, geometry | energy "
        f"{test_rate(np.asarray(test.flagged) | (energy['pendigits-test'] < energy_limit))}"
    )
    looser_rates = [geometry_at(r).mean() for r in negatives_.values()]
    combined_rates = [
        (np.asarray(r.flagged) | (energy[n] < energy_limit)).mean() for n, r in negatives_.items()
    ]
    print(
        f"  mean detection over families: geometry {np.mean(looser_rates):.1%}, "
        f"geometry | energy {np.mean(combined_rates):.1%}"
    )


#: False alarms allowed on pendigits-train when the threshold is set: at the
#: default pen, and on each harder set (other pens, wide, small, stray dot).
FIT_FALSE_ALARMS = 0.002
FIT_FALSE_ALARMS_HARD = 0.005


def fit(limit: int | None, per_family: int, pen_known: bool = False) -> None:
    """Fit the scribble score's weights and threshold; print them as constants.

    Positives: pendigits-train at pens of 18, 8 and 30 px, its wide, small
    and stray-dot variants and its digits written at a number's size (seed
    1); negatives: every family drawn from train digits with seed 1, less
    those the side-by-side test already catches. With ``pen_known`` every
    drawing is measured with its pen, as the window measures drawn strokes
    (digits at a number's size always are). Weighted logistic regression
    (classes balanced, a little L2), then the lowest threshold that keeps
    each positive set's false alarms within :data:`FIT_FALSE_ALARMS` (pen 18)
    or :data:`FIT_FALSE_ALARMS_HARD` (the rest).
    """
    known = DEFAULT_PEN_WIDTH if pen_known else None
    positive: dict[str, list] = {}
    for pen in (DEFAULT_PEN_WIDTH, 8.0, 30.0):
        positive[f"pen {pen:g}"] = [
            measure(canvas, pen if pen_known else None)
            for canvas, _, _ in _first(canvases("train", pen_width=pen), limit)
        ]
    for name, strokes, _ in variants("train", limit, 1):
        positive.setdefault(name, []).append(measure(render(strokes), known))
    positive["number size"] = [
        measure(ink, pen) for ink, pen in number_size("train", limit or NUMBER_SIZE_COUNT, 1)
    ]
    negative = []
    for _, strokes in negatives("train", per_family, 1):
        found = measure(render(strokes), known)
        if found is not None and found.side_by_side < 2:
            negative.append(found)
    everything = [m for group in positive.values() for m in group]
    x = np.stack([m.features for m in everything + negative])
    y = np.r_[np.zeros(len(everything)), np.ones(len(negative))]
    mean, spread = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = np.c_[(x - mean) / spread, np.ones(len(x))]
    weights = np.where(y == 1, len(everything) / len(negative), 1.0)
    w = np.zeros(z.shape[1])
    for _ in range(30):  # Newton's method
        p = 1.0 / (1.0 + np.exp(-z @ w))
        gradient = z.T @ (weights * (p - y)) + 1e-2 * w
        hessian = (z * (weights * p * (1 - p))[:, None]).T @ z + 1e-2 * np.eye(len(w))
        w -= np.linalg.solve(hessian, gradient)
    folded = w[:-1] / spread
    bias = w[-1] - float(mean @ folded)
    print(f"fitted on {len(everything)} digits and {len(negative)} negatives")
    print("WEIGHTS = np.array(")
    print("    [" + ", ".join(f"{v:.4f}" for v in folded) + "]")
    print(")")
    print(f"BIAS = {bias:.4f}")
    limits = []
    for name, group in positive.items():
        scores = np.sort([m.features @ folded + bias for m in group if m.side_by_side < 2])
        allowed = (
            FIT_FALSE_ALARMS if name == f"pen {DEFAULT_PEN_WIDTH:g}" else FIT_FALSE_ALARMS_HARD
        )
        limit_here = float(scores[::-1][int(allowed * len(group))])
        limits.append(limit_here)
        print(f"  {name:10s} needs a threshold of {limit_here:.4f} for {allowed:.1%}")
    threshold = max(limits)
    print(f"SCRIBBLE_THRESHOLD = {threshold:.4f}")
    caught = float(np.mean(x[len(everything) :] @ folded + bias > threshold))
    print(f"negatives (not caught by pieces) above the threshold: {caught:.1%}")
    print("the score in use, on the same drawings:")
    for name, group in positive.items():
        alarms = np.mean([m.score > SCRIBBLE_THRESHOLD for m in group if m.side_by_side < 2])
        print(f"  {name:10s} false alarms {alarms:.2%}")
    in_use = float(np.mean([m.score > SCRIBBLE_THRESHOLD for m in negative]))
    print(f"negatives (not caught by pieces) above its threshold: {in_use:.1%}")


if __name__ == "__main__":
    sys.exit(main())
