"""Canvas image -> 28x28 MNIST-style input, the way LeCun prepared MNIST.

MNIST's digits were cropped to their ink's bounding box, scaled (aspect kept)
so the long side fills a 20x20 box with anti-aliased area resampling, and
placed in a 28x28 field with their centre of mass in the middle (measured on
MNIST: mean centre of mass (14.00, 14.01) in pixel-index coordinates). A
network trained on MNIST reads digits prepared the same way far better than
a plain shrink of the whole canvas (see ``tests/benchmarks/bench_pen.py``).

Two additions, both measured on replayed pen digits (pendigits-train):

* stroke width normalisation: a fixed-width canvas pen gives thick strokes
  in a small drawing and thin ones in a large drawing once scaled into the
  20x20 box; the strokes are dilated or eroded to a width of 2 pixels, which
  makes accuracy independent of the pen width (without it, pens of 8 or 30
  px instead of 18 cost 1.2-1.6 points on pendigits-train);
* speck removal: a small blob of ink separated from the rest by empty rows
  or columns (a stray click) does not count towards the crop.

Pure numpy: no Qt, no TensorFlow. One call on a 280x280 canvas takes a few
hundred microseconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: Output side (MNIST).
SIZE = 28
#: Side of the box the digit's long side is fitted into (MNIST).
BOX = 20
#: Where the centre of mass lands, in pixel-index coordinates (row, col).
CENTRE = 14.0
#: Less ink than this (in fully-inked pixels' worth) is a blank canvas.
BLANK_INK = 0.5
#: Pixels at least this fraction of the image's brightest ink count as ink
#: for the bounding box (LeCun cropped binary NIST images; anti-aliased edge
#: pixels fainter than this would inflate the box).
INK_LEVEL = 0.5
#: Stroke width aimed at, in output pixels. Chosen on pendigits-train with an
#: MNIST-trained LeNet: 2.0 beat 2.5 and 3.0 and no normalisation at canvas
#: pens of 8, 18 and 30 px (MNIST's own median by the same measure is 2.5,
#: but its widths vary; one fixed width reads best).
TARGET_STROKE_WIDTH = 2.0
#: Supersampling of the intermediate image where the stroke width is changed.
SUPERSAMPLE = 3
#: Erosion never takes strokes below this fraction of their width, so an
#: image with uneven strokes (an imported scan) keeps its thin parts.
MAX_THINNING = 0.5
#: An end group of ink (along rows or columns) holding less than this fraction
#: of the ink and separated by a gap of at least ``SPECK_GAP`` of the ink's
#: extent is a speck, not part of the digit. Measured on 2500 pendigits-train
#: digits with one or two stray pen dots added 30+ px away: 86.5% read right
#: without speck removal, 91.2% with it (92.6% without dots); no clean digit
#: changes. A mass limit of 0.1 caught more dots but cut the separate flag
#: off two "1"s.
SPECK_MASS = 0.05
SPECK_GAP = 0.05
#: Grey levels below this are background when tracing a stroke's outline.
INK_FLOOR = 0.05
#: OpenBLAS runs matrix products of fewer multiply-adds than this on one core.
_SINGLE_THREAD_PRODUCT = 250_000


def as_image(image: np.ndarray) -> np.ndarray:
    """Validate a canvas image and return it as float32 in [0, 1] (ink = 1).

    Accepts float arrays (ink 1.0 on 0.0; values outside [0, 1] are clipped),
    uint8 and other integer arrays (0-255) and bool arrays.

    Raises:
        ValueError: not a 2-D array, empty, of a non-numeric type, or holding
            NaN or infinity.
    """
    return _prepare(image)[0]


def _prepare(image: np.ndarray) -> tuple[np.ndarray, float]:
    """:func:`as_image` and the brightest value, in as few passes as possible."""
    array = np.asarray(image)
    if array.ndim != 2:
        raise ValueError(
            f"expected a 2-D grayscale image (H x W), got an array of shape {array.shape}"
        )
    if array.size == 0:
        raise ValueError(f"the image is empty (shape {array.shape})")
    if array.dtype == np.bool_:
        return array.astype(np.float32), float(array.any())
    if np.issubdtype(array.dtype, np.integer):
        scaled = np.clip(array, 0, 255).astype(np.float32) / np.float32(255.0)
        return scaled, float(scaled.max())
    if not np.issubdtype(array.dtype, np.floating):
        raise ValueError(f"expected a numeric image, got dtype {array.dtype}")
    array = array.astype(np.float32, copy=False)
    # min and max propagate NaN and show infinities: no separate isfinite pass.
    low, high = float(array.min()), float(array.max())
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError("the image contains NaN or infinite values")
    if low < 0.0 or high > 1.0:
        array = np.clip(array, 0.0, 1.0)
        high = min(max(high, 0.0), 1.0)
    return array, high


def is_blank(image: np.ndarray) -> bool:
    """Whether ``image`` holds less than half a pixel's worth of ink."""
    return float(as_image(image).sum(dtype=np.float64)) < BLANK_INK


