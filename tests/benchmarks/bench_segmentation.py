"""Segmentation of drawn numbers: time per drawing, and digit-count accuracy.

    python tests/benchmarks/bench_segmentation.py              # timing
    python tests/benchmarks/bench_segmentation.py --accuracy   # pendigits-test numbers
    python tests/benchmarks/bench_segmentation.py --accuracy --split train   # for tuning

Timing: a 6-digit number (pendigits-train writers, app pen, 700 x 560 paper),
50 strokes of noise and a 30-digit scrawl; p50/p99 over repeated runs. The
naive approach it is compared with renders the whole drawing once and cuts
it at empty columns (what a projection-profile segmenter does).

Accuracy (no network): for numbers of 2-6 digits by ONE writer
(:mod:`tests.benchmarks.number_data`), how often the geometric guess
(``Segmentation.default``) has the right number of digits, how often its
pieces are the right ones (each piece's box overlapping its true digit's box
by at least half, in x), and how often an ideal reader would find the right
split among the candidates (``choose`` given probabilities that are sure
exactly for pieces matching a true digit).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from digitpad.drawing.render import DEFAULT_PEN_WIDTH, render_to_array  # noqa: E402
from digitpad.drawing.segmentation import Segmentation, segment_strokes  # noqa: E402
from tests.benchmarks.number_data import DEFAULT_PAPER, Number, make_numbers  # noqa: E402


def percentiles(function, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    p50, p99 = np.percentile(times, [50, 99]) * 1e3
    return float(p50), float(p99)


def naive(strokes: list[np.ndarray], pen: float) -> int:
    """Render everything, split at empty columns: the count of ink runs."""
    image = render_to_array(strokes, (int(DEFAULT_PAPER[0]), int(DEFAULT_PAPER[1])), pen)
    columns = (image > 0.05).any(axis=0).astype(np.int8)
    return int(np.count_nonzero(np.diff(np.concatenate(([0], columns))) == 1))


def timing(runs: int) -> None:
    pen = DEFAULT_PEN_WIDTH
    six = [n for n in make_numbers(50, split="train", lengths=(6,))]
    rng = np.random.default_rng(0)
    noise = [
        np.cumsum(rng.normal(0, 25, size=(20, 2)), axis=0) + rng.uniform(0, 600, 2)
        for _ in range(50)
    ]
    scrawl = make_numbers(1, split="train", lengths=(30,), paper=(2400.0, 300.0))[0]
    from digitpad.drawing.number_input import forget_recent

    def cold(strokes: list[np.ndarray]) -> Segmentation:
        # Nothing remembered from an earlier reading: every stroke painted.
        forget_recent()
        return segment_strokes(strokes, pen)

    cases = [
        ("6-digit number", lambda i: cold(six[i % len(six)].strokes)),
        ("6-digit, read again", lambda i: segment_strokes(six[0].strokes, pen)),
        ("6-digit number, naive", lambda i: naive(six[i % len(six)].strokes, pen)),
        ("50 noise strokes", lambda i: cold(noise)),
        ("30-digit scrawl", lambda i: cold(scrawl.strokes)),
    ]
    for name, case in cases:
        counter = iter(range(10**9))
        case(0)
        p50, p99 = percentiles(lambda case=case, counter=counter: case(next(counter)), runs)
        print(f"{name:24s} p50 {p50:6.2f} ms  p99 {p99:6.2f} ms")


def matches(seg: Segmentation, indices: list[int], number: Number) -> bool:
    if len(indices) != len(number.boxes):
        return False
    return all(
        x_overlap(seg.pieces[i].box, truth) >= 0.5
        for i, truth in zip(indices, number.boxes, strict=True)
    )


def x_overlap(a, b) -> float:
    inter = min(a[2], b[2]) - max(a[0], b[0])
    return max(inter, 0.0) / (max(a[2], b[2]) - min(a[0], b[0]))


def ideal_probabilities(seg: Segmentation, number: Number) -> np.ndarray:
    probs = np.full((len(seg.pieces), 10), 0.05)
    for index, piece in enumerate(seg.pieces):
        for truth, digit in zip(number.boxes, number.text, strict=True):
            if x_overlap(piece.box, truth) >= 0.7:
                probs[index] = np.eye(10)[int(digit)]
    return probs


def accuracy(split: str, count: int) -> None:
    numbers = make_numbers(count, split=split)
    rows: dict[int, list[tuple[bool, bool, bool, bool]]] = {}
    for number in numbers:
        seg = segment_strokes(number.strokes, DEFAULT_PEN_WIDTH)
        chosen = seg.default()
        ideal = seg.choose(ideal_probabilities(seg, number))
        rows.setdefault(len(number.text), []).append(
            (
                len(chosen) == len(number.text),
                matches(seg, chosen, number),
                matches(seg, ideal, number),
                naive(number.strokes, DEFAULT_PEN_WIDTH) == len(number.text),
            )
        )
    print(f"pendigits-{split}, {count} numbers (one writer each), pen {DEFAULT_PEN_WIDTH}")
    print("digits  numbers  count ok  pieces ok  ideal reader  naive count ok")
    for length in sorted(rows):
        r = np.array(rows[length], dtype=float).mean(axis=0) * 100
        print(
            f"{length:6d}  {len(rows[length]):7d}  {r[0]:7.1f}%  {r[1]:8.1f}%  "
            f"{r[2]:11.1f}%  {r[3]:13.1f}%"
        )
    every = np.array([row for group in rows.values() for row in group], dtype=float)
    r = every.mean(axis=0) * 100
    print(
        f"{'all':>6s}  {len(every):7d}  {r[0]:7.1f}%  {r[1]:8.1f}%  {r[2]:11.1f}%  {r[3]:13.1f}%"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accuracy", action="store_true", help="digit-count accuracy")
    parser.add_argument("--split", default="test", choices=("train", "test"))
    parser.add_argument("--count", type=int, default=1000, help="numbers for --accuracy")
    parser.add_argument("--runs", type=int, default=500, help="repetitions for timing")
    args = parser.parse_args()
    if args.accuracy:
        accuracy(args.split, args.count)
    else:
        timing(args.runs)


if __name__ == "__main__":
    main()
