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


def test_the_very_drawing_kept_reads_as_kept_however_sure_the_network_is():
    memory = PersonalMemory()
    memory.add(SEVEN, 2, "a")
    assert memory.blend(confident(7, 0.99999), SEVEN[None])[0].argmax() == 2
    assert memory.blend(confident(7, 0.99999), embedding(2, near=SEVEN)[None])[0].argmax() == 7
    off = PersonalMemory(MemorySettings(strength=0.0))
    off.add(SEVEN, 2, "a")
    assert off.blend(confident(7, 0.99999), SEVEN[None])[0].argmax() == 7


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


def test_the_gate_keeps_a_strangers_digit_nearer_to_someone_elses_digit_of_its_own():
    memory = PersonalMemory()
    memory.add(SEVEN, 7, "a")
    near_both = embedding(4, near=SEVEN, noise=0.25)  # near the kept 7 (cosine 0.95) ...
    strangers_one = embedding(5, near=near_both, noise=0.02)  # ... and to a 1 (1.00)
    network = misread(1, 7, p=0.9)  # the network reads it as a 1
    ungated = memory.blend(network, near_both[None])[0]
    assert ungated.argmax() == 7  # pulled to the kept 7
    memory.set_reference(np.stack([strangers_one, embedding(6)]), [1, 3])
    assert memory.reference_size == 2
    gated = memory.blend(network, near_both[None])[0]
    assert gated.argmax() == 1
    assert gated[7] < ungated[7] / 4
    # The kept drawing itself still reads as its corrected digit, rivals or not.
    memory.set_reference(np.stack([embedding(7, near=SEVEN, noise=0.001)]), [1])
    assert memory.blend(misread(1, 7, p=0.97), SEVEN[None])[0].argmax() == 7


def test_the_gate_lets_the_users_own_style_pull_as_before():
    memory = PersonalMemory()
    memory.add(SEVEN, 7, "a")
    again = embedding(2, near=SEVEN)
    ungated = memory.blend(misread(1, 7), again[None])
    # Other people's 1s and 7s, none as close to this drawing as the kept 7.
    reference = np.stack([embedding(10 + i) for i in range(20)])
    memory.set_reference(reference, [1, 7] * 10)
    np.testing.assert_allclose(memory.blend(misread(1, 7), again[None]), ungated, atol=1e-6)
    # A reference drawing of the kept digit itself is no rival.
    memory.set_reference(np.stack([embedding(3, near=again, noise=0.01)]), [7])
    np.testing.assert_allclose(memory.blend(misread(1, 7), again[None]), ungated, atol=1e-6)


def test_reset_drops_the_reference_and_widths_must_match():
    memory = PersonalMemory()
    memory.set_reference(np.stack([SEVEN]), [7])
    with pytest.raises(ValueError, match="reference has width"):
        memory.add(SEVEN[:100], 7, "a")
    memory.reset(np.stack([SEVEN]), [7], ["a"])
    assert memory.reference_size == 0
    with pytest.raises(ValueError, match="width"):
        memory.set_reference(np.stack([SEVEN[:100]]), [7])
    with pytest.raises(ValueError, match="0-9"):
        memory.set_reference(np.stack([SEVEN]), [11])
    with pytest.raises(ValueError, match="R labels"):
        memory.set_reference(np.stack([SEVEN]), [1, 2])
    memory.set_reference(np.zeros((0, D)), [])  # no reference: ungated
    assert memory.reference_size == 0


def test_bad_input_is_refused():
    memory = PersonalMemory()
    with pytest.raises(ValueError, match="digit"):
        memory.add(SEVEN, 10, "a")
    with pytest.raises(ValueError, match="NaN"):
        memory.add(np.full(D, np.nan), 1, "a")
    memory.add(SEVEN, 7, "a")
    with pytest.raises(ValueError, match="k x 10"):
        memory.blend(np.ones((1, 9)) / 9, SEVEN[None])
    with pytest.raises(ValueError, match="rows"):
        memory.blend(confident(1), np.stack([SEVEN, SEVEN]))
    with pytest.raises(ValueError, match="neighbours"):
        MemorySettings(neighbours=0)
    with pytest.raises(ValueError, match="gate_width"):
        MemorySettings(gate_width=0)


