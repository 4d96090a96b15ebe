"""The user's corrected drawings: one verified file per sample.

When digitpad misreads a drawing and the user gives the right digit, the
28 x 28 input the model read, the strokes and the label are kept here, to
fine-tune the network on the user's own handwriting.

Layout of the samples directory (``paths.samples_dir()``)::

    3_20261127T233800123456-3f9a1c2b.npz    a "3": <label>_<id>.npz
    quarantine/                             files that failed verification
    .tmp-*                                  left by a killed write; ignored

Each file is written whole to a temp file in the same folder, fsynced and
renamed into place, so a crash leaves either the complete sample or a
``.tmp-`` file, never half a sample; files are never modified afterwards.
Each holds plain arrays (no pickles) and a SHA-256 of its content, checked on
every read: a damaged file is moved to ``quarantine/`` and reported in
:attr:`SampleStore.problems`, never returned.

A batch (:meth:`SampleStore.add_many`, used by an import) writes and fsyncs
all its temp files first, then renames them and fsyncs the folder once: a
failure before the end deletes what the batch wrote, so it is added whole
or not at all. A crash during the renames leaves some of its files, each
whole and verified on reading (like an import stopped early). There is no
index to keep in step: the folder's listing is the store.

Pure Python and numpy: no Qt (``digitpad.drawing.images`` is imported only when
:func:`load_sample_dir` meets an image file), no TensorFlow.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import math
import os
import re
import secrets
import stat
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digitpad.storage import paths
from digitpad.storage.atomic import TEMP_PREFIX, fsync_dir
from digitpad.storage.npz_codec import load_npz, npz_bytes
from digitpad.storage.safe_files import move_aside, read_regular_file

SAMPLE_FORMAT = 1
#: A sample is a few kilobytes; a long scribble's strokes stay far below this.
MAX_SAMPLE_BYTES = 4 * 1024 * 1024
#: A ``.tmp-`` file this old is left by a killed write, not one in progress.
STALE_TEMP_SECONDS = 3600.0
SIDE = 28
QUARANTINE = "quarantine"
#: Files of a batch fsynced at once: the disk's journal commits are shared
#: (5,000 small files: ~0.8 ms each one by one, ~0.2 ms each eight at once).
WRITERS = 8

_SAMPLE_NAME = re.compile(r"^([0-9])_([0-9A-Za-z-]+)\.npz$")
_SAMPLE_ID = re.compile(r"^[0-9A-Za-z-]+$")
_DIGIT_PREFIX = re.compile(r"^([0-9])_")
_FIELDS = frozenset(
    {"format", "label", "x28", "points", "stroke_lengths", "pen_width", "created", "checksum"}
)


class SampleError(Exception):
    """Samples could not be read or written (message for people)."""


@dataclass(frozen=True, eq=False)
class Sample:
    """One corrected drawing. Its arrays are read-only.

    Attributes:
        id: unique, sortable by time ("20261127T233800123456-3f9a1c2b").
        label: the right digit, 0..9.
        x28: float32 28 x 28 in [0, 1], ink 1.0: what the model read.
        strokes: the strokes, each float32 (N, 2) points in canvas units.
        pen_width: the pen's diameter in canvas units.
        created: when it was added, ISO-8601 UTC to the second.
        path: the file it was read from or written to.
    """

    id: str
    label: int
    x28: np.ndarray
    strokes: tuple[np.ndarray, ...]
    pen_width: float
    created: str
    path: Path | None = None


@dataclass(frozen=True, eq=False)
class PreparedSample:
    """A drawing checked and encoded by :func:`prepare_sample`, not stored yet.

    Attributes:
        sample: the sample it will be (its ``path`` is ``None`` until stored).
        raw: the bytes of its file.
    """

    sample: Sample
    raw: bytes

    @property
    def file_name(self) -> str:
        """The name of its file in the store, ``<label>_<id>.npz``."""
        return f"{self.sample.label}_{self.sample.id}.npz"


def prepare_sample(
    x28: np.ndarray,
    label: int,
    strokes: Sequence[Sequence[Sequence[float]]] = (),
    pen_width: float = 18.0,
) -> PreparedSample:
    """Check a drawing and encode its file, with a new id; nothing is written.

    Args:
        x28: the model's input, 28 x 28 (or 28 x 28 x 1) in [0, 1], ink 1.0.
        label: the right digit, 0..9.
        strokes: the strokes as drawn, each a sequence of (x, y) points in
            canvas units; empty for an opened image.
        pen_width: the pen's diameter in canvas units.

    Raises:
        ValueError: an argument is invalid (the message says which).
    """
    image = _checked_x28(x28)
    digit = _checked_label(label)
    points, lengths = _checked_strokes(strokes)
    width = _checked_pen_width(pen_width)
    sample_id, now = _new_id()
    created = now.isoformat(timespec="seconds")
    raw = _encode(image, digit, points, lengths, width, created)
    if len(raw) > MAX_SAMPLE_BYTES:
        raise ValueError(
            f"the drawing is too long to keep ({len(points)} points); "
            "draw the digit with fewer strokes"
        )
    sample = _make_sample(sample_id, digit, image, points, lengths, width, created, None)
    return PreparedSample(sample=sample, raw=raw)


class SampleStore:
    """A directory of the user's samples, one ``<label>_<id>.npz`` file each.

    Attributes:
        root: the directory.
        problems: messages about the files skipped (and quarantined) by the
            last :meth:`samples` call.
    """

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self.root = Path(root) if root is not None else paths.samples_dir()
        self.problems: list[str] = []
        # Files are never changed in place, so a file seen before with the
        # same inode, size and mtime need not be verified again.
        self._verified: dict[str, tuple[tuple[int, int, int], Sample]] = {}

    def __len__(self) -> int:
        return len(self.samples())

    def sample_ids(self) -> list[str]:
        """The ids of the sample files in the store, from their names (nothing is read)."""
        try:
            names = os.listdir(self.root)
        except OSError:
            return []
        return [match.group(2) for name in names if (match := _SAMPLE_NAME.match(name))]

    def read_ids(self, sample_ids: Iterable[str]) -> list[Sample]:
        """The verified samples with these ids, in id order (nothing else is read).

        A file that fails verification is left out here; :meth:`samples`
        reports and quarantines it.
        """
        wanted = set(sample_ids)
        try:
            names = sorted(os.listdir(self.root))
        except OSError:
            return []
        found = []
        for name in names:
            match = _SAMPLE_NAME.match(name)
            if match and match.group(2) in wanted:
                try:
                    found.append(read_sample(self.root / name))
                except (OSError, ValueError):
                    continue
        return found

    def add(
        self,
        x28: np.ndarray,
        label: int,
        strokes: Sequence[Sequence[Sequence[float]]] = (),
        pen_width: float = 18.0,
    ) -> Sample:
        """Store a drawing and its right digit (arguments as :func:`prepare_sample`).

        Returns:
            The stored sample.

        Raises:
            ValueError: an argument is invalid (the message says which).
            SampleError: the file could not be written; nothing was stored.
        """
        return self.add_many([prepare_sample(x28, label, strokes, pen_width)])[0]

    def add_many(self, prepared: Sequence[PreparedSample]) -> list[Sample]:
        """Store several drawings at once: all of them, or none on a failure.

        Every file is written to a temp file and fsynced (several at once),
        then all are renamed into place and the folder is fsynced once. If
        anything fails before the end, the files of the batch already
        written or renamed are deleted again.

        Args:
            prepared: drawings from :func:`prepare_sample`, each given once.

        Returns:
            The stored samples, in the order given.

        Raises:
            ValueError: a drawing was given twice.
            SampleError: the files could not be written; none was stored.
        """
        batch = list(prepared)
        names = [item.file_name for item in batch]
        if len(set(names)) != len(names):
            raise ValueError("the same prepared drawing was given twice; prepare each once")
        if not batch:
            return []
        targets = [self.root / name for name in names]
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            temps = _write_temps(self.root, [item.raw for item in batch])
            _rename_all(temps, targets)
        except OSError as exc:
            if len(batch) == 1:
                what, outcome = "the sample", "this drawing was not kept"
            else:
                what, outcome = "the samples", f"none of these {len(batch)} drawings was kept"
            raise SampleError(
                f"Could not save {what} in {self.root} ({exc.strerror or exc}). "
                f"Free disk space or make the folder writable, then try again; {outcome}."
            ) from exc
        return [
            dataclasses.replace(item.sample, path=target)
            for item, target in zip(batch, targets, strict=True)
        ]

    def remove(self, sample_id: str, *, sync: bool = True) -> None:
        """Delete the sample ``sample_id``; an unknown id is not an error.

        Args:
            sample_id: the sample's id.
            sync: make the deletion durable now (fsync the folder). Deleting
                many, pass ``False`` and call :meth:`sync` once after: one
                folder fsync, not one per drawing.

        Raises:
            ValueError: ``sample_id`` is not a sample id.
            SampleError: the file could not be deleted.
        """
        if not isinstance(sample_id, str) or not _SAMPLE_ID.match(sample_id):
            raise ValueError(f"{sample_id!r} is not a sample id (letters, digits and '-')")
        removed = False
        for digit in range(10):
            name = f"{digit}_{sample_id}.npz"
            self._verified.pop(name, None)
            try:
                os.unlink(self.root / name)
                removed = True
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise SampleError(
                    f"Could not delete the sample {name} in {self.root} "
                    f"({exc.strerror or exc}). Make the folder writable and try again."
                ) from exc
        if removed and sync:
            fsync_dir(self.root)

    def sync(self) -> None:
        """Make deletions done with ``remove(..., sync=False)`` durable."""
        fsync_dir(self.root)

    def samples(self) -> list[Sample]:
        """All verified samples, oldest first.

        Damaged files are moved to ``quarantine/`` and described in
        :attr:`problems`; ``.tmp-`` files older than an hour are deleted.
        Files not named like samples are left alone.
        """
        self.problems = []
        found: list[Sample] = []
        try:
            entries = sorted(os.scandir(self.root), key=lambda entry: entry.name)
        except FileNotFoundError:
            self._verified.clear()
            return found
        except OSError as exc:
            self.problems.append(f"The samples folder {self.root} cannot be read ({exc}).")
            return found
        seen: set[str] = set()
        for entry in entries:
            if entry.name.startswith(".tmp-"):
                _remove_if_stale(entry)
                continue
            match = _SAMPLE_NAME.match(entry.name)
            if match is None:
                continue
            seen.add(entry.name)
            path = Path(entry.path)
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISDIR(info.st_mode):
                continue
            key = (info.st_ino, info.st_size, info.st_mtime_ns)
            cached = self._verified.get(entry.name)
            if cached is not None and cached[0] == key:
                found.append(cached[1])
                continue
            try:
                sample = read_sample(path)
            except ValueError as exc:
                self._verified.pop(entry.name, None)
                self.problems.append(self._set_aside(path, str(exc)))
                continue
            except OSError as exc:
                # Unreadable (permissions) is not damage: leave the file be.
                self.problems.append(
                    f"{entry.name} could not be read ({exc.strerror or exc}); skipped."
                )
                continue
            self._verified[entry.name] = (key, sample)
            found.append(sample)
        for name in set(self._verified) - seen:
            self._verified.pop(name, None)
        found.sort(key=lambda sample: sample.id)
        return found

    def counts(self) -> dict[int, int]:
        """Number of samples of each digit (all ten digits present)."""
        counts = dict.fromkeys(range(10), 0)
        for sample in self.samples():
            counts[sample.label] += 1
        return counts

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The samples as training arrays.

        Returns:
            x (float32 N x 28 x 28, ink 1.0) and y (int64 N), oldest first.
        """
        return _stack(self.samples())

    def _set_aside(self, path: Path, reason: str) -> str:
        """Quarantine ``path``; return the message for :attr:`problems`."""
        try:
            target = move_aside(path, self.root / QUARANTINE)
        except OSError:
            # A read-only folder cannot be tidied; the file is refused on
            # every read all the same.
            return f"{path.name} is damaged ({reason}); it is ignored."
        return f"{path.name} was damaged ({reason}) and was moved to {target}."


