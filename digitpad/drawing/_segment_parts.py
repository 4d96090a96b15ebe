"""The elements :mod:`digitpad.drawing.segmentation` groups: strokes or ink components.

Each source gives its elements' boxes, the ink of a set of elements alone
(for a digit's crop), and each element's ink in a shared frame (for cutting a
wide group); :func:`primitives_of` cuts such a frame into slices.
"""

from __future__ import annotations

import hashlib
import math
import statistics
import struct
from collections.abc import Sequence

import numpy as np

from digitpad.drawing.mnist_format import INK_FLOOR
from digitpad.drawing.recent import Recent
from digitpad.drawing.segmentation import (
    MAX_PRIMITIVES,
    MIN_SLICE,
    OVERLAP,
    RENDER_HEIGHT,
    SPLIT_ASPECT,
    VALLEY_DEPTH,
    Box,
    _Source,
)
from digitpad.drawing.shape_check import _dilate, _label_runs, _runs

#: Component pixels are those at least this fraction of the brightest ink.
COMPONENT_LEVEL = 0.25
#: Image gaps up to about this many stroke widths are bridged.
BRIDGE_STROKES = 0.5

#: A slice of an element's columns: ``(element, first column, stop column)``.
Part = tuple[int, int, int]
#: The render scale moves in steps of this factor (about 4%).
SCALE_STEP = 1.04


#: The strokes' renders of recent segmentations.
RENDERS = Recent(256)


class StrokeSource(_Source):
    """Pen strokes, rendered with the canvas's renderer on demand."""

    def __init__(
        self,
        strokes: Sequence[Sequence[Sequence[float]] | np.ndarray],
        pen_width: float | Sequence[float],
    ) -> None:
        widths = np.broadcast_to(np.asarray(pen_width, dtype=np.float64), (len(strokes),))
        if widths.ndim != 1 or not np.all(np.isfinite(widths)) or np.any(widths <= 0):
            raise ValueError(
                f"pen_width must be one positive number or one per stroke, got {pen_width!r}"
            )
        self.strokes: list[np.ndarray] = []
        self.widths: list[float] = []
        ids, boxes = [], []
        for index, stroke in enumerate(strokes):
            points = np.asarray(stroke, dtype=np.float64)
            if points.size == 0:
                continue
            if points.ndim != 2 or points.shape[1] != 2:
                raise ValueError(
                    f"stroke {index} must be a sequence of (x, y) points, got shape {points.shape}"
                )
            if not np.all(np.isfinite(points)):
                raise ValueError(f"stroke {index} holds NaN or infinite coordinates")
            radius = widths[index] / 2.0
            low, high = points.min(axis=0), points.max(axis=0)
            boxes.append((low[0] - radius, low[1] - radius, high[0] + radius, high[1] + radius))
            ids.append(index)
            self.strokes.append(points)
            self.widths.append(float(widths[index]))
        self.ids = np.asarray(ids, dtype=np.int64)
        self.boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
        self.scale = 1.0
        self._keys: dict[int, bytes] = {}

    def set_height(self, height: float) -> None:
        """Render so the writing is at most :data:`RENDER_HEIGHT` pixels high.

        The scale moves in steps of :data:`SCALE_STEP`, so that a digit
        growing under the pen, or a new digit, rarely changes the scale of
        the others, and their renders are found in :data:`RENDERS`.
        """
        exact = min(1.0, RENDER_HEIGHT / height)
        steps = math.floor(math.log(exact) / math.log(SCALE_STEP)) if exact < 1.0 else 0
        self.scale = SCALE_STEP**steps

    def crop(self, members: Sequence[int]) -> tuple[np.ndarray, Box]:
        """The members' strokes rendered together, cropped to their ink."""
        left, top, size = self._frame_of(members)
        ink = self._render(members, left, top, size)
        return _crop(ink, left, top, self.scale)

    def frame(self, members: Sequence[int]) -> tuple[list[np.ndarray], float, float, float]:
        """Each member's stroke rendered alone into the members' frame."""
        left, top, size = self._frame_of(members)
        return [self._render([m], left, top, size) for m in members], left, top, self.scale

    def pen(self, members: Sequence[int]) -> float:
        """The members' median pen width, in rendered pixels."""
        # statistics.median: np.median costs 30 us on a handful of numbers.
        return float(statistics.median([self.widths[m] for m in members])) * self.scale

    def crossing(self, members: Sequence[int]) -> list[tuple[int, int]]:
        """Pairs of positions in ``members`` whose strokes cross each other."""
        pairs = []
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                if strokes_cross(self.strokes[members[a]], self.strokes[members[b]]):
                    pairs.append((a, b))
        return pairs

    def _frame_of(self, members: Sequence[int]) -> tuple[float, float, tuple[int, int]]:
        box = self.boxes[list(members)]
        # A pixel of margin: antialiasing reaches half a pixel past the pen.
        left, top = box[:, 0].min() - 1.0 / self.scale, box[:, 1].min() - 1.0 / self.scale
        width = math.ceil((box[:, 2].max() - left) * self.scale) + 2
        height = math.ceil((box[:, 3].max() - top) * self.scale) + 2
        return float(left), float(top), (width, height)

    def _render(
        self, members: Sequence[int], left: float, top: float, size: tuple[int, int]
    ) -> np.ndarray:
        key = (tuple(self._key(m) for m in members), left, top, size, self.scale)
        found = RENDERS.get(key)
        if found is None:
            found = self._paint(members, left, top, size)
            found.flags.writeable = False
            RENDERS.put(key, found)
        return found

    def _key(self, member: int) -> bytes:
        """What a stroke's render depends on: its points and its pen."""
        if member not in self._keys:
            digest = hashlib.blake2b(self.strokes[member].tobytes(), digest_size=16)
            digest.update(struct.pack("<d", self.widths[member]))
            self._keys[member] = digest.digest()
        return self._keys[member]

    def _paint(
        self, members: Sequence[int], left: float, top: float, size: tuple[int, int]
    ) -> np.ndarray:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QImage, QPainter

        from digitpad.drawing.render import image_to_array, paint_strokes

        image = QImage(size[0], size[1], QImage.Format.Format_Grayscale8)
        image.fill(Qt.GlobalColor.black)
        painter = QPainter(image)
        try:
            painter.scale(self.scale, self.scale)
            painter.translate(-left, -top)
            for m in members:
                paint_strokes(painter, [self.strokes[m]], self.widths[m], Qt.GlobalColor.white)
        finally:
            painter.end()
        return image_to_array(image)