def test_blend_of_5000_kept_drawings():
    rng = np.random.default_rng(0)
    memory = PersonalMemory()
    memory.reset(
        np.maximum(rng.normal(size=(5000, D)), 0).astype(np.float32),
        rng.integers(0, 10, 5000),
        [f"id{i}" for i in range(5000)],
    )
    memory.set_reference(
        np.maximum(rng.normal(size=(3000, D)), 0).astype(np.float32), rng.integers(0, 10, 3000)
    )
    # Each query near a kept drawing, so the gate is computed for all of them.
    queries = memory._vectors[:6] + 0.01 * rng.random((6, D)).astype(np.float32)
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
    median_ms = np.median(times) * 1000
    print(f"\nblend of 6 drawings against 5,000 kept, 3,000 reference: {median_ms:.2f} ms median")


def test_a_kept_drawing_vouches_for_its_own_shape_and_like_ones_only():
    memory = PersonalMemory()
    memory.add(SEVEN, 7, "a")
    near, far = embedding(2, near=SEVEN, noise=0.02), embedding(3)
    evidence = memory.evidence(np.stack([SEVEN, near, far]))
    assert memory.vouches(evidence).tolist() == [True, True, False]
    assert not PersonalMemory(MemorySettings(strength=0.0)).vouches(evidence).any()
    with pytest.raises(ValueError, match="k x 10"):
        memory.vouches(evidence[:, :9])


def test_with_evidence_is_the_blend_and_leaves_no_evidence_alone():
    from digitpad.net.memory import with_evidence

    memory = PersonalMemory()
    memory.add(SEVEN, 7, "a")
    again = embedding(2, near=SEVEN)[None]
    network = misread(1, 7)
    np.testing.assert_allclose(
        with_evidence(network, memory.evidence(again)), memory.blend(network, again)
    )
    np.testing.assert_array_equal(with_evidence(network, np.zeros((1, 10))), network)
    with pytest.raises(ValueError, match="rows of probabilities"):
        with_evidence(network, np.zeros((2, 10)))


def test_a_dead_network_s_all_zero_embeddings_are_left_out_with_one_log_line(caplog):
    memory = PersonalMemory()
    kept = np.stack([SEVEN, np.zeros(D), embedding(2)])
    with caplog.at_level("WARNING", logger="digitpad.net.memory"):
        memory.reset(kept, [7, 3, 2], ["a", "b", "c"])
        assert sorted(memory.sample_ids) == ["a", "c"]
        memory.set_reference(np.zeros((4, D)), [1, 2, 3, 4])  # every reference digit dead
        assert memory.reference_size == 0  # ungated, as with no reference
        assert memory.add(np.zeros(D), 5, "a") is False  # "a" redrawn: its old entry goes
        assert sorted(memory.sample_ids) == ["c"]
    assert [record.getMessage() for record in caplog.records] == [
        "the network in use gives 1 of the 3 kept drawings an all-zero embedding "
        "(a dead network?): the memory leaves them out"
    ]
    # A drawing the network embeds as zeros reads as the network reads it.
    np.testing.assert_allclose(memory.blend(misread(1, 7), np.zeros((1, D))), misread(1, 7))
    memory.set_reference(np.stack([SEVEN, np.zeros(D)]), [1, 2])
    assert memory.reference_size == 1  # the live reference digit still gates
    assert memory.add(embedding(3), 4, "d") is True


def test_a_network_with_every_embedding_zero_makes_an_empty_memory(caplog):
    memory = PersonalMemory()
    with caplog.at_level("WARNING", logger="digitpad.net.memory"):
        memory.reset(np.zeros((3, D)), [1, 2, 3], ["a", "b", "c"])
        memory.set_reference(np.zeros((5, D)), [0, 1, 2, 3, 4])
        memory.add(np.zeros(D), 1, "d")
    assert len(memory) == 0
    assert memory.reference_size == 0
    assert len(caplog.records) == 1
    assert "3 of the 3 kept drawings" in caplog.records[0].getMessage()
    np.testing.assert_allclose(memory.blend(confident(4), np.zeros((1, D))), confident(4))


def test_all_zero_reference_digits_leave_the_memory_ungated_with_one_log_line(caplog):
    memory = PersonalMemory()
    with caplog.at_level("WARNING", logger="digitpad.net.memory"):
        memory.set_reference(np.zeros((6, D)), [0, 1, 2, 3, 4, 5])
    assert memory.reference_size == 0
    assert [record.getMessage() for record in caplog.records] == [
        "the network in use gives 6 of the 6 reference digits an all-zero embedding "
        "(a dead network?): the memory reads ungated"
    ]