def sample_checksum(
    fmt: int,
    label: int,
    x28: np.ndarray,
    points: np.ndarray,
    stroke_lengths: np.ndarray,
    pen_width: float,
    created: str,
) -> str:
    """The SHA-256 (hex) stored in, and checked against, every sample file.

    The digest covers these fields in this order, each as its length in bytes
    (8-byte little-endian unsigned) followed by its bytes: ``fmt`` and
    ``label`` as int64 little-endian; ``x28`` as 784 float32 little-endian in
    row-major order; ``points`` as float32 little-endian in row-major order
    (x, y pairs); ``stroke_lengths`` as int64 little-endian; ``pen_width`` as
    a float64 little-endian; ``created`` as UTF-8.
    """
    digest = hashlib.sha256()
    parts = (
        np.asarray(fmt, dtype="<i8").tobytes(),
        np.asarray(label, dtype="<i8").tobytes(),
        np.ascontiguousarray(x28, dtype="<f4").tobytes(),
        np.ascontiguousarray(points, dtype="<f4").tobytes(),
        np.ascontiguousarray(stroke_lengths, dtype="<i8").tobytes(),
        np.asarray(pen_width, dtype="<f8").tobytes(),
        str(created).encode("utf-8"),
    )
    for part in parts:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.hexdigest()


