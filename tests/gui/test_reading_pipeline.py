"""The reading pipeline: a reading made stale by the pen being lifted is dropped.

Real inference worker (an untrained LeNet: these tests are about which
readings are made and shown, not what they say), driven through the
pipeline's own signals. The worker holds each request until the test lets it
run, so that a request is reliably in flight when the pen is lifted.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import pytest
from helpers import ONE, SEVEN
from PySide6.QtCore import Slot

from digitpad.drawing.number_input import Drawing
from digitpad.gui import reading as reading_module
from digitpad.gui.inference_worker import InferenceWorker, ReadOptions, Supersession
from digitpad.gui.reading import DROP_WITHIN_MS, ReadingPipeline
from digitpad.net.calibration import Calibration


def drawing_of(*shapes: list[list[tuple[float, float]]]) -> Drawing:
    """The shapes' strokes side by side (each shifted 260 px right of the last)."""
    strokes = tuple(
        np.asarray(stroke, np.float64) + (260.0 * i, 0.0)
        for i, shape in enumerate(shapes)
        for stroke in shape
    )
    return Drawing(strokes, (18.0,) * len(strokes))


class HeldWorker(InferenceWorker):
    """An inference worker that reads a request only when :meth:`release` says so."""

    def __init__(self) -> None:
        super().__init__()
        self.held: list[tuple[int, Drawing, ReadOptions]] = []

    @Slot(int, object, object)
    def read(self, request_id: int, drawing: Drawing, options: ReadOptions) -> None:
        self.held.append((request_id, drawing, options))

    def release(self, *, ignore_stale: bool = False) -> int:
        """Read the oldest held request now; returns its id."""
        request_id, drawing, options = self.held.pop(0)
        if ignore_stale:  # as if it had passed the worker's checks before the pen lifted
            options = dataclasses.replace(options, stale=None)
        super().read(request_id, drawing, options)
        return request_id


@pytest.fixture
def worker():
    made = HeldWorker()
    made._use_blank()
    return made


@pytest.fixture
def pipeline(worker):
    made = ReadingPipeline(worker)
    made.use(Calibration(), provisional=False)
    return made


def record(worker, pipeline) -> dict[str, list]:
    """What the pipeline shows and the worker answers from now on, after a first reading.

    The first reading stands for the one the writer saw a moment ago: only
    then is a reading in flight dropped for a newer one.
    """
    pipeline.set_drawing_source(lambda: drawing_of(SEVEN))
    pipeline.read_now()
    worker.release()
    assert pipeline.latest_reading() is not None
    seen: dict[str, list] = {"shown": [], "answered": [], "skipped": []}
    pipeline.readingChanged.connect(seen["shown"].append)
    worker.answered.connect(lambda request_id, _answer: seen["answered"].append(request_id))
    worker.skipped.connect(seen["skipped"].append)
    return seen


def one_in_flight_then_a_seven(pipeline) -> dict[str, Drawing]:
    """A 1 is read while the pen is down (request 2); then a 7 joins it on the paper."""
    paper = {"now": drawing_of(ONE)}
    pipeline.set_drawing_source(lambda: paper["now"])
    pipeline.on_throttle_timeout()
    paper["now"] = drawing_of(ONE, SEVEN)
    return paper


def test_supersession_marks_only_requests_up_to_the_one_named():
    supersession = Supersession()
    assert not supersession.is_stale(1)
    supersession.supersede_up_to(3)
    assert [supersession.is_stale(i) for i in (1, 3, 4)] == [True, True, False]
    supersession.supersede_up_to(2)  # never goes back
    assert supersession.is_stale(3)


def test_a_stale_request_is_dropped_before_and_after_it_is_prepared(worker):
    seen: dict[str, list[int]] = {"answered": [], "skipped": []}
    worker.answered.connect(lambda request_id, _answer: seen["answered"].append(request_id))
    worker.skipped.connect(seen["skipped"].append)
    drawing = drawing_of(ONE, SEVEN)
    InferenceWorker.read(worker, 1, drawing, ReadOptions(stale=lambda _id: True))
    asked: list[int] = []

    def stale_once_prepared(request_id: int) -> bool:
        asked.append(request_id)
        return len(asked) > 1

    InferenceWorker.read(worker, 2, drawing, ReadOptions(stale=stale_once_prepared))
    assert asked == [2, 2]
    InferenceWorker.read(worker, 3, drawing, ReadOptions(stale=lambda _id: False))
    assert seen == {"answered": [3], "skipped": [1, 2]}


