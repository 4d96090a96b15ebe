"""The user's kept drawings as a dataset: export to a folder, import from one.

An export (``digitpad export-samples DIR``, File > Export My Digits…) is a
new folder::

    0/ … 9/                     <id>.png: the 28 x 28 input the network read,
                                white ink on black like MNIST, one per drawing
    labels.csv                  file, digit, date, pen_width (one row per PNG)
    strokes.jsonl               {"file", "digit", "pen_width", "strokes"} per
                                drawing that has strokes (canvas units)
    images-idx3-ubyte.gz        the same images and digits in MNIST's IDX
    labels-idx1-ubyte.gz        format, in the order of labels.csv
    samples/<digit>_<id>.npz    the drawings as digitpad keeps them: exact
                                values, strokes, checksum

It is written in a temporary folder beside ``DIR`` and renamed into place,
so a failure leaves no half export.

An import (``digitpad import-samples DIR``, File > Import Drawings…) adds to
the store, each verified:

* digitpad sample files (``<digit>_<id>.npz``, in ``DIR`` or ``DIR/samples``),
  checked like the store's own; their values and strokes come back exactly;
* images in digit folders (``DIR/3/anything.png``, the layout of an export
  and of many datasets), unless the same drawing came as a sample file;
* images named ``<digit>_<anything>.png`` in ``DIR``.

An image of exactly 28 x 28 pixels is taken as it is (it is in MNIST form
already); any other size is prepared like a drawing on the canvas. Images
are read by :func:`digitpad.drawing.images.load_ink` and sample files by
:func:`~digitpad.storage.samples.read_sample`, both made for hostile files.
A drawing already in the store (same digit, same 28 x 28 values) is not
added twice. What cannot be read is skipped and reported.

No TensorFlow, no widgets; Qt's image readers only when an image is imported.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import struct
import tempfile
import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from digitpad.storage.safe_files import read_regular_file
from digitpad.storage.sample_folders import IMAGE_SUFFIXES, skipped
from digitpad.storage.samples import (
    MAX_SAMPLE_BYTES,
    SIDE,
    PreparedSample,
    Sample,
    SampleError,
    SampleStore,
    prepare_sample,
    read_sample,
)

LABELS_CSV = "labels.csv"
STROKES_JSONL = "strokes.jsonl"
IDX_IMAGES = "images-idx3-ubyte.gz"
IDX_LABELS = "labels-idx1-ubyte.gz"
SAMPLES_FOLDER = "samples"
CSV_FIELDS = ("file", "digit", "date", "pen_width")
#: The files of an export that are not drawings (an import passes over them).
INDEX_FILES = frozenset({LABELS_CSV, STROKES_JSONL, IDX_IMAGES, IDX_LABELS})

_IDX_IMAGES_MAGIC = 0x00000803
_IDX_LABELS_MAGIC = 0x00000801
_SAMPLE_FILE = re.compile(r"^([0-9])_([0-9A-Za-z-]+)\.npz$")
_DIGIT_PREFIX = re.compile(r"^([0-9])_")
_DIGIT_FOLDERS = frozenset(str(digit) for digit in range(10))

#: Files an export writes at once.
WRITERS = 8
#: Drawings an import adds at once (all or none of each batch): one folder
#: fsync per batch, and the files of a batch fsynced several at once.
BATCH = 1000

#: ``progress(done, total)``; returns ``False`` to stop (an import keeps what it added).
Progress = Callable[[int, int], bool | None]


@dataclass
class ExportReport:
    """What an export wrote.

    Attributes:
        folder: the export's folder.
        count: drawings exported.
        with_strokes: how many of them have strokes (lines of strokes.jsonl).
    """

    folder: Path
    count: int
    with_strokes: int


@dataclass
class ImportReport:
    """What an import did.

    Attributes:
        added: drawings added to the store.
        duplicates: drawings found already in the store, not added again.
        problems: files skipped, in words (one per file).
        stopped: the import was stopped before the end (what was added stays).
    """

    added: int = 0
    duplicates: int = 0
    problems: list[str] = field(default_factory=list)
    stopped: bool = False


# -- export ----------------------------------------------------------------


def export_samples(samples: Sequence[Sample], folder: str | os.PathLike[str]) -> ExportReport:
    """Write ``samples`` as a dataset in the new folder ``folder``.

    Args:
        samples: the drawings (e.g. ``SampleStore().samples()``), in the
            order of labels.csv and the IDX files.
        folder: a folder that does not exist yet, or an empty one.

    Returns:
        What was written.

    Raises:
        SampleError: ``folder`` is a file or not empty, there is no drawing,
            or it could not be written (nothing is left behind then).
    """
    target = Path(folder)
    if not samples:
        raise SampleError("There are no kept drawings to export yet.")
    if target.exists() or target.is_symlink():
        if not target.is_dir() or target.is_symlink():
            raise SampleError(f"{target} is not a folder; choose a new or empty folder.")
        if any(target.iterdir()):
            raise SampleError(f"{target} is not empty; choose a new or empty folder.")
    blocker = _file_in_the_way(target.parent)
    if blocker is not None:
        # mkdir would only say "File exists".
        raise SampleError(
            f"{blocker} is a file, not a folder, so {target} cannot be created; "
            "choose a new or empty folder."
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    except OSError as exc:
        raise SampleError(f"Could not create {target} ({exc.strerror or exc}).") from exc
    try:
        with_strokes = _write_export(samples, work)
        if target.is_dir():
            target.rmdir()
        os.replace(work, target)
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise SampleError(
            f"Could not export to {target} ({exc.strerror or exc}). Free disk space or "
            "choose a writable folder; nothing was written."
        ) from exc
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return ExportReport(folder=target, count=len(samples), with_strokes=with_strokes)


def _file_in_the_way(folder: Path) -> Path | None:
    """The nearest existing one of ``folder`` and its parents, if it is not a folder.

    Args:
        folder: a folder to be created (with its missing parents).

    Returns:
        That path (a file, or a link to none), or ``None`` if it is a folder.
    """
    probe = folder
    while not os.path.lexists(probe) and probe.parent != probe:
        probe = probe.parent
    return probe if os.path.lexists(probe) and not probe.is_dir() else None


def _write_export(samples: Sequence[Sample], work: Path) -> int:
    """Write every file of an export into ``work``; return how many have strokes."""
    images = to_uint8(np.stack([sample.x28 for sample in samples]))
    labels = np.array([sample.label for sample in samples], dtype=np.uint8)
    rows: list[tuple[str, int, str, str]] = []
    stroke_lines: list[str] = []
    folder = os.fspath(work)
    os.mkdir(os.path.join(folder, SAMPLES_FOLDER))
    for digit in range(10):
        os.mkdir(os.path.join(folder, str(digit)))
    # Creating a file is most of the work (two per drawing), in the kernel:
    # several threads at once use every core for it.
    pool = ThreadPoolExecutor(WRITERS, thread_name_prefix="digitpad-export")
    try:
        written = [
            pool.submit(_write_drawing, sample, pixels, folder)
            for sample, pixels in zip(samples, images, strict=True)
        ]
        for sample in samples:
            name = f"{sample.label}/{sample.id}.png"
            rows.append((name, sample.label, sample.created, f"{sample.pen_width:g}"))
            if sample.strokes:
                strokes = [
                    np.round(stroke.astype(np.float64), 2).tolist() for stroke in sample.strokes
                ]
                record = {"file": name, "digit": sample.label, "pen_width": sample.pen_width}
                stroke_lines.append(json.dumps({**record, "strokes": strokes}) + "\n")
        for future in written:
            future.result()
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        pool.shutdown(wait=True)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    writer.writerows(rows)
    (work / LABELS_CSV).write_text(text.getvalue(), encoding="utf-8")
    (work / STROKES_JSONL).write_text("".join(stroke_lines), encoding="utf-8")
    (work / IDX_IMAGES).write_bytes(idx_bytes(images, _IDX_IMAGES_MAGIC))
    (work / IDX_LABELS).write_bytes(idx_bytes(labels, _IDX_LABELS_MAGIC))
    return len(stroke_lines)


def _write_drawing(sample: Sample, pixels: np.ndarray, folder: str) -> None:
    """Write the PNG of ``sample`` and the copy of its file into the export ``folder``."""
    _write_new(os.path.join(folder, str(sample.label), f"{sample.id}.png"), png_bytes(pixels))
    copy = os.path.join(folder, SAMPLES_FOLDER, f"{sample.label}_{sample.id}.npz")
    _write_new(copy, _sample_file_bytes(sample))


def _write_new(path: str, data: bytes) -> None:
    """Write ``data`` to the new file ``path`` (os-level: thousands of small files)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _sample_file_bytes(sample: Sample) -> bytes:
    """The file ``sample`` was read from (verified then; an import verifies it again).

    Raises:
        SampleError: it has no file, or its file is no longer a plain file.
        OSError: it could not be read.
    """
    if sample.path is None:
        raise SampleError(f"The drawing {sample.id} has no file to export.")
    try:
        return read_regular_file(Path(sample.path), MAX_SAMPLE_BYTES)
    except ValueError as exc:
        raise SampleError(
            f"The drawing {sample.id} cannot be exported ({exc}); "
            "open My Digits to check it, then export again."
        ) from exc