def read_sample(path: str | os.PathLike[str], expected_label: int | None = None) -> Sample:
    """Read and verify one sample file.

    Args:
        path: the file; its name must start with ``<digit>_``.
        expected_label: the digit the name announces (default: taken from it).

    Raises:
        ValueError: the file is not a valid sample (symlink, too large,
            unparsable, checksum mismatch, bad arrays, label unlike its name).
        OSError: the file could not be opened.
    """
    path = Path(path)
    if expected_label is None:
        prefix = _DIGIT_PREFIX.match(path.name)
        if prefix is None:
            raise ValueError("its name does not start with <digit>_")
        expected_label = int(prefix.group(1))
    try:
        raw = read_regular_file(path, MAX_SAMPLE_BYTES)
    except ValueError as exc:
        # Its callers name the file; the reason reads like the others ("it is ...").
        raise ValueError(str(exc).replace(path.name, "it", 1)) from exc
    return _verify(load_npz(raw, _FIELDS, MAX_SAMPLE_BYTES), expected_label, path)


# -- internals -------------------------------------------------------------


def _write_temps(root: Path, contents: Sequence[bytes]) -> list[str]:
    """Write each of ``contents`` to a fsynced temp file in ``root``; return their paths.

    On a failure no temp file is left behind.

    Raises:
        OSError: a file could not be written.
    """
    if len(contents) == 1:
        return [_write_temp(root, contents[0])]
    futures: list[Future[str]] = []
    pool = ThreadPoolExecutor(min(WRITERS, len(contents)), thread_name_prefix="digitpad-add")
    try:
        for data in contents:
            futures.append(pool.submit(_write_temp, root, data))
        return [future.result() for future in futures]
    except BaseException:
        for future in futures:
            future.cancel()
        pool.shutdown(wait=True)
        for future in futures:
            if not future.cancelled() and future.exception() is None:
                with contextlib.suppress(OSError):
                    os.unlink(future.result())
        raise
    finally:
        pool.shutdown(wait=True)


