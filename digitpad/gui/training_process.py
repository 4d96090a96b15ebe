"""The window's side of the training process: start it, hear it, cancel it, outlive it.

:class:`TrainingProcess` runs :func:`digitpad.net.training_job.run` in a
child process (``python -m digitpad.net.training_job``: a fresh interpreter
that imports TensorFlow there) and turns the child's messages into Qt signals on
the GUI thread. A reader thread waits on the pipe, so a large message (the
weights of a snapshot) is unpickled off the GUI thread.

Cancel is a message, then a bounded wait, then ``terminate``, then ``kill``.
A child that dies without a last word (a crash, the OOM killer, a kill)
is reported by :attr:`TrainingProcess.died`; the model in use is untouched
because the child never touches it, and the store's atomic writes leave at
most temp files, which the next load sweeps.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QTimer, Signal, Slot

from digitpad.gui.i18n import translate
from digitpad.net.training_job import Job, run

log = logging.getLogger(__name__)

#: How long a cancelled child gets to stop by itself before it is terminated.
CANCEL_GRACE_MS = 10_000
#: How long a terminated child gets before it is killed.
TERMINATE_GRACE_MS = 3_000

#: The messages that end a job (the child exits right after sending one).
_FINAL = frozenset(
    {"finished", "adapted", "ladder_done", "imported", "cancelled", "mnist_missing", "failed"}
)

#: What the training process says it is doing (``("phase", text)`` in
#: :mod:`digitpad.net.training_job`, which has no Qt): its fixed texts, each
#: translated when it arrives. Others (a learning rate filled in) stay as sent.
PHASES = frozenset(
    {
        QT_TRANSLATE_NOOP("TrainingProcess", "Loading MNIST…"),
        QT_TRANSLATE_NOOP("TrainingProcess", "Preparing real pen-drawn digits…"),
        QT_TRANSLATE_NOOP("TrainingProcess", "Preparing the replay images…"),
        QT_TRANSLATE_NOOP("TrainingProcess", "Starting TensorFlow…"),
        QT_TRANSLATE_NOOP("TrainingProcess", "Saving the model…"),
        QT_TRANSLATE_NOOP("TrainingProcess", "Keeping the run…"),
        QT_TRANSLATE_NOOP("TrainingProcess", "Testing on 10,000 MNIST digits…"),
        QT_TRANSLATE_NOOP("TrainingProcess", "Reading the network's weights…"),
        QT_TRANSLATE_NOOP("TrainingProcess", "Reading your drawings…"),
        QT_TRANSLATE_NOOP("TrainingProcess", "Saving your personal network…"),
    }
)


class _Child:
    """The training process: ``python -m digitpad.net.training_job`` with an inherited socket.

    A fresh interpreter that imports only what training needs (never the
    window's main module, as ``multiprocessing``'s spawn would); it finds
    the window's modules on the window's ``sys.path``.
    """

    def __init__(self, target: str, fd: int) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        command = [sys.executable, "-m", "digitpad.net.training_job", "--fd", str(fd)]
        # Its own process group: the helpers it starts (the pen digits are
        # rendered by a process pool) end with it, even when it is killed.
        self._popen = subprocess.Popen(
            [*command, "--target", target],
            pass_fds=(fd,),
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
        self.pid = self._popen.pid

    @property
    def exitcode(self) -> int | None:
        """The exit code (negative: killed by that signal); ``None`` while running."""
        return self._popen.poll()

    def is_alive(self) -> bool:
        """Whether the process still runs."""
        return self._popen.poll() is None

    def join(self, timeout: float | None = None) -> None:
        """Wait for the process to end, at most ``timeout`` seconds."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._popen.wait(timeout)

    def terminate(self) -> None:
        """SIGTERM to the process and its helpers."""
        self._signal_group(signal.SIGTERM)

    def kill(self) -> None:
        """SIGKILL to the process and its helpers."""
        self._signal_group(signal.SIGKILL)

    def end_helpers(self) -> None:
        """Kill whatever the process left behind in its group (after it ended)."""
        self._signal_group(signal.SIGKILL)

    def _signal_group(self, number: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, number)


