"""Learning from each correction at once: a memory of the user's kept drawings.

Fine-tuning the network (:mod:`digitpad.net.adaptation`) needs ten or more
drawings and seconds of training. The memory learns from one correction in
a few milliseconds, without touching the network's weights: it keeps the
*embedding* of every kept drawing (the network's 500-unit ``fc1`` layer,
:meth:`digitpad.net.inference.Predictor.features_batch`) with its digit, and
when a new drawing comes close to a kept one, the kept digit is blended into
the network's answer, the more the closer it is.

The blend multiplies the network's odds, per drawing and digit::

    s_i    = cosine similarity of the drawing's embedding to kept drawing i
    a_i    = strength * sigmoid((s_i - centre) / width)     for its nearest kept drawings
    p(c)  ∝ p_network(c) * exp(sum of a_i over those nearest kept drawings of digit c)

``p_network`` are the *calibrated* probabilities (temperature scaling,
:mod:`digitpad.net.calibration`). A drawing as close to a kept one as a
redrawn copy multiplies the odds of the kept digit by up to
``exp(strength)`` (about 400): enough to overturn a misreading the network
was 95 % sure of and make the right digit sure (misread drawings give the
right digit most of the rest), while a drawing the network reads at
99.999 % is not overturned by a merely similar one (the very drawing kept,
read again, always gives the digit it was kept as). A drawing far from every kept one
(``s`` well below ``centre``) reads exactly as the network reads it, so
other people's digits are unchanged. Being a product of odds rather than a
mixture, the network's own certainty keeps its say.

The parameters were chosen on the 30 pendigits *training* writers as
simulated users (3 random orders each), never on the test writers
(``tests/benchmarks/bench_learn.py --tune``): the most of a writer's other
drawings read right at once, among settings whose memory costs MNIST's
held-out images at most 0.2 points and leaves no writer below their base.
The ``fc1`` layer beat the 1,800 features before it (``flatten``): 99.46 %
against 99.28 % read right at once (base 98.81 %), and its blend does a
quarter of the arithmetic (6 digits against 5,000 kept drawings: about
1 ms). A mixture ``(1 - w) p_network + w p_memory`` was tried first: it
overturned confident right readings and cost MNIST 1-5 points.

**The gate.** A kept drawing pulls only as far as it is closer to the
drawing being read than any *reference* drawing of another digit is: its
pull is multiplied by ``sigmoid((s_kept - s_rival) / gate_width)``, where
``s_rival`` is the drawing's best similarity to a reference drawing (other
people's digits, :meth:`PersonalMemory.set_reference`) of a digit other than
the kept one. A stranger's 7 that happens to lie near a kept 1 lies nearer
still to someone else's 7, and keeps its reading; a drawing in the user's own
style, nearer to their kept drawing than to anyone else's digits, is pulled
as before, and the very drawing kept is never overruled (re-reading it
after its correction gives the corrected digit). Measured on pendigits
training writers 16-30 as users of a network trained without them
(``bench_recipe.py --set validation_writers=16:...:30``), with the pen
digits of writers 1-15 as the reference: MNIST test with a writer's memory
on fell by at most 0.44 points without the gate and 0.07 with it; right at
once 99.29 % against 99.20 % (base 98.58 %). Without a
reference (not yet computed for the network in use) the memory is ungated.

A per-user linear head on top (a 10 x 500 correction of the logits, fitted
on the kept drawings at each correction, the reference as anchor) was tried
on the same held-out writers and not kept: the settings that lifted the
worst writer (96.7-97.3 % against 96.0 %) cost MNIST 0.45-0.70 points; held
to a 0.17 drop, it read as the memory alone does (99.51 %, worst 96.00 %).

The calibrated "not sure" keeps its meaning with the memory on, so the
temperature and the 0.9 threshold are left as they are: on the training
writers' drawings read after their stream, readings shown sure were right
99.8 % of the time and those marked "not sure" 82 %; the temperature that
would re-fit the blended probabilities is 0.90 (they are, if anything,
slightly under-confident: "sure" errs on the safe side).

**Vouching.** A drawing the memory pulls with at least 90 % of a kept
drawing's strength (:meth:`PersonalMemory.vouches`) is one the user has
said is a digit: the window then lets the memory's evidence take part in
cutting the drawing into digits and lifts the shape check's "not a digit"
for it (a 0 traced round twice looks like a scribble; once kept as a 0, it
and the user's drawings like it read 0).

The memory follows the sample store by sample id: :meth:`PersonalMemory.add`
with an id already kept replaces it, and a drawing kept again with another
digit (the same embedding under a new id) replaces the old entry, so
contradicting corrections keep only the last. When the network in use
changes (adapted, base restored), every embedding changes: rebuild with
:meth:`PersonalMemory.reset` from the new network's embeddings.

An all-zero embedding (a dead network: every ``fc1`` unit off, as a
diverged training leaves it) is like no other drawing and unlike none: such
drawings are left out, kept and reference ones alike, and the network's
reading stands for them. One log line says so per network, not one per drawing.

Pure numpy (no TensorFlow, no Qt): the caller computes the embeddings.
Threads: not thread-safe; one thread (the inference worker) owns it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

log = logging.getLogger(__name__)

#: Width of the embedding the network gives (``fc1``).
EMBEDDING_SIZE = 500
NUM_CLASSES = 10
# Cosine similarity above which two embeddings are the same drawing.
_SAME_DRAWING = 1.0 - 1e-6
# The pull of a kept drawing on the very same drawing: beats any network
# certainty (blend clips probabilities at 1e-12, log-odds -27.6).
_SAME_DRAWING_PULL = 30.0
# A pull below this share of the strength changes no reading: no gate needed.
_NEGLIGIBLE_PULL = 1e-3
#: Evidence of at least this share of the strength vouches that a shape is a digit.
#: Chosen on held-out train writers through the window's cutting
#: (``bench_learn_heldout.py --window``): at 0.5 a writer's memory let up to 4
#: more of 180 scribbles through as digits; at 0.9 none more.
VOUCH_SHARE = 0.9


@dataclass(frozen=True)
class MemorySettings:
    """How strongly kept drawings pull the reading (chosen on training writers).

    Attributes:
        neighbours: kept drawings consulted per reading (the nearest ones).
        centre: cosine similarity at which a kept drawing gives half its strength.
        width: how fast its pull rises with similarity around ``centre``.
        strength: the log-odds a kept drawing adds to its digit at most.
        gate_width: how sharply a kept drawing yields to a reference drawing
            of another digit that is nearly as close (see the module's "gate").
    """

    neighbours: int = 1
    centre: float = 0.92
    width: float = 0.02
    strength: float = 6.0
    gate_width: float = 0.02

    def __post_init__(self) -> None:
        if self.neighbours < 1:
            raise ValueError("neighbours must be at least 1")
        if not -1.0 <= self.centre <= 1.0:
            raise ValueError("centre is a cosine similarity: between -1 and 1")
        if self.width <= 0:
            raise ValueError("width must be positive")
        if self.strength < 0:
            raise ValueError("strength must be 0 (memory off) or more")
        if self.gate_width <= 0:
            raise ValueError("gate_width must be positive")


class PersonalMemory:
    """The embeddings of the user's kept drawings, blended into readings.

    Attributes:
        settings: how strongly kept drawings pull the reading.
    """

    def __init__(self, settings: MemorySettings | None = None) -> None:
        """An empty memory.

        Args:
            settings: the blend's parameters (default: the tuned ones).
        """
        self.settings = settings or MemorySettings()
        self._vectors = np.zeros((0, 0), np.float32)  # rows: unit-length embeddings
        self._labels = np.zeros(0, np.int64)
        self._ids: list[str] = []
        self._row: dict[str, int] = {}
        self._count = 0
        self._reference = np.zeros((0, 0), np.float32)  # unit rows: other people's digits
        self._reference_labels = np.zeros(0, np.int64)
        self._reference_digits = np.zeros(0, np.int64)  # the digits present, ascending
        self._reference_starts = np.zeros(0, np.int64)  # where each one's rows start
        self._zeros_said = False  # the log said this network gives all-zero embeddings

    def __len__(self) -> int:
        return self._count

    def __contains__(self, sample_id: object) -> bool:
        return sample_id in self._row

    @property
    def sample_ids(self) -> list[str]:
        """The ids kept, in no particular order."""
        return list(self._ids[: self._count])

    @property
    def labels(self) -> np.ndarray:
        """The digits kept, in the order of :attr:`sample_ids`."""
        return self._labels[: self._count].copy()

    @property
    def reference_size(self) -> int:
        """How many reference drawings gate the pull (0: ungated)."""
        return len(self._reference_labels)

    def set_reference(self, embeddings: np.ndarray, labels: Sequence[int]) -> None:
        """Gate the pull by other people's digits, embedded by the network in use.

        Args:
            embeddings: R x D, reference drawings (e.g. pen digits of other
                writers); R = 0 removes the gate.
            labels: their digits.

        All-zero rows gate nothing and are left out (all of them: ungated).

        Raises:
            ValueError: mismatched lengths, a label outside 0-9, non-finite
                rows, or another width than the entries kept.
        """
        embeddings = np.asarray(embeddings)
        labels = np.asarray(labels, dtype=np.int64)
        if embeddings.ndim != 2 or len(embeddings) != len(labels):
            raise ValueError("need an R x D array and R labels")
        zero = _zero_rows(embeddings)
        if zero.any():
            then = "the memory reads ungated" if zero.all() else "they gate nothing"
            self._say_zeros(f"{zero.sum()} of the {len(zero)} reference digits", then)
            embeddings, labels = embeddings[~zero], labels[~zero]
        if len(labels) and not ((labels >= 0) & (labels < NUM_CLASSES)).all():
            raise ValueError("reference labels must be digits 0-9")
        if self._count and len(labels) and embeddings.shape[1] != self._vectors.shape[1]:
            raise ValueError(
                f"reference of width {embeddings.shape[1]}, but the memory keeps width "
                f"{self._vectors.shape[1]}"
            )
        order = np.argsort(labels, kind="stable")  # grouped by digit, for reduceat
        self._reference = (
            _unit_rows(embeddings[order]) if len(labels) else np.zeros((0, 0), np.float32)
        )
        self._reference_labels = labels[order]
        self._reference_digits, self._reference_starts = np.unique(
            self._reference_labels, return_index=True
        )

    def add(self, embedding: np.ndarray, label: int, sample_id: str) -> bool:
        """Keep one corrected drawing; it pulls the very next reading.

        An entry with the same ``sample_id``, or with the same embedding (the
        same drawing kept again under a new id), is replaced: the last answer
        counts. An all-zero embedding is not kept (it is near nothing): the
        network alone reads such drawings, and any entry of ``sample_id`` is
        forgotten.

        Args:
            embedding: the drawing's embedding, shape (D,) (all entries the same D).
            label: its right digit, 0-9.
            sample_id: the id the sample store gave it.

        Returns:
            Whether it was kept (``False``: an all-zero embedding).

        Raises:
            ValueError: a non-finite embedding, another width than the entries
                kept, or a label outside 0-9.
        """
        row_vector = np.asarray(embedding).reshape(1, -1)
        if not isinstance(label, int | np.integer) or not 0 <= int(label) <= 9:
            raise ValueError(f"label must be a digit 0-9, got {label!r}")
        if _zero_rows(row_vector)[0]:
            self.remove([sample_id])
            self._say_zeros("a kept drawing", "the memory leaves it out")
            return False
        vector = _unit_rows(row_vector)[0]
        if self._count and vector.shape[0] != self._vectors.shape[1]:
            raise ValueError(
                f"embedding of width {vector.shape[0]}, but the memory keeps width "
                f"{self._vectors.shape[1]}: reset() it when the network changes"
            )
        if self.reference_size and vector.shape[0] != self._reference.shape[1]:
            raise ValueError(
                f"embedding of width {vector.shape[0]}, but the reference has width "
                f"{self._reference.shape[1]}"
            )
        self.remove([sample_id])
        if self._count:
            same = self._vectors[: self._count] @ vector >= _SAME_DRAWING
            if same.any():
                self.remove([self._ids[i] for i in np.nonzero(same)[0]])
        self._grow(vector.shape[0])
        row = self._count
        self._vectors[row] = vector
        self._labels[row] = int(label)
        if row < len(self._ids):
            self._ids[row] = sample_id
        else:
            self._ids.append(sample_id)
        self._row[sample_id] = row
        self._count += 1
        return True

    def remove(self, sample_ids: Iterable[str]) -> int:
        """Forget the given samples (unknown ids are ignored).

        Returns:
            How many entries were removed.
        """
        removed = 0
        for sample_id in list(sample_ids):
            row = self._row.pop(sample_id, None)
            if row is None:
                continue
            last = self._count - 1
            if row != last:
                # The last entry fills the hole: O(D), order is not kept.
                self._vectors[row] = self._vectors[last]
                self._labels[row] = self._labels[last]
                self._ids[row] = self._ids[last]
                self._row[self._ids[row]] = row
            self._count = last
            removed += 1
        return removed

    def clear(self) -> None:
        """Forget everything."""
        self._count = 0
        self._row.clear()
        self._ids.clear()

    def reset(
        self, embeddings: np.ndarray, labels: Sequence[int], sample_ids: Sequence[str]
    ) -> None:
        """Replace the whole memory (the network changed, or the store was re-read).

        The reference (:meth:`set_reference`) is dropped too: it was embedded
        by the network of the old entries. Set it again for the new one.

        Args:
            embeddings: N x D, one row per kept drawing, from the network now in use.
            labels: their digits.
            sample_ids: their ids (a repeated id keeps its last row).

        Drawings with an all-zero embedding are left out (see :meth:`add`).

        Raises:
            ValueError: mismatched lengths, or as for :meth:`add`.
        """
        embeddings = np.asarray(embeddings)
        if embeddings.ndim != 2 or not (len(embeddings) == len(labels) == len(sample_ids)):
            raise ValueError("need an N x D array and N labels and N sample ids")
        self.clear()
        self._vectors = np.zeros((0, 0), np.float32)
        self.set_reference(np.zeros((0, 0), np.float32), [])
        self._zeros_said = False  # a new network: it says so again if need be
        zero = _zero_rows(embeddings)
        if zero.any():
            self._say_zeros(
                f"{zero.sum()} of the {len(zero)} kept drawings", "the memory leaves them out"
            )
        for embedding, label, sample_id, left_out in zip(
            embeddings, labels, sample_ids, zero, strict=True
        ):
            if left_out:
                self.remove([sample_id])  # a repeated id keeps its last row, even this one
            else:
                self.add(embedding, int(label), sample_id)

    def blend(self, probabilities: np.ndarray, embeddings: np.ndarray) -> np.ndarray:
        """The network's probabilities with the memory's evidence blended in.

        Args:
            probabilities: k x 10 calibrated network probabilities, one row per digit read.
            embeddings: k x D, their embeddings from the same network.

        Returns:
            float64 k x 10, rows summing to 1; equal to ``probabilities`` when
            the memory is empty or nothing kept is near.

        Raises:
            ValueError: mismatched shapes.
        """
        return with_evidence(probabilities, self.evidence(embeddings))

    def vouches(self, evidence: np.ndarray) -> np.ndarray:
        """Which readings a kept drawing vouches for: shown as a digit whatever their shape.

        A drawing well past :attr:`MemorySettings.centre` from a kept one
        (its pull at least :data:`VOUCH_SHARE` of the strength), nearer to
        it than to any reference drawing of another digit, is one the user
        has said is a digit. The shape check's "not
        a digit" (a 0 traced round twice looks like a scribble) gives way
        to that, as the network's reading gives way to the memory's.

        Args:
            evidence: k x 10, from :meth:`evidence`.

        Returns:
            bool, one per row.
        """
        boost = np.asarray(evidence, dtype=np.float64)
        if boost.ndim != 2 or boost.shape[1] != NUM_CLASSES:
            raise ValueError(f"evidence must be k x 10, got shape {boost.shape}")
        if self.settings.strength <= 0:
            return np.zeros(len(boost), bool)
        return boost.max(axis=1) >= VOUCH_SHARE * self.settings.strength

    def evidence(self, embeddings: np.ndarray) -> np.ndarray:
        """The log-odds the memory adds to each digit, for each embedding.

        Args:
            embeddings: k x D.

        Returns:
            float64 k x 10, each entry in ``[0, neighbours * strength]`` (up to
            30 for the very drawing kept; all zero when the memory is empty).

        Raises:
            ValueError: not k x D, or another D than the entries kept.
        """
        queries = np.asarray(embeddings)
        if queries.ndim != 2:
            raise ValueError(f"embeddings must be k x D, got shape {queries.shape}")
        k = len(queries)
        boost = np.zeros((k, NUM_CLASSES), np.float64)
        if self._count == 0 or k == 0:
            return boost
        if queries.shape[1] != self._vectors.shape[1]:
            raise ValueError(
                f"embeddings of width {queries.shape[1]}, but the memory keeps width "
                f"{self._vectors.shape[1]}"
            )
        settings = self.settings
        similarity = _unit_rows(queries, allow_zero=True) @ self._vectors[: self._count].T
        n = min(settings.neighbours, self._count)
        if n == 1:
            nearest = similarity.argmax(axis=1)[:, None]
        elif n < self._count:
            nearest = np.argpartition(-similarity, n - 1, axis=1)[:, :n]
        else:
            nearest = np.broadcast_to(np.arange(n), (k, n))
        close = np.take_along_axis(similarity, nearest, axis=1).astype(np.float64)
        pull = settings.strength / (1.0 + np.exp(-(close - settings.centre) / settings.width))
        if settings.strength > 0:
            # The very drawing kept reads as the user said, however sure the network is.
            pull = np.where(close >= _SAME_DRAWING, np.maximum(pull, _SAME_DRAWING_PULL), pull)
        kept_labels = self._labels[nearest]
        if self.reference_size:
            pull *= self._gate(queries, close, kept_labels, pull)
        np.add.at(boost, (np.arange(k)[:, None], kept_labels), pull)
        return boost

    def _gate(
        self, queries: np.ndarray, close: np.ndarray, kept_labels: np.ndarray, pull: np.ndarray
    ) -> np.ndarray:
        """Factor in [0, 1] per (query, neighbour): is the kept drawing nearer than a rival?

        Only queries whose pull matters are compared with the reference
        (a read far from everything kept costs nothing more).
        """
        if self._reference.shape[1] != queries.shape[1]:
            raise ValueError(
                f"embeddings of width {queries.shape[1]}, but the reference has width "
                f"{self._reference.shape[1]}"
            )
        gate = np.ones_like(pull)
        rows = np.nonzero(pull.max(axis=1) > _NEGLIGIBLE_PULL * self.settings.strength)[0]
        if not len(rows):
            return gate
        similarity = _unit_rows(queries[rows], allow_zero=True) @ self._reference.T
        best = np.full((len(rows), NUM_CLASSES), -np.inf, np.float64)
        best[:, self._reference_digits] = np.maximum.reduceat(
            similarity, self._reference_starts, axis=1
        )
        # The best rival of each kept digit: the top other digit's similarity.
        order = np.argsort(-best, axis=1)
        first = np.take_along_axis(best, order[:, :1], axis=1)
        second = np.take_along_axis(best, order[:, 1:2], axis=1)
        labels = kept_labels[rows]
        rival = np.where(labels == order[:, :1], second, first)
        # The very drawing kept is never overruled: re-reading it gives its digit.
        same = close[rows] >= _SAME_DRAWING
        margin = np.where(np.isfinite(rival) & ~same, close[rows] - rival, np.inf)
        with np.errstate(over="ignore"):
            gate[rows] = 1.0 / (1.0 + np.exp(-margin / self.settings.gate_width))
        return gate

    def _say_zeros(self, what: str, then: str) -> None:
        """Log, once per network (see :meth:`reset`), that it embeds ``what`` as all zeros."""
        if not self._zeros_said:
            self._zeros_said = True
            log.warning(
                "the network in use gives %s an all-zero embedding (a dead network?): %s",
                what,
                then,
            )

    def _grow(self, dim: int) -> None:
        """Room for one more row (capacity doubles: adding is amortised O(D))."""
        if self._vectors.shape[1] != dim:
            if self._count:
                raise AssertionError("width checked by the caller")
            self._vectors = np.zeros((16, dim), np.float32)
            self._labels = np.zeros(16, np.int64)
        if self._count == len(self._vectors):
            grown = max(16, 2 * len(self._vectors))
            vectors = np.zeros((grown, dim), np.float32)
            vectors[: self._count] = self._vectors[: self._count]
            labels = np.zeros(grown, np.int64)
            labels[: self._count] = self._labels[: self._count]
            self._vectors, self._labels = vectors, labels


def with_evidence(probabilities: np.ndarray, evidence: np.ndarray) -> np.ndarray:
    """``probabilities`` with the memory's ``evidence`` (log-odds) blended in.

    Args:
        probabilities: k x 10, rows summing to 1 (calibrated or the network's own).
        evidence: k x 10, from :meth:`PersonalMemory.evidence`.

    Returns:
        float64 k x 10, rows summing to 1; a copy of ``probabilities`` where
        the evidence is all zero.

    Raises:
        ValueError: mismatched shapes.
    """
    p_network = np.asarray(probabilities, dtype=np.float64)
    if p_network.ndim != 2 or p_network.shape[1] != NUM_CLASSES:
        raise ValueError(f"probabilities must be k x 10, got shape {p_network.shape}")
    boost = np.asarray(evidence, dtype=np.float64)
    if boost.shape != p_network.shape:
        raise ValueError(f"{len(p_network)} rows of probabilities but evidence {boost.shape}")
    if not boost.any():
        return p_network.copy()
    logits = np.log(np.clip(p_network, 1e-12, 1.0)) + boost
    logits -= logits.max(axis=1, keepdims=True)
    odds = np.exp(logits)
    return odds / odds.sum(axis=1, keepdims=True)


def _zero_rows(array: np.ndarray) -> np.ndarray:
    """Which rows have no length, as :func:`_unit_rows` sees them (NaN rows are not zero)."""
    values = np.asarray(array, dtype=np.float32)
    if values.ndim != 2:
        raise ValueError(f"embeddings must be N x D, got shape {values.shape}")
    return np.linalg.norm(values, axis=1) <= 0


def _unit_rows(array: np.ndarray, *, allow_zero: bool = False) -> np.ndarray:
    """Rows scaled to unit length (float32); all-zero rows stay zero if allowed."""
    values = np.asarray(array, dtype=np.float32)
    if not np.isfinite(values).all():
        raise ValueError("the embedding contains NaN or infinite values")
    norms = np.linalg.norm(values, axis=1, keepdims=True)
    if not allow_zero and (norms <= 0).any():
        raise ValueError("an all-zero embedding cannot be compared with others")
    return values / np.maximum(norms, np.float32(1e-12))