def _write_temp(root: Path, data: bytes) -> str:
    """``data`` in a new fsynced ``.tmp-`` file in ``root``; its path."""
    fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=root)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return temp


def _rename_all(temps: Sequence[str], targets: Sequence[Path]) -> None:
    """Rename each temp file to its target, then fsync the folder once.

    On a failure the targets already renamed and the temp files left are
    deleted: none of the batch stays.

    Raises:
        OSError: a file could not be renamed.
    """
    placed: list[Path] = []
    try:
        for temp, target in zip(temps, targets, strict=True):
            os.replace(temp, target)
            placed.append(target)
    except BaseException:
        for path in [*placed, *temps[len(placed) :]]:
            with contextlib.suppress(OSError):
                os.unlink(path)
        if targets:
            fsync_dir(targets[0].parent)
        raise
    fsync_dir(targets[0].parent)


_id_lock = threading.Lock()
_last_time: dt.datetime | None = None


def _new_id() -> tuple[str, dt.datetime]:
    """A new sample id: the UTC time to the microsecond, then random hex.

    Within one process the times strictly increase, so ids sort in the order
    the samples were added even when the clock does not move between adds.
    """
    global _last_time
    with _id_lock:
        now = dt.datetime.now(dt.UTC)
        if _last_time is not None and now <= _last_time:
            now = _last_time + dt.timedelta(microseconds=1)
        _last_time = now
    return f"{now:%Y%m%dT%H%M%S%f}-{secrets.token_hex(4)}", now


