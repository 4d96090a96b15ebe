"""The model cache: weights-only files, a JSON manifest each, verified before use.

Layout of the cache directory (``paths.models_dir()``)::

    base.json                    manifest of the entry "base" (the commit point)
    base-<sha256[:16]>.npz       its weights: plain arrays, no code, no config
    personal.json, personal-…    the network adapted to the user's handwriting
    active.json                  which entry the app and ``digitpad predict`` use
    quarantine/                  files that failed verification, moved aside
    .lock                        held while writing (two app instances)

A save writes the weights under a content-addressed name (temp file, fsync,
``os.replace``), then replaces the manifest the same way: a crash at any
moment leaves either the old manifest with the old weights or the new
manifest with the new weights, never a mix. A load reads the weights file
once, checks its size and sha256 against the manifest, then its array
shapes against the architecture, and only then hands out the arrays;
anything that fails is quarantined and reported, never loaded.

Pure Python and numpy: no Qt, no TensorFlow.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import re
import stat
import tempfile
import time
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from digitpad.storage import paths

MANIFEST_FORMAT = 1
MAX_WEIGHTS_BYTES = 64 * 1024 * 1024
LOCK_TIMEOUT_S = 120.0
ACTIVE_FILE = "active.json"
_WEIGHTS_NAME = re.compile(r"^[a-z]+-[0-9a-f]{16}\.npz$")
_ENTRY_NAME = re.compile(r"^[a-z]+$")


class StoreError(Exception):
    """The model cache could not be read or written."""


class NoModelError(StoreError):
    """No model has been cached yet."""


class CorruptModelError(StoreError):
    """A cached model failed verification and was moved aside.

    Attributes:
        reason: what was wrong, in words.
        quarantined: where the offending files were moved.
    """

    def __init__(self, reason: str, quarantined: Sequence[Path]) -> None:
        self.reason = reason
        self.quarantined = list(quarantined)
        where = f" Moved aside to {self.quarantined[0].parent}." if self.quarantined else ""
        super().__init__(f"The cached model is unusable: {reason}.{where}")


class ModelStore:
    """A directory of verified model entries ("base", later "personal")."""

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self.root = Path(root) if root is not None else paths.models_dir()

    # -- reading ---------------------------------------------------------

    def manifest_path(self, name: str = "base") -> Path:
        """Path of the manifest of entry ``name``."""
        if not _ENTRY_NAME.match(name):
            raise ValueError(f"invalid model entry name {name!r}: use lowercase letters")
        return self.root / f"{name}.json"

    def has(self, name: str = "base") -> bool:
        """Whether a manifest exists for ``name`` (not yet verified)."""
        return os.path.lexists(self.manifest_path(name))

    def read_manifest(self, name: str = "base") -> dict[str, Any]:
        """Read and check the manifest of ``name`` (not the weights).

        Raises:
            NoModelError: there is no entry ``name``.
            CorruptModelError: the manifest is unreadable (it is quarantined).
        """
        path = self.manifest_path(name)
        if not os.path.lexists(path):
            raise NoModelError(f"No trained model is cached yet (looked for {path}).")
        try:
            manifest = json.loads(_read_regular_file(path, 1 << 20))
            _check_manifest(manifest)
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise CorruptModelError(
                f"its manifest {path.name} is unreadable ({exc})", self._quarantine([path])
            ) from exc
        return manifest

    def load(
        self,
        name: str = "base",
        *,
        architecture: str,
        shapes: Sequence[tuple[int, ...]],
    ) -> tuple[list[np.ndarray], dict[str, Any]]:
        """Verify and read entry ``name``.

        Args:
            name: the entry.
            architecture: the architecture id the caller will build.
            shapes: the weight shapes of that architecture, in order.

        Returns:
            The weight arrays and the manifest.

        Raises:
            NoModelError: nothing is cached under ``name``.
            CorruptModelError: verification failed; the files were quarantined.
        """
        manifest = self.read_manifest(name)
        manifest_path = self.manifest_path(name)
        weights_path = self.root / manifest["weights_file"]

        def reject(reason: str) -> CorruptModelError:
            return CorruptModelError(reason, self._quarantine([manifest_path, weights_path]))

        if manifest["architecture"] != architecture:
            raise reject(f"it is a {manifest['architecture']!r} network, not {architecture!r}")
        try:
            raw = _read_regular_file(weights_path, MAX_WEIGHTS_BYTES)
        except FileNotFoundError as exc:
            raise reject(f"its weights file {weights_path.name} is missing") from exc
        except (OSError, ValueError) as exc:
            raise reject(f"its weights file {weights_path.name} is unreadable ({exc})") from exc
        if len(raw) != manifest["size"]:
            raise reject(
                f"its weights file is {len(raw)} bytes, the manifest says {manifest['size']}"
            )
        if hashlib.sha256(raw).hexdigest() != manifest["sha256"]:
            raise reject("its weights file does not match the manifest's sha256")
        try:
            with np.load(io.BytesIO(raw), allow_pickle=False) as npz:
                weights = [npz[f"w{i}"] for i in range(len(npz.files))]
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
            raise reject(f"its weights file cannot be parsed ({exc})") from exc
        actual = [tuple(w.shape) for w in weights]
        if actual != [tuple(s) for s in shapes] or any(w.dtype != np.float32 for w in weights):
            raise reject("its weights do not fit the network's architecture")
        if not all(np.isfinite(w).all() for w in weights):
            raise reject("its weights contain NaN or infinity")
        return weights, manifest

    def active_name(self) -> str:
        """The entry in use: ``"personal"`` once adopted, until Use base model; else ``"base"``.

        A missing or unreadable ``active.json`` means ``"base"``.
        """
        try:
            data = json.loads(_read_regular_file(self.root / ACTIVE_FILE, 4096))
            name = data["active"]
        except (OSError, ValueError, TypeError, KeyError):
            return "base"
        return name if isinstance(name, str) and _ENTRY_NAME.match(name) else "base"

    # -- writing ---------------------------------------------------------

    def set_active(self, name: str) -> None:
        """Make entry ``name`` the one in use (atomic).

        Raises:
            StoreError: it could not be written.
        """
        self.manifest_path(name)  # validates the name
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with self.lock():
                _atomic_write(self.root / ACTIVE_FILE, json.dumps({"active": name}).encode())
        except OSError as exc:
            raise StoreError(
                f"Could not record the model choice in {self.root} ({exc.strerror or exc})."
            ) from exc

    def save(
        self, weights: Sequence[np.ndarray], info: dict[str, Any], name: str = "base"
    ) -> dict[str, Any]:
        """Atomically store ``weights`` as entry ``name``.

        Args:
            weights: the model's weight arrays (``model.get_weights()``).
            info: manifest fields: ``architecture`` (required), recipe, test
                loss and accuracy, versions...
            name: the entry.

        Returns:
            The manifest written.

        Raises:
            StoreError: the cache directory cannot be written (read-only, disk
                full...); the previous entry is left as it was.
        """
        if "architecture" not in info:
            raise ValueError("info must name the architecture")
        buffer = io.BytesIO()
        np.savez(
            buffer, **{f"w{i}": np.asarray(w, dtype=np.float32) for i, w in enumerate(weights)}
        )
        raw = buffer.getvalue()
        digest = hashlib.sha256(raw).hexdigest()
        weights_file = f"{name}-{digest[:16]}.npz"
        manifest = {
            **info,
            "format": MANIFEST_FORMAT,
            "name": name,
            "weights_file": weights_file,
            "sha256": digest,
            "size": len(raw),
            "created": info.get("created")
            or dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        manifest_path = self.manifest_path(name)
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with self.lock():
                previous = self._referenced_weights(name)
                _atomic_write(self.root / weights_file, raw)
                _atomic_write(manifest_path, json.dumps(manifest, indent=2).encode() + b"\n")
                if previous and previous != weights_file:
                    with contextlib.suppress(OSError):
                        (self.root / previous).unlink()
        except OSError as exc:
            raise StoreError(
                f"Could not save the model in {self.root} ({exc.strerror or exc}). "
                "The model stays in use until the app closes; free disk space or "
                "make the folder writable to keep it."
            ) from exc
        return manifest

    def remove(self, name: str) -> None:
        """Delete entry ``name`` (manifest first, so it is never half there)."""
        with self.lock():
            previous = self._referenced_weights(name)
            with contextlib.suppress(FileNotFoundError):
                self.manifest_path(name).unlink()
            if previous:
                with contextlib.suppress(FileNotFoundError):
                    (self.root / previous).unlink()

    def clean(self) -> list[Path]:
        """Remove temp files left by a killed save and unreferenced weights.

        Skipped (returns ``[]``) when another process holds the lock.
        """
        removed: list[Path] = []
        if not self.root.is_dir():
            return removed
        try:
            with self.lock(timeout=0):
                referenced = {
                    self._referenced_weights(p.stem)
                    for p in self.root.glob("*.json")
                    if _ENTRY_NAME.match(p.stem)
                }
                for path in self.root.iterdir():
                    stray = path.name.startswith(".tmp-") or (
                        _WEIGHTS_NAME.match(path.name) and path.name not in referenced
                    )
                    if stray and path.is_file():
                        with contextlib.suppress(OSError):
                            path.unlink()
                            removed.append(path)
        except (TimeoutError, OSError):
            return removed
        return removed

    @contextlib.contextmanager
    def lock(self, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
        """Hold the cache's inter-process write lock.

        Raises:
            TimeoutError: another process held it for ``timeout`` seconds.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a+b") as handle:
            deadline = time.monotonic() + timeout
            while not _try_lock(handle):
                if time.monotonic() >= deadline:
                    raise TimeoutError(f"another digitpad is writing to {self.root}")
                time.sleep(0.05)
            try:
                yield
            finally:
                _unlock(handle)

    # -- internals -------------------------------------------------------

    def _referenced_weights(self, name: str) -> str | None:
        try:
            manifest = json.loads(_read_regular_file(self.manifest_path(name), 1 << 20))
            _check_manifest(manifest)
        except (OSError, ValueError, TypeError, KeyError):
            return None
        return manifest["weights_file"]

    def _quarantine(self, files: Sequence[Path]) -> list[Path]:
        """Move ``files`` into ``quarantine/`` with a time stamp; return new paths."""
        moved = []
        for path in files:
            if not os.path.lexists(path):
                continue
            try:
                moved.append(move_aside(path, self.root / "quarantine"))
            except OSError:
                # A read-only cache cannot be cleaned up; verification still
                # refuses the file on every start, so nothing bad is loaded.
                continue
        return moved