def to_uint8(x28: np.ndarray) -> np.ndarray:
    """A 28 x 28 input (ink 1.0) as MNIST's grey levels (ink 255 on 0)."""
    return np.clip(np.rint(np.asarray(x28, dtype=np.float64) * 255.0), 0, 255).astype(np.uint8)


def png_bytes(gray: np.ndarray) -> bytes:
    """An 8-bit greyscale PNG of the uint8 array ``gray`` (H x W).

    Written here (a few lines of the PNG standard) so that exporting needs
    no Qt and no image library.
    """
    pixels = np.ascontiguousarray(gray, dtype=np.uint8)
    height, width = pixels.shape
    # Each row starts with its filter type, 0 (none).
    raw = np.hstack([np.zeros((height, 1), np.uint8), pixels]).tobytes()

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )


def idx_bytes(array: np.ndarray, magic: int) -> bytes:
    """``array`` (uint8) as a gzipped IDX file, as LeCun's MNIST files are."""
    data = np.ascontiguousarray(array, dtype=np.uint8)
    header = struct.pack(">I", magic) + b"".join(struct.pack(">I", n) for n in data.shape)
    # mtime=0: the same drawings export to the same bytes.
    return gzip.compress(header + data.tobytes(), compresslevel=6, mtime=0)


def new_export_folder(parent: str | os.PathLike[str], stem: str = "my-digits") -> Path:
    """A free name for an export inside ``parent``: ``stem``, or ``stem-2``, ``stem-3``..."""
    base = Path(parent)
    candidate = base / stem
    number = 2
    while candidate.exists() or candidate.is_symlink():
        candidate = base / f"{stem}-{number}"
        number += 1
    return candidate