def _checked_x28(x28: np.ndarray) -> np.ndarray:
    array = np.asarray(x28)
    if array.shape == (SIDE, SIDE, 1):
        array = array[..., 0]
    if array.shape != (SIDE, SIDE):
        raise ValueError(f"x28 must be a 28x28 array, got shape {array.shape}")
    if array.dtype == np.bool_ or not (
        np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.integer)
    ):
        raise ValueError(f"x28 must hold numbers in [0, 1], got dtype {array.dtype}")
    image = array.astype(np.float32)
    if not np.isfinite(image).all():
        raise ValueError("x28 contains NaN or infinite values")
    if float(image.min()) < 0.0 or float(image.max()) > 1.0:
        raise ValueError(
            f"x28 must be in [0, 1] (ink 1.0), got values from {float(image.min())} "
            f"to {float(image.max())}"
        )
    return image


def _checked_label(label: int) -> int:
    if isinstance(label, bool | np.bool_) or not isinstance(label, int | np.integer):
        raise ValueError(f"label must be an integer digit 0..9, got {label!r}")
    if not 0 <= int(label) <= 9:
        raise ValueError(f"label must be a digit 0..9, got {int(label)}")
    return int(label)


def _checked_strokes(
    strokes: Sequence[Sequence[Sequence[float]]],
) -> tuple[np.ndarray, np.ndarray]:
    """Concatenated points (float32 M x 2) and the stroke lengths (int64 S)."""
    arrays = []
    for index, stroke in enumerate(strokes):
        try:
            points = np.asarray(stroke, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"stroke {index} is not a list of (x, y) points ({exc})") from exc
        if points.size == 0:
            points = points.reshape(0, 2)
        if points.ndim != 2 or points.shape[1] != 2:
            raise ValueError(
                f"stroke {index} must be a list of (x, y) points, got shape {points.shape}"
            )
        if not np.isfinite(points).all():
            raise ValueError(f"stroke {index} has NaN or infinite coordinates")
        arrays.append(points.astype(np.float32))
    if not arrays:
        return np.zeros((0, 2), dtype=np.float32), np.zeros(0, dtype=np.int64)
    lengths = np.array([len(a) for a in arrays], dtype=np.int64)
    return np.concatenate(arrays).astype(np.float32, copy=False), lengths


def _checked_pen_width(pen_width: float) -> float:
    if isinstance(pen_width, bool) or not isinstance(pen_width, int | float | np.number):
        raise ValueError(f"pen_width must be a number, got {pen_width!r}")
    width = float(pen_width)
    if not math.isfinite(width) or width <= 0:
        raise ValueError(f"pen_width must be a positive number of canvas units, got {width}")
    return width


def _encode(
    x28: np.ndarray,
    label: int,
    points: np.ndarray,
    lengths: np.ndarray,
    pen_width: float,
    created: str,
) -> bytes:
    checksum = sample_checksum(SAMPLE_FORMAT, label, x28, points, lengths, pen_width, created)
    return npz_bytes(
        {
            "format": np.asarray(SAMPLE_FORMAT, dtype="<i8"),
            "label": np.asarray(label, dtype="<i8"),
            "x28": np.ascontiguousarray(x28, dtype="<f4"),
            "points": np.ascontiguousarray(points, dtype="<f4"),
            "stroke_lengths": np.ascontiguousarray(lengths, dtype="<i8"),
            "pen_width": np.asarray(pen_width, dtype="<f8"),
            "created": np.asarray(created, dtype=np.str_),
            "checksum": np.asarray(checksum, dtype=np.str_),
        }
    )


