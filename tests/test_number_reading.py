"""Choosing a drawing's digits with the personal memory heard (pure numpy, no network)."""

import math

import numpy as np
import pytest

from digitpad.drawing.number_input import Drawing, prepare
from digitpad.net import number_reading
from digitpad.net.calibration import Calibration
from digitpad.net.memory import PersonalMemory
from digitpad.net.number_reading import choose_digits

PEN = 18.0


def spiral() -> np.ndarray:
    """A 0 traced round three times: the shape check calls it a scribble."""
    turns = np.linspace(0, 6 * math.pi, 400)
    radius = 10 + 80 * turns / turns[-1]
    return np.stack([150 + radius * np.cos(turns), 160 + radius * np.sin(turns)], axis=1)


@pytest.fixture
def scribble():
    """The prepared spiral, network outputs leaning to 0, and made-up embeddings."""
    prepared = prepare(Drawing((spiral(),), (PEN,)))
    count = len(prepared.inputs)
    raw = np.full((count, 10), 0.02)
    raw[:, 0] = 0.82
    embeddings = np.random.default_rng(0).random((count, 500)).astype(np.float32)
    return prepared, raw, embeddings


@pytest.mark.parametrize("pieces_weighed", [number_reading.MEMORY_CHOICE_PIECES, 0])
def test_a_shape_kept_as_a_digit_is_read_as_one(scribble, monkeypatch, pieces_weighed):
    monkeypatch.setattr(number_reading, "MEMORY_CHOICE_PIECES", pieces_weighed)
    prepared, raw, embeddings = scribble
    calibration = Calibration()
    (alone,), _ = choose_digits(prepared, raw, embeddings, calibration)
    assert "scribble" in alone.not_a_digit
    memory = PersonalMemory()
    (unheard,), _ = choose_digits(prepared, raw, embeddings, calibration, memory)
    assert unheard.not_a_digit == alone.not_a_digit  # an empty memory changes nothing
    memory.add(embeddings[alone.piece], 0, "kept")
    (digit,), probabilities = choose_digits(prepared, raw, embeddings, calibration, memory)
    assert digit.not_a_digit == ""
    assert probabilities.shape == (1, 10)
    assert probabilities[0].argmax() == 0
    assert probabilities[0, 0] > 0.99
    assert probabilities.sum() == pytest.approx(1.0)


def test_the_memory_s_evidence_takes_part_in_the_choice():
    # "00" in one stroke, the loops touching: the network is surest of it
    # cut in two; the user kept the whole as an 8, and the whole is read.
    t = np.linspace(0, 2 * math.pi, 60)
    left = np.stack([160 + 40 * np.cos(t), 150 + 60 * np.sin(t)], axis=1)
    right = np.stack([240 + 40 * np.cos(t + math.pi), 150 + 60 * np.sin(t + math.pi)], axis=1)
    stroke = np.concatenate([left, right])
    prepared = prepare(Drawing((stroke,), (PEN,)))
    (group,) = prepared.segmentation.groups
    assert group.primitives == 2
    whole = next(p for first, stop, p in group.spans if (first, stop) == (0, 2))
    count = len(prepared.inputs)
    raw = np.tile(np.eye(10)[0] * 0.999 + 0.0001, (count, 1))
    raw[whole] = np.full(10, 0.1)
    embeddings = np.eye(count, 500, dtype=np.float32) + 0.01
    calibration = Calibration()
    assert whole not in [d.piece for d in choose_digits(prepared, raw, embeddings, calibration)[0]]
    memory = PersonalMemory()
    memory.add(embeddings[whole], 8, "kept")
    digits, probabilities = choose_digits(prepared, raw, embeddings, calibration, memory)
    assert [d.piece for d in digits] == [whole]
    assert probabilities[0].argmax() == 8