# -- import ----------------------------------------------------------------


@dataclass(frozen=True)
class _Source:
    """One file to import and the digit it is said to be."""

    path: Path
    label: int
    kind: str  # "sample" or "image"


def import_samples(
    folder: str | os.PathLike[str],
    store: SampleStore,
    progress: Progress | None = None,
) -> ImportReport:
    """Add the drawings in ``folder`` to ``store`` (see the module's docstring).

    Args:
        folder: an export, a folder of digit folders, or of ``<digit>_*.png``.
        store: the sample store to add to.
        progress: called as files are read; returning ``False`` stops.

    Returns:
        What was added, found already there, and skipped.

    Raises:
        SampleError: ``folder`` is missing or unreadable, or holds nothing
            to import; or the store could not be written (the drawings are
            added in batches of :data:`BATCH`, each whole or not at all:
            the batches added before stay).
    """
    root = Path(folder)
    if not root.is_dir():
        what = "does not exist" if not root.exists() else "is not a folder"
        raise SampleError(f"{root} {what}; choose the folder holding the drawings.")
    report = ImportReport()
    sources = _find_sources(root, report.problems)
    if not sources:
        details = "".join(f"\n  {problem}" for problem in report.problems[:10])
        raise SampleError(
            f"Nothing to import in {root}: put images named <digit>_<anything>.png there, "
            f"or images in folders named 0 to 9, or digitpad sample files.{details}"
        )
    known = {_key(sample.label, sample.x28) for sample in store.samples()}
    from_samples: set[tuple[int, str]] = set()
    batch: list[PreparedSample] = []
    for done, source in enumerate(sources):
        if progress is not None and progress(done, len(sources)) is False:
            report.stopped = True
            break
        if source.kind == "image" and (source.label, source.path.stem) in from_samples:
            continue  # the same drawing, already read exactly from its sample file
        drawing = _read_source(source, root, report.problems)
        if drawing is None:
            continue
        x28, strokes, pen_width = drawing
        if source.kind == "sample":
            from_samples.add((source.label, _sample_id(source.path)))
        key = _key(source.label, x28)
        if key in known:
            report.duplicates += 1
            continue
        extra = {} if pen_width is None else {"pen_width": pen_width}
        try:
            batch.append(prepare_sample(x28, source.label, strokes, **extra))
        except ValueError as exc:
            report.problems.append(skipped(_shown(source.path, root), str(exc)))
            continue
        known.add(key)
        if len(batch) >= BATCH:
            _store_batch(store, batch, report)
            batch = []
    _store_batch(store, batch, report)
    if progress is not None and not report.stopped:
        progress(len(sources), len(sources))
    return report


