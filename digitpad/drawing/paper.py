"""What is on the paper: strokes with their pen widths, an opened image, undo and redo.

Plain data, no widgets: :class:`digitpad.gui.canvas.DrawingCanvas` keeps one
:class:`Paper` and paints it; anything else (a test, a script) can build one
and hand :meth:`Paper.drawing` to the reading.

Undo steps back one stroke at a time, and over a clear or an opened image or
drawing too: the page as it was comes back whole (the last
:data:`MAX_PAGES` of them are kept).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from digitpad.drawing.number_input import Drawing

Point = tuple[float, float]
#: A stroke: its pen width and its points.
Stroke = tuple[float, list[Point]]

#: Ink brought back onto a smaller paper keeps this far from its edges (paper px).
FIT_MARGIN = 8.0
#: Undo keeps this many pages given up to a clear or an open (an opened image
#: can be megabytes); older ones are forgotten.
MAX_PAGES = 20


@dataclass(frozen=True)
class Page:
    """A whole paper's content, kept so that undo (or redo) can put it back."""

    strokes: tuple[Stroke, ...]
    image: np.ndarray | None = field(default=None, repr=False)


class Paper:
    """Strokes in paper pixels, each with the pen width it was drawn with; undo and redo."""

    def __init__(self) -> None:
        self.strokes: list[Stroke] = []
        #: Undo steps, newest last: ``None`` takes back the last stroke, a
        #: :class:`Page` puts back what was there before a clear or an open.
        self.undo_stack: list[Page | None] = []
        #: What undo took back, newest last: a stroke, or the page it replaced.
        self.redo_stack: list[Stroke | Page] = []
        #: The stroke being drawn (``None`` between strokes) and its pen width.
        self.current: list[Point] | None = None
        self.current_width = 0.0
        #: An opened image (float H x W, ink 1.0), or ``None``.
        self.image: np.ndarray | None = None

    def is_blank(self) -> bool:
        """Whether nothing has been drawn or opened."""
        return not self.strokes and self.current is None and self.image is None

    def can_undo(self) -> bool:
        """Whether there is a stroke, a clear or an open to undo."""
        return bool(self.undo_stack) and self.current is None

    def can_redo(self) -> bool:
        """Whether there is something undone to redo."""
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
        self.undo_stack.append(None)
        self.current = None

    def undo(self) -> bool:
        """Take back the last stroke, clear or open; ``False`` if there was none."""
        if not self.can_undo():
            return False
        step = self.undo_stack.pop()
        if step is None:
            self.redo_stack.append(self.strokes.pop())
        else:
            self.redo_stack.append(self._page())
            self._show(step)
        return True

    def redo(self) -> bool:
        """Do again what undo took back last; ``False`` if there was none."""
        if not self.can_redo():
            return False
        again = self.redo_stack.pop()
        if isinstance(again, Page):
            self._keep_page()
            self._show(again)
        else:
            self.strokes.append(again)
            self.undo_stack.append(None)
        return True

    def clear(self) -> bool:
        """Erase the strokes and the image (undo puts them back); ``False`` if already blank."""
        if self.is_blank():
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
    ) -> tuple[list[Stroke], list[Stroke | Page]] | None:
        """The strokes and undone ones as :meth:`fit_within` makes them (``None``: unchanged).

        Pages kept for undo are not fitted here: the canvas fits a page when
        undo puts it back.
        """
        undone = [stroke for stroke in self.redo_stack if not isinstance(stroke, Page)]
        everything = self.strokes + undone
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

        def fitted(stroke: Stroke) -> Stroke:
            w, points = stroke
            moved = [
                (left + (x - left) * scale + dx, top + (y - top) * scale + dy) for x, y in points
            ]
            return w * scale, moved

        return [fitted(stroke) for stroke in self.strokes], [
            entry if isinstance(entry, Page) else fitted(entry) for entry in self.redo_stack
        ]

    def replace(
        self, strokes: Sequence[tuple[float, Sequence[Sequence[float]]]], image: np.ndarray | None
    ) -> None:
        """Make the paper hold ``strokes`` (``(width, points)``) over ``image``.

        One undo step puts back what was there; the redo history is forgotten.
        """
        self._keep_page()
        self.redo_stack.clear()
        self._show(
            Page(
                tuple(
                    (float(width), [(float(x), float(y)) for x, y in points])
                    for width, points in strokes
                    if len(points)
                ),
                image,
            )
        )

    def _page(self) -> Page:
        return Page(tuple(self.strokes), self.image)

    def _keep_page(self) -> None:
        """Make the page as it is now an undo step (the oldest beyond :data:`MAX_PAGES` go)."""
        self.undo_stack.append(self._page())
        pages = [i for i, step in enumerate(self.undo_stack) if step is not None]
        if len(pages) > MAX_PAGES:
            # Undo cannot get past a forgotten page: the steps before it go too.
            del self.undo_stack[: pages[-MAX_PAGES - 1] + 1]

    def _show(self, page: Page) -> None:
        self.strokes = list(page.strokes)
        self.image = page.image
        self.current = None

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