def plain_resize(image: np.ndarray) -> np.ndarray:
    """Area-resize the whole canvas to 28x28: the naive way, for comparison.

    Returns:
        float32 28x28 in [0, 1].
    """
    img = as_image(image)
    out = _resample(img, (SIZE / img.shape[0], 0.0, SIZE), (SIZE / img.shape[1], 0.0, SIZE))
    return np.clip(out, 0.0, 1.0).astype(np.float32)


@dataclass(frozen=True)
class Placement:
    """Where an image lands in the 28x28 model input: one scale, one shift.

    Every step of :func:`to_mnist_placed` (crop, fit into 20 pixels on a
    supersampled copy, centring) is a scale and a shift, the same on both
    axes, so an image point ``(row, col)`` (continuous pixel coordinates,
    pixel ``i`` spanning ``[i, i + 1)``) lands at ``(row_offset + scale * row,
    col_offset + scale * col)`` in the input.

    Attributes:
        scale: model-input pixels per image pixel.
        row_offset: input row of image row 0.
        col_offset: input column of image column 0.
    """

    scale: float
    row_offset: float
    col_offset: float

    def to_input(self, row: float, col: float) -> tuple[float, float]:
        """Image point -> model-input point."""
        return self.row_offset + self.scale * row, self.col_offset + self.scale * col

    def to_canvas(self, row: float, col: float) -> tuple[float, float]:
        """Model-input point -> image point."""
        return (row - self.row_offset) / self.scale, (col - self.col_offset) / self.scale


@dataclass(frozen=True)
class MnistInput:
    """A drawing in MNIST form, and the geometry that put it there.

    Attributes:
        x28: float32 28 x 28 in [0, 1], ink 1.0.
        placement: where the image's points landed in ``x28``.
    """

    x28: np.ndarray
    placement: Placement


def to_mnist(
    image: np.ndarray,
    *,
    stroke_width: float | None = TARGET_STROKE_WIDTH,
    remove_specks: bool = True,
) -> np.ndarray | None:
    """Turn a drawing into the 28x28 form the model was trained on.

    The array of :func:`to_mnist_placed`; see there.
    """
    placed = to_mnist_placed(image, stroke_width=stroke_width, remove_specks=remove_specks)
    return None if placed is None else placed.x28


