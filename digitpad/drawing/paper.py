"""What is on the paper: strokes with their pen widths, an opened image, undo and redo.

Plain data, no widgets: :class:`digitpad.gui.canvas.DrawingCanvas` keeps one
:class:`Paper` and paints it; anything else (a test, a script) can build one
and hand :meth:`Paper.drawing` to the reading.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from digitpad.drawing.number_input import Drawing

Point = tuple[float, float]

#: Ink brought back onto a smaller paper keeps this far from its edges (paper px).
FIT_MARGIN = 8.0


class Paper:
    """Strokes in paper pixels, each with the pen width it was drawn with; per-stroke history."""

    def __init__(self) -> None:
        self.strokes: list[tuple[float, list[Point]]] = []
        self.redo_stack: list[tuple[float, list[Point]]] = []
        #: The stroke being drawn (``None`` between strokes) and its pen width.
        self.current: list[Point] | None = None
        self.current_width = 0.0
        #: An opened image (float H x W, ink 1.0), or ``None``.
        self.image: np.ndarray | None = None

    def is_blank(self) -> bool:
        """Whether nothing has been drawn or opened."""
        return not self.strokes and self.current is None and self.image is None

    def can_undo(self) -> bool:
        """Whether there is a stroke to undo."""
        return bool(self.strokes) and self.current is None

    def can_redo(self) -> bool:
        """Whether there is an undone stroke to redo."""
        return bool(self.redo_stack) and self.current is None

    def begin(self, point: Point, width: float) -> None:
        """Start a stroke at ``point`` with a pen ``width`` wide (forgets the redo history)."""
        self.current = [point]
        self.current_width = float(width)
        self.redo_stack.clear()

    def extend(self, point: Point) -> bool:
        """Add ``point`` to the stroke being drawn; ``False`` if it is the last one again."""
        assert self.current is not None
        if point == self.current[-1]:
            return False
        self.current.append(point)
        return True

    def end(self) -> None:
        """Finish the stroke being drawn."""
        assert self.current is not None
        self.strokes.append((self.current_width, self.current))
        self.current = None

    def undo(self) -> bool:
        """Remove the last stroke; ``False`` if there was none."""
        if not self.can_undo():
            return False
        self.redo_stack.append(self.strokes.pop())
        return True

    def redo(self) -> bool:
        """Put back the last undone stroke; ``False`` if there was none."""
        if not self.can_redo():
            return False
        self.strokes.append(self.redo_stack.pop())
        return True

    def clear(self) -> bool:
        """Erase everything (strokes, image, history); ``False`` if it was already blank."""
        if self.is_blank() and not self.redo_stack:
            return False
        self.replace([], None)
        return True

    def fit_within(self, width: float, height: float) -> bool:
        """Move, and shrink if need be, the strokes onto a ``width`` x ``height`` paper.

        The paper takes the window's shape: when the window shrinks, ink
        beyond the new edge would be read but not seen. The strokes (and the
        undone ones, so that redo fits too) move back onto the paper, and if
        they are larger than it, shrink about their top-left corner with
        their pens, so the drawing reads as before. Not while a stroke is
        being drawn.

        Returns:
            Whether anything moved.
        """
        fitted = self.fitted_strokes(width, height)
        if fitted is None:
            return False
        self.strokes, self.redo_stack = fitted
        return True

    def fitted_strokes(
        self, width: float, height: float
    ) -> tuple[list[tuple[float, list[Point]]], list[tuple[float, list[Point]]]] | None:
        """The strokes and undone ones as :meth:`fit_within` makes them (``None``: unchanged)."""
        everything = self.strokes + self.redo_stack
        if self.current is not None or not everything or width <= 0 or height <= 0:
            return None
        left = min(x - w / 2 for w, points in everything for x, _y in points)
        top = min(y - w / 2 for w, points in everything for _x, y in points)
        right = max(x + w / 2 for w, points in everything for x, _y in points)
        bottom = max(y + w / 2 for w, points in everything for _x, y in points)
        if right <= width and bottom <= height:
            return None
        margin = min(FIT_MARGIN, width / 4, height / 4)
        scale = min(
            1.0,
            (width - 2 * margin) / max(right - left, 1e-9),
            (height - 2 * margin) / max(bottom - top, 1e-9),
        )
        # Shrunk about its top-left corner, then moved back by what sticks out.
        dx = max(min(0.0, width - margin - (left + (right - left) * scale)), -left)
        dy = max(min(0.0, height - margin - (top + (bottom - top) * scale)), -top)

        def fitted(stroke: tuple[float, list[Point]]) -> tuple[float, list[Point]]:
            w, points = stroke
            moved = [
                (left + (x - left) * scale + dx, top + (y - top) * scale + dy) for x, y in points
            ]
            return w * scale, moved

        return [fitted(stroke) for stroke in self.strokes], [
            fitted(stroke) for stroke in self.redo_stack
        ]

    def replace(
        self, strokes: Sequence[tuple[float, Sequence[Sequence[float]]]], image: np.ndarray | None
    ) -> None:
        """Make the paper hold ``strokes`` (``(width, points)``) over ``image``; no history."""
        self.strokes = [
            (float(width), [(float(x), float(y)) for x, y in points])
            for width, points in strokes
            if len(points)
        ]
        self.redo_stack.clear()
        self.current = None
        self.image = image

    def all_strokes(self) -> list[tuple[float, list[Point]]]:
        """The finished strokes and the one being drawn, as ``(width, points)``."""
        strokes = list(self.strokes)
        if self.current:
            strokes.append((self.current_width, self.current))
        return strokes

    def drawing(self, ink: np.ndarray | None = None) -> Drawing:
        """What to read: the strokes, or (with an opened image) the paper's ``ink``."""
        if self.image is not None and ink is not None:
            return Drawing(image=ink)
        strokes = self.all_strokes()
        return Drawing(
            tuple(np.asarray(points, np.float64) for _w, points in strokes),
            tuple(width for width, _p in strokes),
        )
