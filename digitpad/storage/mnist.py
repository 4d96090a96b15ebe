"""The MNIST database: downloaded once, or read from a local copy, always verified.

Sources, in order of preference:

1. a local copy named by ``--mnist PATH`` or ``DIGITPAD_MNIST``: a directory
   holding LeCun's four IDX files (``.gz`` or uncompressed), or a Keras-style
   ``mnist.npz``;
2. the ``mnist.npz`` that Keras's own loader downloads: reused from Keras's
   cache (``~/.keras/datasets``) when it is there, otherwise fetched from the
   same address with a bounded timeout into digitpad's cache directory.

Whatever the source, the arrays are checked against the known sha256 of the
original MNIST pixels and labels before anything uses them: a corrupt or
foreign file is named in the error and never half-used.

This module is pure Python and numpy: no Qt, no TensorFlow.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from digitpad.storage import paths
from digitpad.storage.atomic import atomic_write_with

KERAS_MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
KERAS_MNIST_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
URL_ENV = "DIGITPAD_MNIST_URL"
DOWNLOAD_TIMEOUT_S = 30.0

# sha256 of each array's raw bytes (the IDX payload after its header); the
# same arrays are in LeCun's files and in Keras's mnist.npz.
_ARRAYS = {
    # name: (IDX file stem, IDX magic, shape, sha256 of the payload)
    "x_train": (
        "train-images-idx3-ubyte",
        0x00000803,
        (60000, 28, 28),
        "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
    ),
    "y_train": (
        "train-labels-idx1-ubyte",
        0x00000801,
        (60000,),
        "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
    ),
    "x_test": (
        "t10k-images-idx3-ubyte",
        0x00000803,
        (10000, 28, 28),
        "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
    ),
    "y_test": (
        "t10k-labels-idx1-ubyte",
        0x00000801,
        (10000,),
        "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
    ),
}

LOCAL_COPY_HELP = (
    "To use a local copy of MNIST, set DIGITPAD_MNIST to a folder holding "
    "LeCun's four files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
    "t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) or to a Keras "
    "mnist.npz file, or pass --mnist PATH to 'digitpad train'."
)


class MnistError(Exception):
    """MNIST could not be obtained, or what was read is not MNIST."""


class MnistDownloadError(MnistError):
    """MNIST could not be downloaded (offline, stalled, refused)."""


@dataclass(frozen=True)
class Mnist:
    """The four MNIST arrays, as uint8, verified.

    Attributes:
        x_train: 60000 x 28 x 28 training images, 0 (paper) to 255 (ink).
        y_train: 60000 training labels, 0-9.
        x_test: 10000 x 28 x 28 test images.
        y_test: 10000 test labels.
        source: where the arrays were read from (for messages and manifests).
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str


ProgressFn = Callable[[int, int], None]


def load_mnist(
    source: str | os.PathLike[str] | None = None,
    *,
    download: bool = True,
    progress: ProgressFn | None = None,
) -> Mnist:
    """Load and verify MNIST.

    Args:
        source: a local copy (directory of IDX files or an ``.npz``); ``None``
            means ``DIGITPAD_MNIST`` if set, else the downloaded copy.
        download: whether a download may be attempted when no copy is cached.
        progress: called as ``progress(bytes_done, bytes_total)`` while
            downloading.

    Returns:
        The verified arrays.

    Raises:
        MnistError: the local copy is missing, corrupt or not MNIST; the
            message names the file and says what to do.
        MnistDownloadError: no copy is cached and the download failed.
    """
    if source is None:
        source = paths.mnist_source()
    if source is not None:
        return _load_local(Path(source).expanduser())
    for cached in _cached_npz_candidates():
        if cached.is_file():
            return _load_npz(cached)
    if not download:
        raise MnistError("MNIST has not been downloaded yet. " + LOCAL_COPY_HELP)
    return _load_npz(_download(progress))


def describe_source(source: str | os.PathLike[str] | None = None) -> str:
    """Say in words where :func:`load_mnist` would read MNIST from."""
    if source is None:
        source = paths.mnist_source()
    if source is not None:
        return f"local copy: {Path(source).expanduser()}"
    for cached in _cached_npz_candidates():
        if cached.is_file():
            return f"downloaded copy: {cached}"
    return f"not downloaded yet (from {_download_url()})"


def _cached_npz_candidates() -> list[Path]:
    keras_home = Path(os.environ.get("KERAS_HOME", Path.home() / ".keras"))
    return [paths.mnist_download_dir() / "mnist.npz", keras_home / "datasets" / "mnist.npz"]