def to_mnist_placed(
    image: np.ndarray,
    *,
    stroke_width: float | None = TARGET_STROKE_WIDTH,
    remove_specks: bool = True,
) -> MnistInput | None:
    """Turn a drawing into the 28x28 form the model was trained on, and say where it went.

    Args:
        image: H x W, ink 1.0 on background 0.0 (any size, any aspect; uint8
            0-255 and bool are accepted too).
        stroke_width: strokes are thickened or thinned to about this width in
            output pixels; ``None`` keeps them as drawn.
        remove_specks: ignore small far-away blobs when cropping.

    Returns:
        The float32 28x28 input in [0, 1] (the ink's long side fitted into 20
        pixels, its centre of mass at (14, 14)) and the :class:`Placement`
        that carries image points to input points; ``None`` for a blank image.

    Raises:
        ValueError: see :func:`as_image`.
    """
    img, peak = _prepare(image)
    row_mass = img.sum(axis=1)
    if float(row_mass.sum(dtype=np.float64)) < BLANK_INK:
        return None
    mask = img >= INK_LEVEL * peak
    rows = mask.any(axis=1)
    cols = mask.any(axis=0)
    r0, r1 = _span(rows)
    c0, c1 = _span(cols)
    if remove_specks:
        r0, r1, c0, c1 = _crop_without_specks(
            img, mask, (rows, cols), (row_mass, img.sum(axis=0)), (r0, r1, c0, c1)
        )
    crop = img[r0:r1, c0:c1]
    height, width = crop.shape
    scale = BOX / max(height, width)

    if stroke_width is None:
        # Straight from the crop to the output, centred by the crop's moments
        # (area resampling keeps mass and its first moment).
        centre = _centre_of_mass(crop)
        row_off = _offset(centre[0], scale, height)
        col_off = _offset(centre[1], scale, width)
        out = _resample(crop, (scale, row_off, SIZE), (scale, col_off, SIZE))
        where = Placement(scale, row_off - scale * r0, col_off - scale * c0)
        return MnistInput(np.clip(out, 0.0, 1.0).astype(np.float32), where)

    # Change the stroke width on a supersampled copy of the fitted digit,
    # padded so dilation has room.
    fine = scale * SUPERSAMPLE
    pad = math.ceil(stroke_width * SUPERSAMPLE) + 1
    fine_h = math.ceil(height * fine - 1e-6) + 2 * pad
    fine_w = math.ceil(width * fine - 1e-6) + 2 * pad
    work = _resample(crop, (fine, float(pad), fine_h), (fine, float(pad), fine_w))
    # A stroke thinner than a supersampled pixel comes out faint; MNIST's
    # strokes are full black at their core, so the brightest ink becomes 1.
    work *= np.float32(1.0 / float(work.max()))
    np.clip(work, 0.0, 1.0, out=work)
    drawn_length = _long_side(work)
    measured = _stroke_width(work)
    if measured > 0:
        change = stroke_width * SUPERSAMPLE - measured
        if change < 0:
            change = max(change, -MAX_THINNING * measured)
        steps = round(change / 2.0)
        changed = _morph(work, steps)
        # Uneven strokes (a scan, a pressure pen) can lose every thin part to
        # erosion; then the drawing is kept as it came.
        if float(changed.max()) >= 0.5:
            work = changed
    centre = _centre_of_mass(work)
    # Thickening lengthens the ink by its round ends (thinning shortens it):
    # refit so the long side is as long as before, 20 output pixels.
    down = drawn_length / _long_side(work) / SUPERSAMPLE
    inked_rows = _span(work.max(axis=1) > 0)
    inked_cols = _span(work.max(axis=0) > 0)
    row_off = _offset(centre[0], down, fine_h, inked_rows)
    col_off = _offset(centre[1], down, fine_w, inked_cols)
    out = _resample(work, (down, row_off, SIZE), (down, col_off, SIZE))
    # image -> crop (minus r0) -> work (pad + fine * .) -> input (off + down * .)
    where = Placement(
        down * fine, row_off + down * (pad - fine * r0), col_off + down * (pad - fine * c0)
    )
    return MnistInput(np.clip(out, 0.0, 1.0).astype(np.float32), where)


def _long_side(img: np.ndarray) -> int:
    """Longer side of the bounding box of the pixels at least half inked."""
    rows = _span(img.max(axis=1) >= 0.5)
    cols = _span(img.max(axis=0) >= 0.5)
    return max(rows[1] - rows[0], cols[1] - cols[0])


def _span(flags: np.ndarray) -> tuple[int, int]:
    """First and one-past-last index of the true entries of a 1-D array."""
    index = np.flatnonzero(flags)
    return int(index[0]), int(index[-1]) + 1


