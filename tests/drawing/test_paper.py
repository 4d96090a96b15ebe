"""The paper's strokes brought back onto a smaller paper (``Paper.fit_within``)."""

from __future__ import annotations

import numpy as np
import pytest

from digitpad.drawing.paper import FIT_MARGIN, MAX_PAGES, Page, Paper


def ink_box(paper: Paper) -> tuple[float, float, float, float]:
    strokes = paper.strokes + [s for s in paper.redo_stack if not isinstance(s, Page)]
    return (
        min(x - w / 2 for w, points in strokes for x, _y in points),
        min(y - w / 2 for w, points in strokes for _x, y in points),
        max(x + w / 2 for w, points in strokes for x, _y in points),
        max(y + w / 2 for w, points in strokes for _x, y in points),
    )


def drawn(*strokes: list[tuple[float, float]], width: float = 18.0) -> Paper:
    paper = Paper()
    for points in strokes:
        paper.begin(points[0], width)
        for point in points[1:]:
            paper.extend(point)
        paper.end()
    return paper


def test_ink_inside_the_paper_stays_where_it_is():
    paper = drawn([(50.0, 50.0), (50.0, 150.0)])
    assert not paper.fit_within(300.0, 200.0)
    assert paper.strokes == [(18.0, [(50.0, 50.0), (50.0, 150.0)])]


def test_ink_beyond_the_edge_that_fits_is_moved_back_unchanged_in_size():
    paper = drawn([(400.0, 50.0), (400.0, 150.0)], [(350.0, 100.0), (420.0, 100.0)])
    assert paper.fit_within(300.0, 200.0)
    left, top, right, bottom = ink_box(paper)
    assert right == pytest.approx(300.0 - FIT_MARGIN)
    assert (top, bottom) == (41.0, 159.0)  # not moved up or down: it fitted
    assert [w for w, _p in paper.strokes] == [18.0, 18.0]
    assert right - left == pytest.approx(420.0 + 9 - (350.0 - 9))


def test_ink_larger_than_the_paper_shrinks_with_its_pens_and_keeps_its_shape():
    paper = drawn([(20.0, 20.0), (880.0, 20.0)], [(20.0, 60.0), (880.0, 160.0)])
    before = ink_box(paper)
    assert paper.fit_within(420.0, 300.0)
    left, top, right, bottom = ink_box(paper)
    assert left >= 0.0
    assert top >= 0.0
    assert right <= 420.0 - FIT_MARGIN + 1e-9
    assert bottom <= 300.0
    scale = (right - left) / (before[2] - before[0])
    assert (bottom - top) / (before[3] - before[1]) == pytest.approx(scale)
    assert [w for w, _p in paper.strokes] == [pytest.approx(18.0 * scale)] * 2


def test_undone_strokes_are_fitted_too_so_redo_brings_them_back_on_the_paper():
    paper = drawn([(20.0, 20.0), (100.0, 100.0)], [(500.0, 50.0), (600.0, 150.0)])
    assert paper.undo()
    assert paper.fit_within(300.0, 200.0)
    assert paper.redo()
    assert ink_box(paper)[2] <= 300.0


def test_nothing_moves_while_a_stroke_is_being_drawn():
    paper = drawn([(500.0, 50.0), (600.0, 150.0)])
    paper.begin((10.0, 10.0), 18.0)
    assert not paper.fit_within(300.0, 200.0)
    assert paper.strokes[0][1] == [(500.0, 50.0), (600.0, 150.0)]


def test_undo_goes_back_over_clears_and_opens_a_page_at_a_time():
    paper = drawn([(50.0, 50.0), (50.0, 150.0)], [(60.0, 50.0), (90.0, 50.0)])
    assert paper.clear()
    assert not paper.clear()  # already blank: no second step
    paper.replace([], np.ones((3, 3), np.float32))
    assert paper.undo()
    assert paper.image is None
    assert paper.is_blank()
    assert paper.undo()
    assert len(paper.strokes) == 2
    assert paper.undo()
    assert paper.strokes == [(18.0, [(50.0, 50.0), (50.0, 150.0)])]
    for _ in range(3):
        assert paper.redo()
    assert paper.image is not None
    assert not paper.strokes
    assert not paper.can_redo()


def test_undo_keeps_the_last_pages_only():
    paper = drawn([(50.0, 50.0), (50.0, 150.0)])
    for count in range(MAX_PAGES + 5):
        paper.replace([(18.0, [(float(count), 0.0), (float(count), 9.0)])], None)
    undone = 0
    while paper.undo():
        undone += 1
    assert undone == MAX_PAGES
    assert paper.strokes == [(18.0, [(4.0, 0.0), (4.0, 9.0)])]
