"""New handwriting from old: random changes to pen trajectories before they are drawn.

The bundled pen digits come from 30 writers; rendered once, the network sees
the same 7,494 images every epoch and learns those writers. Changing the
*trajectories* (not the finished image) makes new, plausible handwriting: a
slanted or narrower digit, one stroke moved against another (the bar of a 4
or a 7 placed differently, a loop of a 9 that does not close), a wobbly hand,
another pen. Each change is what a different person might draw, and is then
drawn by the canvas's own renderer, so stroke ends, joins and thickness stay
those of the app.

Pure numpy (no Qt, no TensorFlow): it runs in the rendering processes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class StrokeAugmentation:
    """How much a pen trajectory may change (all limits apply either way).

    Attributes:
        slant_deg: shear of the whole digit, as an italic slant, degrees.
        rotation_deg: rotation of the whole digit, degrees.
        aspect: relative change of the digit's width against its height.
        stroke_shift: shift of each stroke, as a fraction of the digit's size.
        stroke_scale: relative scaling of each stroke about its centre.
        stroke_rotation_deg: rotation of each stroke about its centre, degrees.
        wobble: smooth displacement of every point, fraction of the digit's size.
        pen_width: ``(low, high)`` pen widths in canvas pixels.
        height: ``(low, high)`` digit height as a fraction of the canvas.
    """

    slant_deg: float = 15.0
    rotation_deg: float = 8.0
    aspect: float = 0.15
    stroke_shift: float = 0.04
    stroke_scale: float = 0.1
    stroke_rotation_deg: float = 8.0
    wobble: float = 0.03
    pen_width: tuple[float, float] = (10.0, 28.0)
    height: tuple[float, float] = (0.35, 0.85)


def augment_strokes(
    strokes: list[np.ndarray], rng: np.random.Generator, augmentation: StrokeAugmentation
) -> list[np.ndarray]:
    """A randomly changed copy of one digit's strokes (screen coordinates, y down).

    Args:
        strokes: ``n x 2`` arrays of ``(x, y)`` points, one per stroke.
        rng: the random generator (seeded by the caller: repeatable).
        augmentation: the limits of the changes.

    Returns:
        New ``n x 2`` float64 arrays, one per stroke, in the same coordinates
        (the caller scales and places the digit on a canvas afterwards).
    """
    aug = augmentation
    points = np.concatenate(strokes).astype(np.float64)
    centre = (points.min(axis=0) + points.max(axis=0)) / 2
    size = max(float(np.ptp(points, axis=0).max()), 1.0)

    def spread(limit: float) -> float:
        return float(rng.uniform(-limit, limit))

    out = []
    for stroke in strokes:
        s = np.asarray(stroke, dtype=np.float64) - centre
        local = s.mean(axis=0)
        turn = math.radians(spread(aug.stroke_rotation_deg))
        s = (s - local) @ _rotation(turn).T * (1 + spread(aug.stroke_scale)) + local
        s = s + np.array([spread(aug.stroke_shift), spread(aug.stroke_shift)]) * size
        out.append(s)
    # Whole-digit changes after the per-stroke ones: strokes move together.
    slant = math.tan(math.radians(spread(aug.slant_deg)))
    # y grows downwards: x -= slant * y leans the top to the right.
    whole = np.array([[1.0 + spread(aug.aspect), -slant], [0.0, 1.0]])
    whole = _rotation(math.radians(spread(aug.rotation_deg))) @ whole
    wobble = _wobble(rng, aug.wobble * size, size)
    return [wobble(s @ whole.T) + centre for s in out]


def pen_width(rng: np.random.Generator, augmentation: StrokeAugmentation) -> float:
    """A random pen width within the augmentation's range."""
    return float(rng.uniform(*augmentation.pen_width))


def _rotation(angle: float) -> np.ndarray:
    cos, sin = math.cos(angle), math.sin(angle)
    return np.array([[cos, -sin], [sin, cos]])


def _wobble(rng: np.random.Generator, amplitude: float, size: float):  # noqa: ANN202
    """A smooth random displacement field: two low-frequency waves per axis."""
    if amplitude <= 0:
        return lambda p: p
    freq = rng.uniform(0.5, 1.5, (2, 2, 2)) * 2 * math.pi / size
    phase = rng.uniform(0, 2 * math.pi, (2, 2))
    weight = rng.uniform(-1, 1, (2, 2)) * amplitude / math.sqrt(2)

    def apply(p: np.ndarray) -> np.ndarray:
        moved = p.copy()
        for axis in range(2):
            for k in range(2):
                moved[:, axis] += weight[axis, k] * np.sin(p @ freq[axis, k] + phase[axis, k])
        return moved

    return apply