class ImageSource(_Source):
    """Connected pieces of an image's ink, small gaps bridged."""

    def __init__(self, image: np.ndarray) -> None:
        self.image = image
        peak = float(image.max())
        mask = image >= COMPONENT_LEVEL * peak if peak > 0 else np.zeros(image.shape, bool)
        if float(image.sum(dtype=np.float64)) < 0.5 or not mask.any():
            self.boxes = np.zeros((0, 4))
            self.ids = np.zeros(0, np.int64)
            self.labels = np.zeros(image.shape, np.int64)
            return
        steps = max(1, round(BRIDGE_STROKES * _stroke_width(mask) / 2.0))
        grown = _dilate(mask, steps)[steps:-steps, steps:-steps]
        rows, starts, stops = _runs(grown)
        run_labels = _label_runs(rows, starts, stops, grown.shape[1], diagonal=True)
        self.labels = _paint_runs(grown.shape, rows, starts, stops, run_labels + 1) - 1
        # Boxes from the ink itself, not from its bridged outline.
        ink_rows, ink_starts, ink_stops = _runs(mask)
        owner = self.labels[ink_rows, ink_starts]
        count = int(run_labels.max()) + 1
        boxes = np.empty((count, 4))
        boxes[:, 0], boxes[:, 1] = np.inf, np.inf
        boxes[:, 2], boxes[:, 3] = -np.inf, -np.inf
        np.minimum.at(boxes[:, 0], owner, ink_starts)
        np.minimum.at(boxes[:, 1], owner, ink_rows)
        np.maximum.at(boxes[:, 2], owner, ink_stops)
        np.maximum.at(boxes[:, 3], owner, ink_rows + 1)
        self.boxes = boxes
        self.ids = np.arange(count, dtype=np.int64)

    def crop(self, members: Sequence[int]) -> tuple[np.ndarray, Box]:
        """The image's ink inside the members' components, cropped."""
        window, left, top = self._window(members)
        ink = np.where(np.isin(self.labels[window], members), self.image[window], 0.0)
        return _crop(ink.astype(np.float32), left, top, 1.0)

    def frame(self, members: Sequence[int]) -> tuple[list[np.ndarray], float, float, float]:
        """Each member component's ink in the members' bounding window."""
        window, left, top = self._window(members)
        labels, image = self.labels[window], self.image[window]
        inks = [np.where(labels == m, image, 0.0).astype(np.float32) for m in members]
        return inks, left, top, 1.0

    def _window(self, members: Sequence[int]) -> tuple[tuple[slice, slice], float, float]:
        box = self.boxes[list(members)]
        # One pixel more each way: anti-aliased edges fainter than the
        # component level still belong to the digit.
        c0 = max(int(box[:, 0].min()) - 1, 0)
        r0 = max(int(box[:, 1].min()) - 1, 0)
        c1 = min(int(box[:, 2].max()) + 1, self.image.shape[1])
        r1 = min(int(box[:, 3].max()) + 1, self.image.shape[0])
        return (slice(r0, r1), slice(c0, c1)), float(c0), float(r0)


