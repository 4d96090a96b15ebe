"""The model cache: weights-only files, a JSON manifest each, verified before use.

Layout of the cache directory (``paths.models_dir()``)::

    base.json                    manifest of the entry "base" (the commit point)
    base-<sha256[:16]>.npz       its weights: plain arrays, no code, no config
    personal.json, personal-…    the network adapted to the user's handwriting
    active.json                  which entry the app and ``digitpad predict`` use
    quarantine/                  files that failed verification, moved aside
    .lock                        held while writing (two app instances)

    candidate.json, candidate-…  a trained network kept, not in use (it read MNIST
                                 worse than the base; ``digitpad use candidate``)

An entry's weights are always named ``<entry>-<sha256[:16]>.npz``, so the
files of an entry are known even when its manifest is garbage.

A save writes the weights under a content-addressed name (temp file, fsync,
``os.replace``), then replaces the manifest the same way: a crash at any
moment leaves either the old manifest with the old weights or the new
manifest with the new weights, never a mix. A load reads the manifest into a
typed :class:`~digitpad.storage.manifest.Manifest` (every field checked),
reads the weights file once, checks its size and sha256, then the archive's
member names and declared sizes (before anything is decompressed), then each
array's header against the architecture, and only then hands out the
arrays. An entry that fails is quarantined whole (manifest and weights) and
reported, never loaded and never deleted. Files are opened non-blocking
after their type is checked: a named pipe or a device put in the cache is
refused, not waited on.

Pure Python and numpy: no Qt, no TensorFlow.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from digitpad.storage import paths
from digitpad.storage.atomic import TEMP_PREFIX, atomic_write, fsync_dir
from digitpad.storage.folder_lock import folder_lock
from digitpad.storage.manifest import (
    ENTRY_NAME,
    FORMAT,
    MAX_WEIGHTS_BYTES,
    WEIGHTS_NAME,
    Manifest,
)
from digitpad.storage.safe_files import (
    is_plain_file,
    move_aside,
    parse_weights,
    read_regular_file,
    write_failure_message,
)

MANIFEST_FORMAT = FORMAT
LOCK_TIMEOUT_S = 120.0
ACTIVE_FILE = "active.json"
MAX_MANIFEST_BYTES = 1 << 20
_WEIGHTS_NAME = WEIGHTS_NAME
_ENTRY_NAME = ENTRY_NAME


class StoreError(Exception):
    """The model cache could not be read or written."""


class NoModelError(StoreError):
    """No model has been cached yet (or not under the name asked for)."""


class StaleEntryError(StoreError):
    """A personal network was adapted from a base network that is no longer the base."""


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
    """A directory of verified model entries ("base", "personal", "candidate")."""

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self.root = Path(root) if root is not None else paths.models_dir()

    # -- reading ---------------------------------------------------------

    def manifest_path(self, name: str = "base") -> Path:
        """Path of the manifest of entry ``name``."""
        if not isinstance(name, str) or not _ENTRY_NAME.match(name):
            raise ValueError(f"invalid model entry name {name!r}: use lowercase letters")
        return self.root / f"{name}.json"

    def has(self, name: str = "base") -> bool:
        """Whether a manifest exists for ``name`` (not yet verified)."""
        return os.path.lexists(self.manifest_path(name))

    def entry(self, name: str = "base") -> Manifest:
        """Read and check the manifest of ``name`` (not the weights), typed.

        Raises:
            NoModelError: there is no entry ``name``.
            CorruptModelError: the manifest is unusable; the entry (manifest
                and weights) was quarantined.
            StoreError: it cannot be read (permissions); nothing was moved.
        """
        path = self.manifest_path(name)
        if not os.path.lexists(path):
            if name == "base":
                raise NoModelError(f"No trained model is cached yet (looked for {path}).")
            raise NoModelError(f"There is no {name} network in the cache (looked for {path}).")
        try:
            raw = read_regular_file(path, MAX_MANIFEST_BYTES)
        except PermissionError as exc:
            raise StoreError(
                f"The model manifest {path} cannot be read ({exc.strerror}); "
                "check the permissions of the models folder."
            ) from exc
        except (OSError, ValueError) as exc:
            raise self._reject(name, f"its manifest {path.name} is unreadable ({exc})") from exc
        try:
            manifest = Manifest.from_dict(json.loads(raw))
        except (ValueError, RecursionError) as exc:
            # UnicodeDecodeError and JSONDecodeError are ValueErrors.
            raise self._reject(name, f"its manifest {path.name} is unusable ({exc})") from exc
        if manifest.name != name:
            raise self._reject(name, f"its manifest {path.name} describes entry {manifest.name!r}")
        return manifest

    def read_manifest(self, name: str = "base") -> dict[str, Any]:
        """:meth:`entry` as a plain dict (every field already type-checked).

        Raises:
            NoModelError: there is no entry ``name``.
            CorruptModelError: the manifest is unusable (the entry is quarantined).
            StoreError: it cannot be read (permissions).
        """
        return self.entry(name).as_dict()

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
            The weight arrays and the manifest (a plain dict, every field checked).

        Raises:
            NoModelError: nothing is cached under ``name``.
            CorruptModelError: verification failed; the entry was quarantined.
            StoreError: a file cannot be read (permissions); nothing was moved.
        """
        manifest = self.entry(name)
        if manifest.architecture != architecture:
            raise self._reject(
                name, f"it is a {manifest.architecture!r} network, not {architecture!r}"
            )
        raw = self._verified_weights(manifest)
        try:
            weights = parse_weights(raw, shapes)
        except ValueError as exc:
            raise self._reject(name, str(exc)) from exc
        if not all(np.isfinite(w).all() for w in weights):
            raise self._reject(name, "its weights contain NaN or infinity")
        return weights, manifest.as_dict()

    def active_name(self) -> str:
        """The entry in use: as ``active.json`` says (``"personal"`` once adopted), else base.

        A missing or unreadable ``active.json`` means ``"base"``.
        """
        try:
            data = json.loads(read_regular_file(self.root / ACTIVE_FILE, 4096))
            name = data["active"]
        except (OSError, ValueError, TypeError, KeyError):
            return "base"
        return name if isinstance(name, str) and _ENTRY_NAME.match(name) else "base"

    def stale_reason(self, name: str) -> str | None:
        """Why entry ``name`` must not be put in use over the current base, or ``None``.

        A personal network records the base it was adapted from
        (``base_sha256``); once another base is cached it no longer belongs.

        Raises:
            StoreError: ``name`` or the base cannot be read (see :meth:`entry`).
        """
        manifest = self.entry(name)
        if manifest.base_sha256 is None:
            return None
        try:
            base = self.entry("base")
        except NoModelError:
            return f"the {name} network was adapted from a base network that is gone"
        if base.sha256 != manifest.base_sha256:
            return (
                f"the {name} network was adapted from an earlier base network "
                f"({manifest.base_created or 'date unknown'}), not the one cached now "
                f"({base.created})"
            )
        return None

    # -- writing ---------------------------------------------------------

    def set_active(self, name: str) -> None:
        """Make entry ``name`` the one in use (atomic).

        Raises:
            StaleEntryError: ``name`` was adapted from another base network.
            StoreError: it could not be written, or ``name`` cannot be read.
        """
        self.manifest_path(name)  # validates the name
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with self.lock():
                if name != "base":
                    reason = self.stale_reason(name)
                    if reason is not None:
                        raise StaleEntryError(
                            f"Not switched: {reason}. Adapt again to make one for the "
                            "current base (digitpad adapt)."
                        )
                atomic_write(self.root / ACTIVE_FILE, json.dumps({"active": name}).encode())
        except OSError as exc:
            raise StoreError(
                write_failure_message(self.root, exc, "record the model choice")
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
            ValueError: ``info`` has a field of the wrong type (the message names it).
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
        # Through JSON first: what is checked and returned is what is written
        # (tuples become lists) and what every later read will see.
        info = json.loads(json.dumps(info))
        manifest = Manifest.from_dict(
            {
                **info,
                "format": MANIFEST_FORMAT,
                "name": name,
                "weights_file": weights_file,
                "sha256": digest,
                "size": len(raw),
                "created": info.get("created")
                or dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            }
        )
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with self.lock():
                self._write_entry(manifest, raw)
        except OSError as exc:
            raise StoreError(write_failure_message(self.root, exc, "save the model")) from exc
        return manifest.as_dict()

    def promote(self, src_name: str, dst_name: str) -> dict[str, Any]:
        """Make entry ``src_name`` entry ``dst_name`` (e.g. a kept candidate the base).

        File work only (no TensorFlow): the source's weights are verified
        against its manifest (size, sha256), written under the destination's
        name, the destination's manifest replaced atomically, then the source
        entry removed. A crash leaves the old or the new destination whole.
        The entry in use is not changed (see :meth:`set_active`).

        Returns:
            The destination's new manifest.

        Raises:
            NoModelError: there is no ``src_name``.
            CorruptModelError: it failed verification (it was quarantined).
            StoreError: the cache could not be written.
        """
        self.manifest_path(dst_name)  # validates the name
        if src_name == dst_name:
            raise ValueError("promote needs two different entries")
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with self.lock():
                source = self.entry(src_name)
                raw = self._verified_weights(source)
                promoted = source.renamed(dst_name, f"{dst_name}-{source.sha256[:16]}.npz")
                self._write_entry(promoted, raw)
                self._remove_entry(src_name)
        except OSError as exc:
            raise StoreError(write_failure_message(self.root, exc, "switch the model")) from exc
        return promoted.as_dict()

    def remove(self, name: str) -> None:
        """Delete entry ``name`` (manifest first, so it is never half there)."""
        with self.lock():
            self._remove_entry(name)

    def clean(self) -> list[Path]:
        """Sweep what a killed save left: temp files, and weights no manifest names.

        A weights file is deleted only when its entry's manifest is valid and
        names another file (the debris of an interrupted save). A weights
        file whose entry has no manifest at all is moved to ``quarantine/``,
        not deleted: it may be the only copy of a network. Skipped (returns
        ``[]``) when another process holds the lock.

        Returns:
            The files deleted or moved aside.
        """
        removed: list[Path] = []
        if not self.root.is_dir():
            return removed
        try:
            with self.lock(timeout=0):
                for path in sorted(self.root.iterdir()):
                    if not is_plain_file(path):
                        continue
                    if path.name.startswith(TEMP_PREFIX):
                        with contextlib.suppress(OSError):
                            path.unlink()
                            removed.append(path)
                        continue
                    if not _WEIGHTS_NAME.match(path.name):
                        continue
                    owner = path.name.split("-", 1)[0]
                    if not self.has(owner):
                        with contextlib.suppress(OSError):
                            removed.append(move_aside(path, self.root / "quarantine"))
                        continue
                    try:
                        referenced = self.entry(owner).weights_file
                    except StoreError:
                        continue  # quarantined whole (or unreadable): not ours to sweep
                    if path.name != referenced and path.exists():
                        with contextlib.suppress(OSError):
                            path.unlink()
                            removed.append(path)
        except (TimeoutError, OSError):
            return removed
        return removed

    def lock(self, timeout: float = LOCK_TIMEOUT_S) -> contextlib.AbstractContextManager[None]:
        """Hold the cache's inter-process write lock (re-entrant within a thread).

        Raises:
            TimeoutError: another process held it for ``timeout`` seconds.
        """
        return folder_lock(self.root, timeout)

    # -- internals -------------------------------------------------------

    def _verified_weights(self, manifest: Manifest) -> bytes:
        """The bytes of ``manifest``'s weights file, checked for size and sha256."""
        path = self.root / manifest.weights_file
        try:
            raw = read_regular_file(path, MAX_WEIGHTS_BYTES)
        except FileNotFoundError as exc:
            raise self._reject(manifest.name, f"its weights file {path.name} is missing") from exc
        except PermissionError as exc:
            raise StoreError(
                f"The weights file {path} cannot be read ({exc.strerror}); "
                "check the permissions of the models folder."
            ) from exc
        except (OSError, ValueError) as exc:
            raise self._reject(
                manifest.name, f"its weights file {path.name} is unreadable ({exc})"
            ) from exc
        if len(raw) != manifest.size:
            raise self._reject(
                manifest.name,
                f"its weights file is {len(raw)} bytes, the manifest says {manifest.size}",
            )
        if hashlib.sha256(raw).hexdigest() != manifest.sha256:
            raise self._reject(
                manifest.name, "its weights file does not match the manifest's sha256"
            )
        return raw

    def _write_entry(self, manifest: Manifest, raw: bytes) -> None:
        """Write weights then manifest of an entry (lock held); drop its old weights."""
        previous = self._referenced_weights(manifest.name)
        atomic_write(self.root / manifest.weights_file, raw)
        atomic_write(
            self.manifest_path(manifest.name),
            json.dumps(manifest.as_dict(), indent=2).encode() + b"\n",
        )
        if previous and previous != manifest.weights_file:
            with contextlib.suppress(OSError):
                (self.root / previous).unlink()

    def _remove_entry(self, name: str) -> None:
        previous = self._referenced_weights(name)
        with contextlib.suppress(FileNotFoundError):
            self.manifest_path(name).unlink()
        if previous:
            with contextlib.suppress(FileNotFoundError):
                (self.root / previous).unlink()
        fsync_dir(self.root)

    def _referenced_weights(self, name: str) -> str | None:
        try:
            raw = read_regular_file(self.manifest_path(name), MAX_MANIFEST_BYTES)
            manifest = Manifest.from_dict(json.loads(raw))
        except (OSError, ValueError, RecursionError):
            return None
        return manifest.weights_file if manifest.name == name else None

    def _reject(self, name: str, reason: str) -> CorruptModelError:
        """Quarantine entry ``name`` whole; the error to raise."""
        return CorruptModelError(reason, self._quarantine_entry(name))

    def _quarantine_entry(self, name: str) -> list[Path]:
        """Move entry ``name``'s manifest and every ``<name>-*.npz`` into ``quarantine/``.

        The weights go with the manifest: left behind, an intact weights file
        would look like the debris of a killed save and be swept.
        """
        files = [self.manifest_path(name)]
        with contextlib.suppress(OSError):
            files += sorted(
                path
                for path in self.root.iterdir()
                if _WEIGHTS_NAME.match(path.name) and path.name.split("-", 1)[0] == name
            )
        moved = []
        for path in files:
            if not os.path.lexists(path):
                continue
            try:
                moved.append(move_aside(path, self.root / "quarantine"))
            except OSError:
                # A read-only cache cannot be cleaned up; verification still
                # refuses the entry on every start, so nothing bad is loaded.
                continue
        return moved