class _Reader(QObject):
    """Receives the child's messages on a Python thread; emits each one."""

    message = Signal(object)
    ended = Signal(object)  # the child's exit code once the pipe closed

    def __init__(self, connection: Any, process: _Child) -> None:
        super().__init__()
        self._connection = connection
        self._process = process

    def loop(self) -> None:
        try:
            while True:
                self.message.emit(self._connection.recv())
        except (EOFError, OSError):
            pass
        except RuntimeError:
            # This object was deleted under us: the app is exiting.
            return
        except Exception:  # noqa: BLE001 - an unreadable message ends the job, not the app
            log.exception("unreadable message from the training process")
        self._process.join(timeout=5.0)
        self._process.end_helpers()
        with contextlib.suppress(RuntimeError):  # deleted: the app is exiting
            self.ended.emit(self._process.exitcode)


class TrainingProcess(QObject):
    """Runs one training job at a time in a child process.

    Signals mirror the child's messages (see :mod:`digitpad.net.training_job`):
        phase(text) (translated when it is one of :data:`PHASES`),
        started(recipe_text), progress(Progress, points),
        epochEnded(epoch, logs), snapshot(weights, Progress),
        finished(weights, manifest, save_error, kept),
        adapted(summary, weights, manifest, save_error), cancelled(),
        mnistMissing(message), failed(message).
        rung(index, count, rate, recipe_text), rungDone(index, rate, summary),
        ladderDone(summaries): a ladder job (Try Learning Rates).
        imported(record, error): an import job (Open Network).
        died(message): the child ended without a last word (crash, kill).
        ended(): the job is over (after a last word, or died).
    """

    phase = Signal(str)
    started = Signal(str)
    progress = Signal(object, object)
    epochEnded = Signal(int, object)
    snapshot = Signal(object, object)
    finished = Signal(object, object, str, object)
    adapted = Signal(object, object, object, str)
    cancelled = Signal()
    mnistMissing = Signal(str)
    failed = Signal(str)
    rung = Signal(int, int, float, str)
    rungDone = Signal(int, float, object)
    ladderDone = Signal(object)
    imported = Signal(object, str)
    died = Signal(str)
    ended = Signal()

    def __init__(
        self, target: Callable[[Any, Job], None] | None = None, parent: QObject | None = None
    ) -> None:
        """Prepare (start nothing yet).

        Args:
            target: the child's entry point, a module-level function taking
                the pipe and the :class:`~digitpad.net.training_job.Job`
                (tests pass one that fails on purpose); default
                :func:`digitpad.net.training_job.run`.
            parent: the Qt parent.
        """
        super().__init__(parent)
        self._target = target
        self._process: _Child | None = None
        self._connection: Any = None
        self._reader: _Reader | None = None
        self._reader_thread: threading.Thread | None = None
        self._final_seen = False
        self._cancel_requested = False
        self._escalation = QTimer(self)
        self._escalation.setSingleShot(True)
        self._escalation.timeout.connect(self.on_escalation_timeout)

    def is_running(self) -> bool:
        """Whether a job is going on (until :attr:`ended`)."""
        return self._process is not None

    def process(self) -> _Child | None:
        """The child process while a job runs (tests kill it)."""
        return self._process

    def start(self, job: Job) -> None:
        """Start ``job`` in a new child process.

        Raises:
            RuntimeError: a job is already running.
            OSError: the process could not be started.
        """
        if self._process is not None:
            raise RuntimeError("a training job is already running")
        target = self._target or run
        parent_end, child_end = socket.socketpair()
        try:
            process = _Child(f"{target.__module__}:{target.__qualname__}", child_end.fileno())
        except BaseException:
            parent_end.close()
            raise
        finally:
            # Only the child holds its end now: the pipe closes when the child dies.
            child_end.close()
        parent_end = Connection(parent_end.detach())
        parent_end.send(job)
        # Only the child holds its end now: the pipe closes when the child dies.
        child_end.close()
        self._process, self._connection = process, parent_end
        self._final_seen = False
        self._cancel_requested = False
        reader = _Reader(parent_end, process)
        reader.message.connect(self.on_reader_message)
        reader.ended.connect(self.on_reader_ended)
        self._reader = reader
        self._reader_thread = threading.Thread(
            target=reader.loop, name="digitpad-training-pipe", daemon=True
        )
        self._reader_thread.start()

    def cancel(self) -> None:
        """Ask the child to stop; terminate it if it has not within the grace time."""
        if self._process is None or self._cancel_requested:
            return
        self._cancel_requested = True
        with contextlib.suppress(OSError, ValueError):  # gone: the reader reports the end
            self._connection.send(("cancel",))
        self._escalation.start(CANCEL_GRACE_MS)

    def shutdown(self, timeout_s: float = 5.0) -> None:
        """End any job now, waiting at most about ``timeout_s`` (closing the window)."""
        process = self._process
        if process is None:
            return
        self._cancel_requested = True
        with contextlib.suppress(OSError, ValueError):
            self._connection.send(("cancel",))
        process.join(timeout_s)
        if process.is_alive():
            process.terminate()
            process.join(TERMINATE_GRACE_MS / 1000)
        if process.is_alive():
            process.kill()
            process.join(1.0)
        process.end_helpers()
        self._process = None
        # The pipe closed with the process: the reader ends at once. Waiting
        # for it keeps it from emitting while the app is torn down.
        if self._reader_thread is not None:
            self._reader_thread.join(2.0)

    @Slot()
    def on_escalation_timeout(self) -> None:
        process = self._process
        if process is None or not process.is_alive():
            return
        if self._escalation.property("terminated"):
            log.warning("the training process did not stop after SIGTERM: killing it")
            process.kill()
            return
        log.warning("the training process did not stop when asked: terminating it")
        process.terminate()
        self._escalation.setProperty("terminated", True)
        self._escalation.start(TERMINATE_GRACE_MS)

    @Slot(object)
    def on_reader_message(self, message: Any) -> None:
        kind, *args = message
        if kind in _FINAL:
            self._final_seen = True
        if kind == "phase":
            self.phase.emit(phase_text(*args))
        elif kind == "started":
            self.started.emit(*args)
        elif kind == "progress":
            self.progress.emit(*args)
        elif kind == "epoch":
            self.epochEnded.emit(*args)
        elif kind == "snapshot":
            self.snapshot.emit(*args)
        elif kind == "finished":
            self.finished.emit(*args)
        elif kind == "adapted":
            self.adapted.emit(*args)
        elif kind == "cancelled":
            self.cancelled.emit()
        elif kind == "mnist_missing":
            self.mnistMissing.emit(*args)
        elif kind == "failed":
            self.failed.emit(*args)
        elif kind == "rung":
            self.rung.emit(*args)
        elif kind == "rung_done":
            self.rungDone.emit(*args)
        elif kind == "ladder_done":
            self.ladderDone.emit(*args)
        elif kind == "imported":
            self.imported.emit(*args)
        else:
            log.warning("unknown message from the training process: %r", kind)

    @Slot(object)
    def on_reader_ended(self, exitcode: Any) -> None:
        self._escalation.stop()
        self._escalation.setProperty("terminated", False)
        self._process = None
        self._reader = None
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if not self._final_seen:
            if self._cancel_requested:
                self.cancelled.emit()
            else:
                self.died.emit(exit_description(exitcode))
        self.ended.emit()


def phase_text(text: str) -> str:
    """The training process's ``text`` (what it is doing) in the window's language."""
    return translate("TrainingProcess", text) if text in PHASES else text


def exit_description(exitcode: int | None) -> str:
    """How a process ended, in words: "killed by SIGKILL", "exit code 3"."""
    if exitcode is None:
        return translate("TrainingProcess", "it did not exit")
    if exitcode >= 0:
        return translate("TrainingProcess", "exit code {code}").format(code=exitcode)
    number = -exitcode
    try:
        name = signal.Signals(number).name
    except ValueError:
        return translate("TrainingProcess", "killed by signal {number}").format(number=number)
    if name == "SIGKILL":
        return translate("TrainingProcess", "killed by {signal} (perhaps out of memory)").format(
            signal=name
        )
    return translate("TrainingProcess", "killed by {signal}").format(signal=name)