def move_aside(path: Path, folder: Path) -> Path:
    """Move ``path`` into ``folder`` under a time-stamped, unused name; return it.

    Raises:
        OSError: it could not be moved (read-only folder...).
    """
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{stamp}-{path.name}"
    counter = 1
    while os.path.lexists(target):
        target = folder / f"{stamp}-{counter}-{path.name}"
        counter += 1
    os.replace(path, target)
    return target


def _check_manifest(manifest: Any) -> None:
    if not isinstance(manifest, dict):
        raise ValueError("not a JSON object")
    if manifest.get("format") != MANIFEST_FORMAT:
        raise ValueError(f"unknown manifest format {manifest.get('format')!r}")
    for key, kind in (
        ("architecture", str),
        ("weights_file", str),
        ("sha256", str),
        ("size", int),
    ):
        if not isinstance(manifest.get(key), kind):
            raise ValueError(f"field {key!r} missing or not a {kind.__name__}")
    if not _WEIGHTS_NAME.match(manifest["weights_file"]):
        raise ValueError(f"bad weights file name {manifest['weights_file']!r}")
    if not re.fullmatch(r"[0-9a-f]{64}", manifest["sha256"]):
        raise ValueError("bad sha256")


def _read_regular_file(path: Path, limit: int) -> bytes:
    """Read a regular file, refusing symlinks, devices and oversized files."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    if os.path.islink(path):
        raise ValueError(f"{path.name} is a symbolic link")
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(f"{path.name} is not a regular file")
        if info.st_size > limit:
            raise ValueError(f"{path.name} is too large ({info.st_size} bytes)")
        return handle.read(limit + 1)


def _atomic_write(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` via a temp file, fsync and ``os.replace``."""
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(target.parent)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


try:
    import fcntl

    def _try_lock(handle: Any) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(handle: Any) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

except ImportError:  # Windows
    import msvcrt

    def _try_lock(handle: Any) -> bool:
        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: Any) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