def strokes_cross(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether polylines ``a`` and ``b`` (n x 2 points) cross: a 7's bar over its stem.

    Touching strokes (two digits written close) do not cross; a single point
    (a dot) crosses nothing.
    """
    if len(a) < 2 or len(b) < 2:
        return False
    if (
        a[:, 0].max() < b[:, 0].min()
        or b[:, 0].max() < a[:, 0].min()
        or a[:, 1].max() < b[:, 1].min()
        or b[:, 1].max() < a[:, 1].min()
    ):
        return False
    p, r = a[:-1, None, :], (a[1:] - a[:-1])[:, None, :]
    q, s = b[None, :-1, :], (b[1:] - b[:-1])[None, :, :]
    denominator = r[..., 0] * s[..., 1] - r[..., 1] * s[..., 0]
    qp = q - p
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (qp[..., 0] * s[..., 1] - qp[..., 1] * s[..., 0]) / denominator
        u = (qp[..., 0] * r[..., 1] - qp[..., 1] * r[..., 0]) / denominator
    hits = (denominator != 0) & (t >= 0) & (t <= 1) & (u >= 0) & (u <= 1)
    return bool(hits.any())


def primitives_of(
    inks: list[np.ndarray],
    members: Sequence[int],
    height: float,
    crossing: Sequence[tuple[int, int]] = (),
) -> tuple[list[list[Part]], list[float]]:
    """Cut a wide group into slices, left to right.

    Elements that cross each other (``crossing``) and overlap horizontally by
    at least :data:`~digitpad.drawing.segmentation.OVERLAP` of the narrower
    one's width stay together in one primitive, uncut: a 7's bar drawn
    through its stem is part of the 7, not a digit of its own. Two digits
    touch; they do not run through each other.

    Args:
        inks: each element's ink in the group's frame.
        members: the elements' ids (only their count matters here).
        height: the writing height in the frame's pixels.
        crossing: pairs of positions in ``members`` whose strokes cross.

    Returns:
        The primitives (each a list of parts) and, for each boundary between
        consecutive primitives, its cost: 0 between elements, the valley's
        depth (ink there over the element's median column) inside one.
    """
    extents = []
    for ink in inks:
        columns = np.flatnonzero((ink > INK_FLOOR).any(axis=0))
        extents.append((int(columns[0]), int(columns[-1]) + 1) if len(columns) else (0, 0))
    units = _crossing_units(extents, crossing)
    order = sorted(range(len(units)), key=lambda u: sum(_unit_extent(units[u], extents)))
    prims: list[list[Part]] = []
    costs: list[float] = []
    for u in order:
        if len(units[u]) > 1:
            if prims:
                costs.append(0.0)
            prims.append([(k, *extents[k]) for k in units[u] if extents[k][1] > extents[k][0]])
            continue
        k = units[u][0]
        first, stop = extents[k]
        if stop <= first:
            continue
        cuts: list[tuple[int, float]] = []
        if stop - first > SPLIT_ASPECT * height:
            cuts = _valleys(inks[k], first, stop, height)
        bounds = [first, *(c for c, _ in cuts), stop]
        if prims:
            costs.append(0.0)
        for (c0, c1), cut in zip(
            zip(bounds[:-1], bounds[1:], strict=True), [0.0, *(d for _, d in cuts)], strict=True
        ):
            if c0 != first:
                costs.append(cut)
            prims.append([(k, c0, c1)])
    while len(prims) > MAX_PRIMITIVES:
        # Join the two neighbours that make the narrowest primitive.
        widths = [_width(prims[i] + prims[i + 1]) for i in range(len(prims) - 1)]
        i = int(np.argmin(widths))
        prims[i : i + 2] = [prims[i] + prims[i + 1]]
        del costs[i]
    return prims, costs


def _crossing_units(
    extents: list[tuple[int, int]], crossing: Sequence[tuple[int, int]]
) -> list[list[int]]:
    """Positions joined by crossing strokes that overlap enough in x, transitively."""
    parent = list(range(len(extents)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in crossing:
        (a0, a1), (b0, b1) = extents[a], extents[b]
        overlap = min(a1, b1) - max(a0, b0)
        if overlap >= OVERLAP * max(min(a1 - a0, b1 - b0), 1):
            parent[find(a)] = find(b)
    units: dict[int, list[int]] = {}
    for k in range(len(extents)):
        units.setdefault(find(k), []).append(k)
    return list(units.values())


def _unit_extent(unit: list[int], extents: list[tuple[int, int]]) -> tuple[int, int]:
    return min(extents[k][0] for k in unit), max(extents[k][1] for k in unit)


def _width(parts: list[Part]) -> int:
    return max(c1 for _, _, c1 in parts) - min(c0 for _, c0, _ in parts)


def _valleys(ink: np.ndarray, first: int, stop: int, height: float) -> list[tuple[int, float]]:
    """Columns where an element's ink is shortest, enough to cut there, with their depth.

    The measure is the height the ink spans in each column, not its amount:
    where two round digits touch, the column through the contact holds as
    much ink as the middle of a 0 but spans only a pen width or two.
    """
    inked = ink[:, first:stop] >= 0.5
    any_ink = inked.any(axis=0)
    top = np.argmax(inked, axis=0)
    bottom = inked.shape[0] - np.argmax(inked[::-1], axis=0)
    profile = np.where(any_ink, bottom - top, 0).astype(np.float64)
    window = max(1, round(0.05 * height))
    smooth = np.convolve(profile, np.ones(window) / window, mode="same")
    typical = float(np.median(smooth[smooth > 0])) if np.any(smooth > 0) else 0.0
    if typical <= 0:
        return []
    margin = max(1, round(MIN_SLICE * height))
    inner = np.arange(margin, len(smooth) - margin)
    if not len(inner):
        return []
    values = smooth[inner]
    left = smooth[inner - 1]
    right = smooth[inner + 1]
    minima = inner[(values <= left) & (values <= right) & (values <= VALLEY_DEPTH * typical)]
    chosen: list[tuple[int, float]] = []
    for column in minima[np.argsort(smooth[minima], kind="stable")]:
        if len(chosen) >= MAX_PRIMITIVES - 1:
            break
        if all(abs(int(column) - c) >= margin for c, _ in chosen):
            chosen.append((int(column), float(smooth[column] / typical)))
    return sorted((first + c, depth) for c, depth in chosen)


def _crop(ink: np.ndarray, left: float, top: float, scale: float) -> tuple[np.ndarray, Box]:
    """Crop ``ink`` (a frame at ``left, top`` in input units) to its ink, with its box."""
    inked = ink > INK_FLOOR
    rows = np.flatnonzero(inked.any(axis=1))
    if not len(rows):
        return ink[:0, :0], (left, top, left, top)
    cols = np.flatnonzero(inked.any(axis=0))
    r0, r1, c0, c1 = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
    box = (left + c0 / scale, top + r0 / scale, left + c1 / scale, top + r1 / scale)
    return ink[r0:r1, c0:c1], box


def _stroke_width(mask: np.ndarray) -> float:
    """Mean stroke width of a binary ink mask: twice its area over its outline."""
    edges = int(np.count_nonzero(mask[1:] != mask[:-1])) + int(
        np.count_nonzero(mask[:, 1:] != mask[:, :-1])
    )
    edges += int(mask[0].sum() + mask[-1].sum() + mask[:, 0].sum() + mask[:, -1].sum())
    return max(1.0, 2.0 * float(mask.sum()) / max(edges * math.pi / 4.0, 1.0))


def _paint_runs(
    shape: tuple[int, int],
    rows: np.ndarray,
    starts: np.ndarray,
    stops: np.ndarray,
    values: np.ndarray,
) -> np.ndarray:
    """An image holding ``values[i]`` on run ``i`` and 0 elsewhere."""
    out = np.zeros(shape, np.int64)
    lengths = stops - starts
    flat_starts = rows * shape[1] + starts
    offsets = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    out.reshape(-1)[np.repeat(flat_starts, lengths) + offsets] = np.repeat(values, lengths)
    return out
