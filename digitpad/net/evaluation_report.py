"""The test-set report: accuracy, loss, confusion matrix, the worst mistakes.

Pure numpy (no Qt, no TensorFlow): the inference worker computes the
probabilities, this turns them into what Model > Evaluate shows.
"""

from __future__ import annotations

import numpy as np

NUM_CLASSES = 10


class EvaluationReport:
    """How a model reads a labelled set of images.

    Attributes:
        images: uint8 N x 28 x 28 (as in MNIST).
        labels: int N, the true digits.
        probabilities: float32 N x 10, the model's answers.
        predicted: int N, the digit read (argmax).
        confusion: int 10 x 10; ``confusion[t, p]`` counts images of digit
            ``t`` read as ``p`` (rows: truth, columns: reading).
        accuracy: fraction read right.
        loss: mean categorical cross-entropy.
    """

    def __init__(self, images: np.ndarray, labels: np.ndarray, probabilities: np.ndarray) -> None:
        """Compute the figures.

        Raises:
            ValueError: sizes disagree, or labels are not digits 0-9.
        """
        labels = np.asarray(labels).astype(np.int64)
        probabilities = np.asarray(probabilities, dtype=np.float32)
        if len(images) != len(labels) or probabilities.shape != (len(labels), NUM_CLASSES):
            raise ValueError(
                f"{len(images)} images, {len(labels)} labels and probabilities of shape "
                f"{probabilities.shape} do not match"
            )
        if len(labels) and (labels.min() < 0 or labels.max() >= NUM_CLASSES):
            raise ValueError("labels must be digits 0-9")
        self.images = np.asarray(images)
        self.labels = labels
        self.probabilities = probabilities
        self.predicted = probabilities.argmax(axis=1).astype(np.int64)
        self.confusion = np.bincount(
            labels * NUM_CLASSES + self.predicted, minlength=NUM_CLASSES * NUM_CLASSES
        ).reshape(NUM_CLASSES, NUM_CLASSES)
        self.accuracy = float(np.mean(self.predicted == labels)) if len(labels) else 0.0
        picked = probabilities[np.arange(len(labels)), labels]
        self.loss = float(-np.mean(np.log(np.clip(picked, 1e-7, 1.0)))) if len(labels) else 0.0

    def __len__(self) -> int:
        return len(self.labels)

    def cell(self, true_digit: int, read_as: int) -> np.ndarray:
        """Indices of the images of ``true_digit`` read as ``read_as``.

        Most confident reading first (for a wrong cell: the worst mistakes first).
        """
        if not (0 <= true_digit < NUM_CLASSES and 0 <= read_as < NUM_CLASSES):
            raise ValueError(f"no cell ({true_digit}, {read_as}): digits are 0-9")
        indices = np.flatnonzero((self.labels == true_digit) & (self.predicted == read_as))
        confidence = self.probabilities[indices, read_as]
        return indices[np.argsort(-confidence, kind="stable")]

    def confident_mistakes(self, count: int = 24) -> np.ndarray:
        """Indices of the ``count`` wrong readings made with the most confidence."""
        wrong = np.flatnonzero(self.predicted != self.labels)
        confidence = self.probabilities[wrong, self.predicted[wrong]]
        return wrong[np.argsort(-confidence, kind="stable")[:count]]

    def confidence(self, index: int) -> float:
        """The probability the model gave its reading of image ``index``."""
        return float(self.probabilities[index, self.predicted[index]])