def _crop_without_specks(
    img: np.ndarray,
    mask: np.ndarray,
    inked: tuple[np.ndarray, np.ndarray],
    masses: tuple[np.ndarray, np.ndarray],
    box: tuple[int, int, int, int],
) -> tuple[int, int, int, int]:
    """The ink's bounding box once small far-off blobs are left out.

    Rows and columns are examined in turn; a speck far away along one axis
    only (beside the digit, level with it) is found once the other axis has
    been narrowed, so the two alternate until nothing changes.
    """
    r0, r1, c0, c1 = box
    # Ink per row and column, counting only lines that hold ink proper.
    row_mass = np.where(inked[0], masses[0], 0.0)
    col_mass = np.where(inked[1], masses[1], 0.0)
    for _ in range(4):
        new_r0, new_r1 = _drop_specks(row_mass, r0, r1)
        new_c0, new_c1 = _drop_specks(col_mass, c0, c1)
        if (new_r0, new_r1, new_c0, new_c1) == (r0, r1, c0, c1):
            break
        r0, r1, c0, c1 = new_r0, new_r1, new_c0, new_c1
        # Profiles of what is left: each axis seen through the other's crop.
        row_mass = np.zeros(img.shape[0])
        col_mass = np.zeros(img.shape[1])
        sub_mask = mask[r0:r1, c0:c1]
        sub = img[r0:r1, c0:c1]
        row_mass[r0:r1] = np.where(sub_mask.any(axis=1), sub.sum(axis=1), 0.0)
        col_mass[c0:c1] = np.where(sub_mask.any(axis=0), sub.sum(axis=0), 0.0)
        # A crop that lost its first or last line of ink shrinks to the rest.
        r0, r1 = _span(row_mass > 0)
        c0, c1 = _span(col_mass > 0)
    return r0, r1, c0, c1


def _drop_specks(profile: np.ndarray, start: int, stop: int) -> tuple[int, int]:
    """Shrink ``[start, stop)`` past small end groups separated by wide gaps.

    Args:
        profile: ink per row (or column) of the whole image.
        start: first inked index.
        stop: one past the last inked index.
    """
    segment = profile[start:stop]
    inked = segment > 0
    if inked.all():
        return start, stop
    # Groups of consecutive inked lines: their bounds and masses.
    edges = np.flatnonzero(np.diff(inked.astype(np.int8)))
    starts = np.concatenate(([0], edges[1::2] + 1))
    stops = np.concatenate((edges[0::2] + 1, [len(segment)]))
    cumulative = np.concatenate(([0.0], np.cumsum(segment, dtype=np.float64)))
    masses = cumulative[stops] - cumulative[starts]
    total = cumulative[-1]
    first, last = 0, len(starts) - 1
    while first < last:
        extent = stops[last] - starts[first]
        gap_first = starts[first + 1] - stops[first]
        gap_last = starts[last] - stops[last - 1]
        # Drop the lighter end first; a real digit's parts are heavy or close.
        if masses[first] <= masses[last]:
            candidates = ((first, gap_first), (last, gap_last))
        else:
            candidates = ((last, gap_last), (first, gap_first))
        for group, gap in candidates:
            if masses[group] < SPECK_MASS * total and gap >= SPECK_GAP * extent:
                total -= masses[group]
                if group == first:
                    first += 1
                else:
                    last -= 1
                break
        else:
            break
    return start + int(starts[first]), start + int(stops[last])


def _centre_of_mass(img: np.ndarray) -> tuple[float, float]:
    """Centre of mass in continuous coordinates (pixel i spans [i, i + 1))."""
    total = float(img.sum(dtype=np.float64))
    rows = img.sum(axis=1, dtype=np.float64)
    cols = img.sum(axis=0, dtype=np.float64)
    row = float(rows @ (np.arange(len(rows)) + 0.5)) / total
    col = float(cols @ (np.arange(len(cols)) + 0.5)) / total
    return row, col