def _load_local(path: Path) -> Mnist:
    if not path.exists():
        raise MnistError(f"MNIST copy not found: {path} does not exist. " + LOCAL_COPY_HELP)
    if path.is_dir():
        return _load_idx_dir(path)
    if path.suffix == ".npz":
        return _load_npz(path)
    raise MnistError(
        f"{path} is neither a folder of MNIST IDX files nor an .npz file. " + LOCAL_COPY_HELP
    )


def _load_idx_dir(folder: Path) -> Mnist:
    arrays = {}
    for name, (stem, magic, shape, digest) in _ARRAYS.items():
        candidates = [folder / f"{stem}.gz", folder / stem]
        found = next((c for c in candidates if c.is_file()), None)
        if found is None:
            raise MnistError(
                f"MNIST file missing: {folder / (stem + '.gz')}. The folder must hold "
                "all four of LeCun's files. " + LOCAL_COPY_HELP
            )
        arrays[name] = _verified(_read_idx(found, magic, shape), name, found, digest)
    return Mnist(**arrays, source=str(folder))


def _read_idx(path: Path, magic: int, shape: tuple[int, ...]) -> np.ndarray:
    header_len = 4 + 4 * len(shape)
    expected = header_len + int(np.prod(shape))
    try:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rb") as stream:
            # Read one byte more than MNIST holds: a longer file is not MNIST,
            # and a decompression bomb never gets to fill memory.
            raw = stream.read(expected + 1)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise MnistError(f"{path} is corrupt or truncated ({exc}); replace it.") from exc
    if len(raw) < header_len or int.from_bytes(raw[:4], "big") != magic:
        raise MnistError(f"{path} is not an MNIST IDX file (wrong magic number); replace it.")
    dims = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(len(shape)))
    if dims != shape:
        raise MnistError(f"{path} holds an array of shape {dims}, expected {shape}.")
    if len(raw) != expected:
        raise MnistError(
            f"{path} is truncated or has trailing data ({len(raw)} bytes decompressed, "
            f"expected {expected}); replace it."
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header_len).reshape(shape)


def _load_npz(path: Path) -> Mnist:
    try:
        with np.load(path, allow_pickle=False) as npz:
            missing = [name for name in _ARRAYS if name not in npz.files]
            if missing:
                raise MnistError(
                    f"{path} is not a Keras MNIST file: it lacks {', '.join(missing)}."
                )
            loaded = {name: npz[name] for name in _ARRAYS}
    except MnistError:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise MnistError(f"{path} is corrupt or truncated ({exc}); replace it.") from exc
    arrays = {}
    for name, (_stem, _magic, shape, digest) in _ARRAYS.items():
        array = loaded[name]
        if array.shape != shape or array.dtype != np.uint8:
            raise MnistError(
                f"{path}: {name} has shape {array.shape} and type {array.dtype}, "
                f"expected {shape} uint8."
            )
        arrays[name] = _verified(array, name, path, digest)
    return Mnist(**arrays, source=str(path))


def _verified(array: np.ndarray, name: str, path: Path, digest: str) -> np.ndarray:
    actual = hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()
    if actual != digest:
        raise MnistError(
            f"{path}: {name} does not match the original MNIST (sha256 {actual[:12]}…, "
            f"expected {digest[:12]}…). The file is corrupt or not MNIST; replace it."
        )
    array = np.array(array, dtype=np.uint8)  # own, writable copy
    array.setflags(write=False)
    return array


def _download_url() -> str:
    return os.environ.get(URL_ENV, "").strip() or KERAS_MNIST_URL


def _download(progress: ProgressFn | None) -> Path:
    """Fetch mnist.npz into the cache; nothing half-written ever stays."""
    url = _download_url()
    target = paths.mnist_download_dir() / "mnist.npz"
    deadline = time.monotonic() + 20 * DOWNLOAD_TIMEOUT_S

    def fetch(out: BinaryIO) -> None:
        digest = hashlib.sha256()
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as response:
            total = int(response.headers.get("Content-Length") or 0)
            done = 0
            while chunk := response.read(1 << 16):
                out.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
                if time.monotonic() > deadline:
                    raise TimeoutError("the download is too slow")
        if digest.hexdigest() != KERAS_MNIST_SHA256:
            raise MnistDownloadError(
                f"The MNIST download from {url} was corrupted (checksum mismatch). "
                "Try again, or use a local copy. " + LOCAL_COPY_HELP
            )

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Checked inside the write: a corrupt download never replaces anything.
        atomic_write_with(target, fetch, suffix=".part")
    except MnistDownloadError:
        raise
    except (OSError, urllib.error.URLError, TimeoutError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise MnistDownloadError(
            f"Could not download MNIST from {url} ({reason}). digitpad needs the "
            "MNIST database once to train its network. " + LOCAL_COPY_HELP
        ) from exc
    return target