def _store_batch(store: SampleStore, batch: list[PreparedSample], report: ImportReport) -> None:
    """Add ``batch`` to ``store`` (all or none) and count it.

    Raises:
        SampleError: it could not be written; the message says what stays.
    """
    try:
        report.added += len(store.add_many(batch))
    except SampleError as exc:
        if not report.added:
            raise
        before = (
            "The drawing imported before stays"
            if report.added == 1
            else f"The {report.added} drawings imported before stay"
        )
        raise SampleError(f"{exc} {before} in the store.") from exc


def _sample_id(path: Path) -> str:
    match = _SAMPLE_FILE.match(path.name)
    return match.group(2) if match else path.stem


def _find_sources(root: Path, problems: list[str]) -> list[_Source]:
    """The files to import: sample files first, so their images are not read twice.

    Looked at: ``root`` itself, its folders ``0`` to ``9`` (every image in one
    is that digit) and its folder ``samples``; nothing deeper.
    """
    samples: list[_Source] = []
    images: list[_Source] = []
    folders: list[tuple[Path, int | None]] = [(root, None)]
    for entry in _entries(root, problems):
        if _is_dir(entry) and entry.name in _DIGIT_FOLDERS:
            folders.append((Path(entry.path), int(entry.name)))
        elif _is_dir(entry) and entry.name == SAMPLES_FOLDER:
            folders.append((Path(entry.path), None))
    for folder, folder_digit in folders:
        for entry in _entries(folder, problems):
            path = Path(entry.path)
            if _is_dir(entry) or (folder == root and entry.name in INDEX_FILES):
                continue
            suffix = path.suffix.lower()
            prefix = _DIGIT_PREFIX.match(entry.name)
            if suffix == ".npz" and prefix is not None:
                samples.append(_Source(path, int(prefix.group(1)), "sample"))
            elif suffix in IMAGE_SUFFIXES and folder_digit is not None:
                images.append(_Source(path, folder_digit, "image"))
            elif suffix in IMAGE_SUFFIXES and prefix is not None:
                images.append(_Source(path, int(prefix.group(1)), "image"))
            else:
                problems.append(
                    f"{_shown(path, root)}: not an image named <digit>_<anything> "
                    "(or in a folder named after its digit) nor a digitpad sample; skipped."
                )
    # Sample files in the order they were kept (their ids are times), then images.
    samples.sort(key=lambda source: (_sample_id(source.path), source.path.name))
    return samples + images


def _entries(folder: Path, problems: list[str]) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as scanner:
            found = [entry for entry in scanner if not entry.name.startswith(".")]
    except OSError as exc:
        problems.append(f"{folder} cannot be read ({exc.strerror or exc}); skipped.")
        return []
    return sorted(found, key=lambda entry: entry.name)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    # A symlinked folder is not followed: it could lead anywhere (or in a loop).
    with contextlib.suppress(OSError):
        return entry.is_dir(follow_symlinks=False)
    return False


def _read_source(
    source: _Source, root: Path, problems: list[str]
) -> tuple[np.ndarray, Sequence[np.ndarray], float | None] | None:
    """The drawing in ``source`` (x28, strokes, pen width or ``None``), or ``None``.

    A file that cannot be read is described in ``problems``.
    """
    shown = _shown(source.path, root)
    if source.kind == "sample":
        try:
            sample = read_sample(source.path, source.label)
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            problems.append(f"{shown}: not a usable digitpad sample ({reason}); skipped.")
            return None
        return sample.x28, sample.strokes, sample.pen_width
    # Qt's image readers: imported only when an image is met.
    from digitpad.drawing.images import ImageError, load_ink
    from digitpad.drawing.mnist_format import to_mnist

    try:
        ink = load_ink(source.path)
        x28 = ink if ink.shape == (SIDE, SIDE) else to_mnist(ink)
    except (ImageError, OSError, ValueError) as exc:
        reason = str(exc).removeprefix(f"{source.path}: ")
        problems.append(skipped(shown, reason))
        return None
    if x28 is None or not np.asarray(x28).any():
        problems.append(f"{shown}: the image is blank (no ink found); skipped.")
        return None
    return np.asarray(x28, dtype=np.float32), (), None


def _key(label: int, x28: np.ndarray) -> tuple[int, bytes]:
    values = np.ascontiguousarray(x28, dtype=np.float32)
    return int(label), hashlib.sha256(values.tobytes()).digest()


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
