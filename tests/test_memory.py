"""The personal memory: learning from a correction at once (pure numpy, no model)."""

import time

import numpy as np
import pytest

from digitpad.net.memory import MemorySettings, PersonalMemory

D = 500


def embedding(seed: int, near: np.ndarray | None = None, noise: float = 0.05) -> np.ndarray:
    """A non-negative embedding like fc1's; ``near`` one plus a little noise."""
    rng = np.random.default_rng(seed)
    if near is None:
        return np.maximum(rng.normal(size=D), 0).astype(np.float32)
    return np.maximum(near + noise * rng.normal(size=D), 0).astype(np.float32)


def confident(digit: int, p: float = 0.99) -> np.ndarray:
    """Network probabilities with ``p`` on ``digit``, the rest spread evenly."""
    row = np.full(10, (1 - p) / 9)
    row[digit] = p
    return row[None, :]


def misread(read_as: int, right: int, p: float = 0.95) -> np.ndarray:
    """Network probabilities sure of ``read_as``, the right digit next (a misreading)."""
    row = np.full(10, 0.002)
    row[right] = 1 - p - 0.016
    row[read_as] = p
    return row[None, :]


SEVEN = embedding(1)  # this user's 7, which the network reads as a 1


def test_a_correction_changes_the_next_reading_of_a_similar_drawing():
    memory = PersonalMemory()
    again = embedding(2, near=SEVEN)
    assert memory.blend(misread(1, 7), again[None]).argmax() == 1
    memory.add(SEVEN, 7, "a")
    blended = memory.blend(misread(1, 7), again[None])[0]
    assert blended.argmax() == 7
    assert blended[7] >= 0.9  # and sure of it
    assert blended.sum() == pytest.approx(1.0)


def test_a_different_drawing_reads_exactly_as_the_network_reads_it():
    memory = PersonalMemory()
    memory.add(SEVEN, 7, "a")
    other = embedding(3)  # unrelated: cosine ~0.5
    network = confident(4, 0.7)
    np.testing.assert_allclose(memory.blend(network, other[None]), network, atol=1e-6)


def test_a_very_confident_right_reading_is_not_overturned_by_a_mere_likeness():
    memory = PersonalMemory()
    memory.add(SEVEN, 7, "a")
    similar = embedding(4, near=SEVEN, noise=0.5)  # cosine ~0.85: alike, not the same
    cosine = similar @ SEVEN / np.linalg.norm(similar) / np.linalg.norm(SEVEN)
    assert 0.8 < cosine < 0.9
    assert memory.blend(confident(1, 0.99999), similar[None]).argmax() == 1


def test_removing_the_sample_undoes_the_correction():
    memory = PersonalMemory()
    memory.add(SEVEN, 7, "a")
    memory.add(embedding(5), 3, "b")
    assert memory.remove(["a", "unknown"]) == 1
    assert len(memory) == 1
    assert "a" not in memory
    again = embedding(2, near=SEVEN)
    np.testing.assert_allclose(memory.blend(misread(1, 7), again[None]), misread(1, 7), atol=1e-6)


def test_contradicting_corrections_keep_only_the_last():
    memory = PersonalMemory()
    drawing = embedding(6)
    memory.add(drawing, 4, "first")
    # The store replaced the answer: same drawing, new id and digit.
    memory.add(drawing, 9, "second")
    assert len(memory) == 1
    assert memory.sample_ids == ["second"]
    assert memory.labels.tolist() == [9]
    # The same id again with another digit replaces it too.
    memory.add(embedding(7, near=drawing), 4, "second")
    assert memory.labels.tolist() == [4]
    assert memory.blend(confident(9, 0.6), drawing[None]).argmax() == 4


def test_entries_follow_sample_ids_through_removals():
    memory = PersonalMemory()
    drawings = [embedding(10 + i) for i in range(40)]
    for i, drawing in enumerate(drawings):
        memory.add(drawing, i % 10, f"id{i}")
    memory.remove([f"id{i}" for i in range(0, 40, 3)])
    assert sorted(memory.sample_ids) == sorted(f"id{i}" for i in range(40) if i % 3)
    for i in range(1, 40, 3):
        # Each remaining drawing is still read as its own digit.
        assert memory.blend(confident((i + 5) % 10, 0.6), drawings[i][None]).argmax() == i % 10


def test_clear_and_reset():
    memory = PersonalMemory()
    memory.add(SEVEN, 7, "a")
    memory.clear()
    assert len(memory) == 0
    np.testing.assert_allclose(memory.blend(confident(1), SEVEN[None]), confident(1))
    memory.reset(np.stack([SEVEN, embedding(8)])[:, :100], [7, 2], ["a", "b"])
    assert len(memory) == 2  # another network's width: a new memory
    with pytest.raises(ValueError, match="width"):
        memory.add(SEVEN, 7, "c")


def test_bad_input_is_refused():
    memory = PersonalMemory()
    with pytest.raises(ValueError, match="digit"):
        memory.add(SEVEN, 10, "a")
    with pytest.raises(ValueError, match="NaN"):
        memory.add(np.full(D, np.nan), 1, "a")
    with pytest.raises(ValueError, match="all-zero"):
        memory.add(np.zeros(D), 1, "a")
    memory.add(SEVEN, 7, "a")
    with pytest.raises(ValueError, match="k x 10"):
        memory.blend(np.ones((1, 9)) / 9, SEVEN[None])
    with pytest.raises(ValueError, match="rows"):
        memory.blend(confident(1), np.stack([SEVEN, SEVEN]))
    with pytest.raises(ValueError, match="neighbours"):
        MemorySettings(neighbours=0)


def test_blend_of_5000_kept_drawings():
    rng = np.random.default_rng(0)
    memory = PersonalMemory()
    memory.reset(
        np.maximum(rng.normal(size=(5000, D)), 0).astype(np.float32),
        rng.integers(0, 10, 5000),
        [f"id{i}" for i in range(5000)],
    )
    queries = np.maximum(rng.normal(size=(6, D)), 0).astype(np.float32)
    network = np.full((6, 10), 0.1)
    memory.blend(network, queries)  # first call: allocations
    times = []
    for _ in range(30):
        started = time.perf_counter()
        blended = memory.blend(network, queries)
        times.append(time.perf_counter() - started)
    assert blended.shape == (6, 10)
    assert np.allclose(blended.sum(axis=1), 1.0)
    # The 2 ms budget is measured by bench_learn, not asserted here: machines are noisy.
    print(f"\nblend of 6 drawings against 5,000 kept: {np.median(times) * 1000:.2f} ms median")