def test_lifting_the_pen_drops_the_reading_in_flight_and_shows_the_final_one(worker, pipeline):
    seen = record(worker, pipeline)
    paper = one_in_flight_then_a_seven(pipeline)
    assert [held[0] for held in worker.held] == [2]
    pipeline.read_now()  # the pen is lifted: the reading in flight is stale
    assert pipeline.is_pending()
    assert worker.release() == 2
    assert seen["skipped"] == [2]
    assert seen["shown"] == []  # the half-written drawing is never shown
    ((request_id, drawing, _options),) = worker.held
    assert request_id == 3
    assert drawing is paper["now"]
    worker.release()
    assert not pipeline.is_pending()
    assert len(seen["shown"]) == 1
    assert len(seen["shown"][0].digits) == 2


def test_an_answer_that_got_through_is_not_shown_when_a_final_reading_waits(worker, pipeline):
    seen = record(worker, pipeline)
    one_in_flight_then_a_seven(pipeline)
    pipeline.read_now()
    worker.release(ignore_stale=True)  # answered, but stale by now
    assert seen["answered"] == [2]
    assert seen["shown"] == []
    assert [held[0] for held in worker.held] == [3]
    worker.release()
    assert [len(shown.digits) for shown in seen["shown"]] == [2]


def test_a_reading_asked_for_while_drawing_still_shows_when_nothing_final_waits(worker, pipeline):
    seen = record(worker, pipeline)
    one_in_flight_then_a_seven(pipeline)
    pipeline.on_throttle_timeout()  # the pen still down: this one waits, nothing is stale
    worker.release()
    assert seen["skipped"] == []
    assert [len(shown.digits) for shown in seen["shown"]] == [1]
    worker.release()
    assert [len(shown.digits) for shown in seen["shown"]] == [1, 2]


def test_lifting_the_pen_on_the_drawing_in_flight_asks_for_nothing_more(worker, pipeline):
    seen = record(worker, pipeline)
    pipeline.set_drawing_source(lambda: drawing_of(ONE, SEVEN))  # new arrays each time
    pipeline.on_throttle_timeout()  # the pen is still, then lifted
    pipeline.read_now()
    assert [held[0] for held in worker.held] == [2]
    worker.release()
    assert seen["skipped"] == []
    assert worker.held == []
    assert not pipeline.is_pending()
    assert [len(shown.digits) for shown in seen["shown"]] == [2]


def test_going_back_to_the_drawing_of_a_stale_reading_reads_it_again(worker, pipeline):
    seen = record(worker, pipeline)
    paper = one_in_flight_then_a_seven(pipeline)
    pipeline.read_now()  # request 2 is stale now
    paper["now"] = drawing_of(ONE)  # undo: the drawing of request 2 again
    pipeline.read_now()
    worker.release()
    assert seen["skipped"] == [2]
    assert [held[0] for held in worker.held] == [3]
    worker.release()
    assert not pipeline.is_pending()
    assert [len(shown.digits) for shown in seen["shown"]] == [1]


def test_a_drawing_is_the_same_only_with_the_same_strokes_and_pens():
    one_seven = drawing_of(ONE, SEVEN)
    assert one_seven.same_as(drawing_of(ONE, SEVEN))
    assert not one_seven.same_as(drawing_of(ONE))
    assert not one_seven.same_as(drawing_of(ONE, ONE))
    assert not one_seven.same_as(Drawing(one_seven.strokes, (18.0, 12.0)))
    grown = (*one_seven.strokes[:-1], np.vstack([one_seven.strokes[-1], [[1.0, 2.0]]]))
    assert not one_seven.same_as(Drawing(grown, one_seven.widths))
    image = np.zeros((8, 8), np.float32)
    assert not Drawing(image=image).same_as(Drawing(image=image))


def test_under_strokes_faster_than_readings_the_reading_in_flight_is_still_shown(
    worker, pipeline, monkeypatch
):
    seen = record(worker, pipeline)
    later = time.monotonic() + DROP_WITHIN_MS / 1000.0
    monkeypatch.setattr(reading_module.time, "monotonic", lambda: later)
    one_in_flight_then_a_seven(pipeline)
    pipeline.read_now()  # nothing shown for a while: request 2 is not dropped
    worker.release()
    assert seen["skipped"] == []
    assert [len(shown.digits) for shown in seen["shown"]] == [1]
    worker.release()
    assert [len(shown.digits) for shown in seen["shown"]] == [1, 2]