def _offset(
    centre: float, scale: float, length: int, inked: tuple[int, int] | None = None
) -> float:
    """Offset mapping source x to ``offset + scale * x`` with the centre at 14.

    The pixel with index 14 spans [14, 15), so its centre is 14.5. The offset
    is clamped so the ink stays inside the 28-pixel field: a digit whose mass
    sits at one end loses a little centring rather than a stroke.
    """
    low, high = inked if inked is not None else (0, length)
    offset = CENTRE + 0.5 - scale * centre
    min_offset = -scale * low
    max_offset = SIZE - scale * high
    if min_offset <= max_offset:
        offset = min(max(offset, min_offset), max_offset)
    return offset


def _resample(
    img: np.ndarray, rows: tuple[float, float, int], cols: tuple[float, float, int]
) -> np.ndarray:
    """Area-resample ``img``; ``rows`` and ``cols`` are ``(scale, offset, n_out)``."""
    narrowed = _product(img, _area_matrix(img.shape[1], *cols).T)
    return _product(_area_matrix(img.shape[0], *rows), narrowed)


def _product(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """``left @ right``, in row blocks small enough to stay on one core.

    A canvas-sized BLAS product fans out over every core and, on a busy
    machine, waits for the slowest (measured: p99 160 ms against a 0.1 ms
    median). OpenBLAS keeps products below its threshold on one core.
    """
    step = max(1, _SINGLE_THREAD_PRODUCT // (left.shape[1] * right.shape[1]))
    if step >= left.shape[0]:
        return left @ right
    return np.concatenate([left[i : i + step] @ right for i in range(0, left.shape[0], step)])


def _area_matrix(n_in: int, scale: float, offset: float, n_out: int) -> np.ndarray:
    """Exact area (box) resampling as an ``n_out x n_in`` matrix.

    Source pixel ``i`` covers ``[offset + scale * i, offset + scale * (i + 1))``
    of the output axis; entry ``[j, i]`` is its overlap with output pixel ``j``,
    so an inked region keeps its intensity and the total ink scales by
    ``scale`` per axis.
    """
    edges = offset + scale * np.arange(n_in + 1, dtype=np.float64)
    out = np.arange(n_out + 1, dtype=np.float64)
    overlap = np.minimum(edges[None, 1:], out[1:, None])
    overlap -= np.maximum(edges[None, :-1], out[:-1, None])
    np.maximum(overlap, 0.0, out=overlap)
    return overlap.astype(np.float32)


def _stroke_width(img: np.ndarray) -> float:
    """Mean stroke width in pixels: twice the ink mass over its perimeter.

    For a long stroke of width w and length L, mass = wL and perimeter = 2L.
    The mass is the sum of grey values, so a stroke thinner than a pixel
    (faint after anti-aliasing) still measures right. The perimeter is
    counted along pixel edges, which overstates a slanted edge, over all
    directions by 4/pi on average, so it is scaled back.
    """
    ink = img > INK_FLOOR
    # The image is padded with background, so every boundary edge is counted.
    edges = int(np.count_nonzero(ink[1:, :] != ink[:-1, :])) + int(
        np.count_nonzero(ink[:, 1:] != ink[:, :-1])
    )
    if edges == 0:
        return 0.0
    return 2.0 * float(img.sum(dtype=np.float64)) / (edges * math.pi / 4.0)


def _morph(img: np.ndarray, steps: int) -> np.ndarray:
    """Grey dilation (``steps`` > 0) or erosion (< 0) by about ``|steps|`` pixels.

    Alternating 3x3 cross and square steps make a near-round (octagonal)
    structuring element.
    """
    pick = np.maximum if steps > 0 else np.minimum
    fill = 0.0 if steps > 0 else 1.0
    out = img
    for step in range(abs(steps)):
        padded = np.pad(out, 1, constant_values=fill)
        if step % 2 == 0:
            out = pick(
                pick(padded[1:-1, 1:-1], pick(padded[:-2, 1:-1], padded[2:, 1:-1])),
                pick(padded[1:-1, :-2], padded[1:-1, 2:]),
            )
        else:
            rows = pick(pick(padded[:-2], padded[1:-1]), padded[2:])
            out = pick(pick(rows[:, :-2], rows[:, 1:-1]), rows[:, 2:])
    return out
