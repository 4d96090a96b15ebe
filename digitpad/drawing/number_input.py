"""A drawing made ready for the network: its candidate digits as 28x28 inputs.

:func:`prepare` segments a drawing (strokes from the paper, or the ink of an
opened image) into candidate digits (:mod:`digitpad.drawing.segmentation`)
and puts every candidate into MNIST form, so that one batched network call
reads them all; :meth:`NumberInput.digits` then keeps the split the network
is surest of. Pure numpy (and QtGui for rasterising strokes): it runs on the
inference worker's thread, next to the network, and in the CLI.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from digitpad.drawing.mnist_format import MnistInput, Placement, to_mnist_placed
from digitpad.drawing.recent import Recent
from digitpad.drawing.segmentation import Segmentation, segment_image, segment_strokes
from digitpad.drawing.shape_check import check_one_digit

#: Shape-check reasons that mean "no digit here at all": "?" at that place.
NOT_A_DIGIT = ("blob", "scribble")


@dataclass(frozen=True)
class Drawing:
    """What is on the paper.

    Attributes:
        strokes: the pen strokes, each an N x 2 array of (x, y) in paper pixels.
        widths: the pen width of each stroke.
        image: the paper's ink (H x W, ink 1.0) when an opened image is part
            of the drawing; then it is segmented as an image.
    """

    strokes: tuple[np.ndarray, ...] = ()
    widths: tuple[float, ...] = ()
    image: np.ndarray | None = field(default=None, repr=False)

    def is_blank(self) -> bool:
        """Whether there is nothing to read."""
        return not self.strokes and self.image is None

    def same_as(self, other: Drawing) -> bool:
        """Whether ``other`` holds the very same strokes (an image is never compared)."""
        if self.image is not None or other.image is not None:
            return False
        return (
            self.widths == other.widths
            and len(self.strokes) == len(other.strokes)
            and all(np.array_equal(a, b) for a, b in zip(self.strokes, other.strokes, strict=True))
        )


@dataclass(frozen=True)
class Digit:
    """One digit position, chosen.

    Attributes:
        piece: its index in :attr:`NumberInput.inputs`.
        box: its ink's extent (left, top, right, bottom) in paper pixels.
        x28: the 28 x 28 input.
        placement: where its crop landed in ``x28`` (``None``: blank crop).
        ink: the crop it was made from (its overlay is drawn over ``box``).
        elements: the strokes (or ink components) it holds.
        not_a_digit: why the shape check finds no digit there ("" if it does).
    """

    piece: int
    box: tuple[float, float, float, float]
    x28: np.ndarray = field(repr=False)
    placement: Placement | None
    ink: np.ndarray = field(repr=False)
    elements: tuple[int, ...]
    not_a_digit: str


@dataclass(frozen=True)
class NumberInput:
    """Every candidate digit of a drawing, ready for one batched call.

    Attributes:
        segmentation: the candidates and how to choose among them.
        inputs: float32 N x 28 x 28, one per candidate (zeros for a blank crop).
        placements: where each candidate's crop landed in its input.
        drawn: the candidates come from pen strokes (not an image).
    """

    segmentation: Segmentation
    inputs: np.ndarray = field(repr=False)
    placements: tuple[Placement | None, ...]
    drawn: bool

    def digits(
        self, probabilities: np.ndarray | None, vouched: Sequence[bool] | None = None
    ) -> list[Digit]:
        """The chosen digits, left to right.

        Args:
            probabilities: the network's N x 10 for :attr:`inputs` (with the
                personal memory's evidence, if any); ``None`` for the
                geometric guess alone.
            vouched: per candidate, whether the user's kept drawings vouch
                that it is a digit (:meth:`digitpad.net.memory.PersonalMemory.vouches`):
                the shape check's "not a digit" does not stand for it.
        """
        seg = self.segmentation
        trusted = np.zeros(len(seg.pieces), bool) if vouched is None else np.asarray(vouched, bool)
        if trusted.shape != (len(seg.pieces),):
            raise ValueError(f"vouched needs one flag per candidate ({len(seg.pieces)})")
        if probabilities is None:
            chosen = seg.default()
        else:
            chosen = seg.choose(self._without_rejected_wholes(probabilities, trusted))
        digits = []
        for index in chosen:
            piece = seg.pieces[index]
            reason = ""
            if piece.ink.size and not trusted[index]:
                reason = _shape_reason(piece.ink, self.drawn, piece.pen)
            digits.append(
                Digit(
                    piece=index,
                    box=tuple(float(v) for v in piece.box),
                    x28=self.inputs[index],
                    placement=self.placements[index],
                    ink=piece.ink,
                    elements=tuple(piece.elements),
                    not_a_digit=reason if any(w in reason for w in NOT_A_DIGIT) else "",
                )
            )
        return digits

    def _without_rejected_wholes(
        self, probabilities: np.ndarray, vouched: np.ndarray
    ) -> np.ndarray:
        """``probabilities``, a joined pair's whole zeroed if the shape check finds no digit.

        Two touching digits offered as one (``Group.joined``) that the shape
        check calls digits side by side or a scribble are read apart, as
        before they were offered, not as "?". Only joined pairs: for a wide
        group the same rule let scribbles through as digits (negatives all
        "?" 375 -> 349 of 540, ``bench_not_digit`` families on the default
        network). A whole the user's kept drawings vouch for keeps its chance.
        """
        seg = self.segmentation
        out = None
        for group in seg.groups:
            if not group.joined:
                continue
            for first, stop, index in group.spans:
                if (first, stop) != (0, group.primitives) or vouched[index]:
                    continue
                piece = seg.pieces[index]
                reason = _shape_reason(piece.ink, self.drawn, piece.pen) if piece.ink.size else ""
                if reason:
                    out = np.array(probabilities, dtype=np.float64) if out is None else out
                    out[index] = 0.0
        return probabilities if out is None else out


def prepare(drawing: Drawing) -> NumberInput | None:
    """Segment ``drawing`` and make each candidate a 28 x 28 input; ``None`` if blank."""
    if drawing.is_blank():
        return None
    if drawing.image is not None:
        seg = segment_image(drawing.image)
        drawn = False
    else:
        seg = segment_strokes(list(drawing.strokes), list(drawing.widths))
        drawn = True
    if not seg.pieces:
        return None
    inputs = np.zeros((len(seg.pieces), 28, 28), np.float32)
    placements: list[Placement | None] = []
    for index, piece in enumerate(seg.pieces):
        placed = _mnist_input(piece.ink) if piece.ink.size else None
        if placed is not None:
            inputs[index] = placed.x28
        placements.append(None if placed is None else placed.placement)
    if all(p is None for p in placements):
        return None
    return NumberInput(seg, inputs, tuple(placements), drawn)


def last_written(digits: Sequence[Digit], drawn: bool = True) -> int:
    """Index of the digit holding the newest stroke (the rightmost for an image)."""
    if not digits:
        return 0
    if not drawn:
        return len(digits) - 1
    return max(range(len(digits)), key=lambda i: (max(digits[i].elements, default=-1), i))


# A number is read again every few tens of milliseconds while it is written,
# and the digits already written do not change: their 28 x 28 inputs and
# shape verdicts are found here by their ink (its bytes' digest), not made again.
_INPUTS = Recent(512)
_VERDICTS = Recent(512)


def forget_recent() -> None:
    """Forget remembered renders, inputs and verdicts (benchmarks measure cold reads)."""
    from digitpad.drawing._segment_parts import RENDERS

    RENDERS.clear()
    _INPUTS.clear()
    _VERDICTS.clear()


def ink_digest(ink: np.ndarray) -> bytes:
    """What identifies an ink crop or a 28 x 28 input: its bytes and shape."""
    digest = hashlib.blake2b(np.ascontiguousarray(ink).tobytes(), digest_size=16)
    digest.update(repr(ink.shape).encode())
    return digest.digest()


def _mnist_input(ink: np.ndarray) -> MnistInput | None:
    """``to_mnist_placed(ink)``, remembered for recent inks."""
    key = ink_digest(ink)
    found = _INPUTS.get(key)
    if found is None:
        placed = to_mnist_placed(ink)
        if placed is not None:
            placed.x28.flags.writeable = False
        found = (placed,)
        _INPUTS.put(key, found)
    return found[0]


def _shape_reason(ink: np.ndarray, drawn: bool, pen: float) -> str:
    """Why the shape check finds no digit in ``ink`` ("" if it does), remembered."""
    key = (ink_digest(ink), drawn, pen)
    found = _VERDICTS.get(key)
    if found is None:
        found = (check_one_digit(ink, drawn, pen=pen or None).reason,)
        _VERDICTS.put(key, found)
    return found[0]
