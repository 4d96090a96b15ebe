"""What every subcommand shares: exit codes, one-line errors, progress bars, loading."""

from __future__ import annotations

import argparse
import os
import re
import sys
import threading
import time
from pathlib import Path
from typing import Any, TextIO

from digitpad.storage import paths

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class CliError(Exception):
    """A failure to report as one line on stderr."""


def positive_int(text: str) -> int:
    """Argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {value}")
    return value


def load_mnist(source: str | None) -> Any:
    """MNIST, with a download bar; :class:`CliError` when it cannot be had."""
    from digitpad.storage.mnist import MnistError, load_mnist

    progress = DownloadBar(sys.stderr)
    try:
        return load_mnist(source, progress=progress)
    except MnistError as exc:
        raise CliError(str(exc)) from exc
    finally:
        progress.close()


def load_model() -> Any:
    """The verified network in use; :class:`CliError` (with what to do) when there is none."""
    from digitpad.net import saved_models
    from digitpad.storage.model_store import NoModelError, StoreError

    try:
        loaded = saved_models.load_active()
    except NoModelError as exc:
        raise CliError(f"{exc} Train one first: digitpad train") from exc
    except StoreError as exc:
        raise CliError(f"{exc} Train a new one: digitpad train") from exc
    if loaded.note:
        print(f"digitpad: {loaded.note}", file=sys.stderr)
    return loaded


def check_models_folder() -> None:
    """Refuse at once a models folder that cannot be written (not after a training)."""
    reason = paths.unusable_reason(paths.models_dir())
    if reason is not None:
        raise CliError(
            f"Cannot keep models: {reason}. Move it away or set {paths.HOME_ENV} "
            "to a writable folder."
        )


def check_samples_folder(folder: Path | None = None) -> None:
    """Refuse at once a samples folder that cannot be read (not after more errors).

    A missing folder is fine (no drawings yet). A file standing where it or
    one of its parents should be (``DIGITPAD_HOME`` a file, say), or a folder
    that cannot be listed, is one line; otherwise the store would report it
    and the command go on with no drawings.

    Args:
        folder: the samples folder; default ``paths.samples_dir()``.

    Raises:
        CliError: it cannot be read (the message says why and what to do).
    """
    folder = Path(folder) if folder is not None else paths.samples_dir()
    try:
        with os.scandir(folder):
            return
    except FileNotFoundError:
        return
    except NotADirectoryError:
        probe = folder
        while not os.path.lexists(probe) and probe.parent != probe:
            probe = probe.parent
        reason = (
            f"{probe} is a file, not a folder"
            if probe == folder
            else f"{probe} is a file, not a folder, so {folder} cannot be read"
        )
    except OSError as exc:
        reason = f"the samples folder {folder} cannot be read ({exc.strerror or exc})"
    raise CliError(
        f"Cannot read your drawings: {reason}. Move it away or set {paths.HOME_ENV} "
        "to another folder."
    )


class DownloadBar:
    """Download progress on stderr (only shown when a download happens)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        """``done`` of ``total`` bytes arrived."""
        self.shown = True
        if total:
            self.stream.write(f"\rDownloading MNIST: {done / total:6.1%}")
        else:
            self.stream.write(f"\rDownloading MNIST: {done / 1e6:.1f} MB")
        self.stream.flush()

    def close(self) -> None:
        """End the bar's line."""
        if self.shown:
            self.stream.write("\n")


class TrainingBar:
    """A training progress bar with ETA, redrawn in place on a terminal."""

    WIDTH = 30

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.last_line = 0.0
        self.open = False

    def on_progress(self, progress: Any) -> None:
        """Redraw the bar for a training ``Progress``."""
        filled = int(self.WIDTH * progress.fraction)
        eta = clock(progress.eta_s) if progress.eta_s is not None else "--:--"
        line = (
            f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {progress.fraction:4.0%}  "
            f"epoch {progress.epoch}/{progress.epochs}  loss {progress.loss:.4f}  "
            f"acc {progress.accuracy:.4f}  ETA {eta}"
        )
        if self.tty:
            self.stream.write("\r" + line)
            self.open = True
        elif time.monotonic() - self.last_line >= 5 or progress.fraction >= 1:
            # Logs and CI: a line every few seconds, not thousands.
            self.stream.write(line + "\n")
            self.last_line = time.monotonic()
        self.stream.flush()

    def close(self) -> None:
        """End the bar's line."""
        if self.open:
            self.stream.write("\n")
            self.open = False


def clock(seconds: float) -> str:
    """``m:ss``."""
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}:{secs:02d}"


def printable(text: str) -> str:
    """``text`` on one line, as it can be printed: control characters and bytes escaped.

    A file name may hold a newline (which would forge an output line) or
    bytes that are not UTF-8 (which cannot be printed as they are).
    """
    text = os.fsencode(text).decode("utf-8", "backslashreplace") if has_surrogates(text) else text
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text
    )


#: Where a message goes on to a detail line of its own (a skipped file, say):
#: after a sentence, a newline and two spaces of indent.
_DETAIL_LINE = re.compile(r"(?<=\.)\n  ")


def printable_lines(text: str) -> str:
    """A message as it can be printed: its detail lines kept, each made :func:`printable`.

    Some messages list details (the files skipped) after a sentence, one
    per line indented by two spaces. Those line breaks stay; any other
    control character, such as a newline in a file name, is escaped.
    """
    return "\n  ".join(printable(line) for line in _DETAIL_LINE.split(text))


def has_surrogates(text: str) -> bool:
    """Whether ``text`` holds bytes that were not UTF-8 (a file name from the OS)."""
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def counted(count: int, noun: str) -> str:
    """``count`` and ``noun``, in the plural unless it is 1: "1 drawing", "0 drawings"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def percent(value: Any) -> str:
    """A stored accuracy for people ("99.36%"), or "accuracy unknown"."""
    return f"{value:.2%}" if isinstance(value, int | float) else "accuracy unknown"


#: What :func:`run_with_bar` returns when the user stopped the work.
INTERRUPTED = object()


def run_with_bar(work: Any, bar: Any, interrupted: str) -> Any:
    """``work(cancel)`` with a progress ``bar``, closed however it ends.

    Ctrl+C sets ``cancel`` and says ``interrupted``; a cancelled training
    ends quietly. Both return :data:`INTERRUPTED`; other errors propagate.
    """
    from digitpad.net.progress import TrainingCancelled

    cancel = threading.Event()
    try:
        return work(cancel)
    except KeyboardInterrupt:
        cancel.set()
        bar.close()
        print(interrupted, file=sys.stderr)
        return INTERRUPTED
    except TrainingCancelled:
        return INTERRUPTED
    finally:
        bar.close()
