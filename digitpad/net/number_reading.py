"""Which digits a drawing holds, and their probabilities, with the personal memory heard.

The window's inference worker reads every candidate digit of a drawing
(:class:`digitpad.drawing.number_input.NumberInput`) in one batched call;
this chooses among them and calibrates the chosen ones. The personal memory
(:mod:`digitpad.net.memory`) takes part twice: its evidence joins the
network's in the choice among candidates (a wide 0 the user corrected is not
cut in two again), and a candidate it vouches for is a digit whatever the
shape check says (a 0 traced round twice is not "?" again). Weighing 16
candidates against 5,000 kept drawings takes about 2 ms (against 1.8 ms for
6; ``tests/benchmarks/bench_learn.py``); a drawing with more than
:data:`MEMORY_CHOICE_PIECES` candidates (a long number, up to 160) has the
memory weigh only the digits chosen, so its cost stays bounded.

Pure numpy: the caller runs the network.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from digitpad.drawing.number_input import Digit, NumberInput
from digitpad.net.calibration import Calibration
from digitpad.net.memory import PersonalMemory, with_evidence

#: Up to this many candidates, the memory weighs every one of them in the choice.
MEMORY_CHOICE_PIECES = 16


def choose_digits(
    prepared: NumberInput,
    raw: np.ndarray,
    embeddings: np.ndarray,
    calibration: Calibration,
    memory: PersonalMemory | None = None,
) -> tuple[list[Digit], np.ndarray]:
    """The digits chosen, left to right, and their calibrated probabilities.

    Args:
        prepared: the drawing's candidates.
        raw: the network's N x 10 probabilities, one row per candidate.
        embeddings: their N x D embeddings from the same network.
        calibration: the network's calibration.
        memory: the personal memory, or ``None`` (or empty): the network alone.

    Returns:
        The digits, and float64 k x 10 probabilities, one row per digit.
    """
    raw = np.asarray(raw, dtype=np.float64)
    if memory is None or not len(memory):
        digits = prepared.digits(raw)
        return digits, calibration.apply(raw[[d.piece for d in digits]])
    if len(raw) <= MEMORY_CHOICE_PIECES:
        evidence = memory.evidence(embeddings)
        heard = with_evidence(raw, evidence)
        heard[raw.sum(axis=1) <= 0] = 0.0  # a blank crop stays never preferred
        digits = prepared.digits(heard, memory.vouches(evidence))
        picked = [d.piece for d in digits]
        evidence = evidence[picked]
    else:
        digits = prepared.digits(raw)
        picked = [d.piece for d in digits]
        evidence = memory.evidence(np.asarray(embeddings)[picked])
        digits = [
            replace(digit, not_a_digit="") if vouched else digit
            for digit, vouched in zip(digits, memory.vouches(evidence), strict=True)
        ]
    return digits, with_evidence(calibration.apply(raw[picked]), evidence)