def _verify(fields: dict[str, np.ndarray], expected_label: int, path: Path) -> Sample:
    """Check every field of a parsed sample file; return the sample."""

    def scalar(name: str, kind: str) -> np.ndarray:
        value = fields[name]
        if value.shape != () or value.dtype.kind not in kind:
            raise ValueError(f"field {name!r} is a {value.dtype} array of shape {value.shape}")
        return value

    fmt = int(scalar("format", "iu"))
    if fmt != SAMPLE_FORMAT:
        raise ValueError(f"unknown sample format {fmt}")
    label = int(scalar("label", "i"))
    created = str(scalar("created", "U"))
    checksum = str(scalar("checksum", "U"))
    pen_width = float(scalar("pen_width", "f"))
    x28, points, lengths = fields["x28"], fields["points"], fields["stroke_lengths"]
    if x28.shape != (SIDE, SIDE) or x28.dtype != np.float32:
        raise ValueError(f"x28 is a {x28.dtype} array of shape {x28.shape}, not float32 28x28")
    if points.ndim != 2 or points.shape[1:] != (2,) or points.dtype != np.float32:
        raise ValueError(f"points is a {points.dtype} array of shape {points.shape}")
    if lengths.ndim != 1 or lengths.dtype != np.int64:
        raise ValueError(f"stroke_lengths is a {lengths.dtype} array of shape {lengths.shape}")
    if checksum != sample_checksum(fmt, label, x28, points, lengths, pen_width, created):
        raise ValueError("its checksum does not match its content")
    if not (np.isfinite(x28).all() and np.isfinite(points).all() and math.isfinite(pen_width)):
        raise ValueError("it contains NaN or infinite values")
    if float(x28.min()) < 0.0 or float(x28.max()) > 1.0:
        raise ValueError("its image has values outside [0, 1]")
    if not 0 <= label <= 9:
        raise ValueError(f"its label {label} is not a digit")
    if label != expected_label:
        raise ValueError(f"it is labelled {label} but its name says {expected_label}")
    if (lengths < 0).any() or int(lengths.sum()) != len(points):
        raise ValueError("its stroke lengths do not add up to its points")
    if pen_width <= 0:
        raise ValueError(f"its pen width {pen_width} is not positive")
    try:
        dt.datetime.fromisoformat(created)
    except ValueError as exc:
        raise ValueError(f"its creation time {created!r} is not a date") from exc
    match = _SAMPLE_NAME.match(path.name)
    sample_id = match.group(2) if match else path.stem.split("_", 1)[-1]
    return _make_sample(sample_id, label, x28, points, lengths, pen_width, created, path)


def _make_sample(
    sample_id: str,
    label: int,
    x28: np.ndarray,
    points: np.ndarray,
    lengths: np.ndarray,
    pen_width: float,
    created: str,
    path: Path | None,
) -> Sample:
    image = np.array(x28, dtype=np.float32)
    image.setflags(write=False)
    all_points = np.array(points, dtype=np.float32)
    all_points.setflags(write=False)
    bounds = np.concatenate(([0], np.cumsum(lengths)))
    strokes = tuple(all_points[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True))
    return Sample(
        id=sample_id,
        label=int(label),
        x28=image,
        strokes=strokes,
        pen_width=float(pen_width),
        created=created,
        path=path,
    )


def _remove_if_stale(entry: os.DirEntry[str]) -> None:
    with contextlib.suppress(OSError):
        info = entry.stat(follow_symlinks=False)
        if time.time() - info.st_mtime > STALE_TEMP_SECONDS:
            os.unlink(entry.path)


def _stack(samples: Sequence[Sample]) -> tuple[np.ndarray, np.ndarray]:
    if not samples:
        return np.zeros((0, SIDE, SIDE), dtype=np.float32), np.zeros(0, dtype=np.int64)
    x = np.stack([sample.x28 for sample in samples]).astype(np.float32, copy=False)
    y = np.array([sample.label for sample in samples], dtype=np.int64)
    return x, y
