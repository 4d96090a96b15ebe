"""Every training kept: its settings, its curves, its figures and its network.

Layout of the runs folder (``paths.runs_dir()``)::

    <run id>/run.json                the record: settings, history, figures
    <run id>/network-<sha[:16]>.npz  its weights (plain arrays, no code), until dropped
    quarantine/<stamp>-<run id>/     a run whose record failed its checks, moved aside
    .lock                            held while writing

A run id is ``YYYYMMDD-HHMMSS-<microseconds>-<4 hex>`` (UTC), so ids sort by age. A run is
written into a temp folder that is renamed into place (a crash leaves the
whole run or a ``.tmp-`` folder, which :meth:`RunStore.clean` sweeps); later
changes (pin, network dropped) replace ``run.json`` atomically. A record is
read into a typed :class:`RunRecord` (every field checked); one that fails is
quarantined and listed as damaged, never loaded. A network is handed out only
after its size and sha256 match the record and its arrays match the shapes
asked for.

Disk use is capped: past :attr:`RunStore.cap_bytes`, the networks of the
oldest unpinned runs are dropped (their records stay); the network in use
(the model store's active entry) and pinned runs are never dropped.

Pure Python and numpy: no Qt, no TensorFlow.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import io
import json
import math
import os
import re
import secrets
import shutil
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from digitpad.storage import paths
from digitpad.storage.atomic import TEMP_PREFIX, atomic_write, fsync_dir
from digitpad.storage.model_store import MAX_MANIFEST_BYTES, ModelStore, StoreError
from digitpad.storage.safe_files import (  # one hardened reader for every cache file
    move_aside,
    parse_weights,
    read_regular_file,
    write_failure_message,
)

FORMAT = 1
RECORD_FILE = "run.json"
CAP_ENV = "DIGITPAD_RUNS_CAP_MB"
#: Default disk cap of the runs' networks (a LeNet's weights are 3.7 MB).
DEFAULT_CAP_BYTES = 200 * 1024 * 1024
#: A record larger than this is not ours (the seed recipe's curves are ~200 kB).
MAX_RECORD_BYTES = max(MAX_MANIFEST_BYTES, 16 * 1024 * 1024)
KINDS = ("train", "ladder", "import")
RUN_ID = re.compile(r"^\d{8}-\d{6}-\d{6}-[0-9a-f]{4}$")
NETWORK_FILE = re.compile(r"^network-[0-9a-f]{16}\.npz$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_HISTORY_LISTS = ("batch_x", "batch_loss", "batch_accuracy")


class RunError(StoreError):
    """A run could not be read, written or found."""


@dataclass(frozen=True)
class RunRecord:
    """What a run's ``run.json`` says, every field checked.

    Attributes:
        id: the run id (``YYYYMMDD-HHMMSS-<microseconds>-<4 hex>``).
        created: when it was recorded, ISO-8601.
        kind: ``train``, ``ladder`` (one rung of Try Learning Rates) or ``import``.
        label: a one-line description for people.
        settings: the recipe as plain data (``None`` for an imported network).
        history: ``batch_x``, ``batch_loss``, ``batch_accuracy`` lists and
            ``epochs`` (per-epoch Keras logs with ``epoch``).
        test_accuracy: accuracy on MNIST's 10,000 test images.
        test_loss: loss on them.
        pen_test_accuracy: accuracy on pendigits-test (writers never trained
            on); ``None``: unknown (no copy of it was found).
        pen_test_images: how many pendigits-test digits that was measured on.
        seconds: training time (fitting alone).
        network: ``{"file", "sha256", "size", "shapes"}`` of its weights, or ``None``
            once dropped (or never kept).
        network_note: why there is no network.
        pinned: kept whatever the disk cap.
        architecture: the architecture id its network was made for.
        source: where an imported network came from (``file``, ``sha256``, ``format``).
        entry_sha256: the model-store entry it was saved as (its sha256), if any.
        outcome: what became of it ("in use", "kept as candidate", …).
        format: the record format (1).
        extra: fields this version does not know, kept as read.
    """

    id: str
    created: str
    kind: str
    label: str
    settings: dict[str, Any] | None = None
    history: dict[str, Any] = field(default_factory=dict)
    test_accuracy: float | None = None
    test_loss: float | None = None
    pen_test_accuracy: float | None = None
    pen_test_images: int | None = None
    seconds: float | None = None
    network: dict[str, Any] | None = None
    network_note: str = ""
    pinned: bool = False
    architecture: str = ""
    source: dict[str, Any] | None = None
    entry_sha256: str | None = None
    outcome: str = ""
    format: int = FORMAT
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Any) -> RunRecord:
        """Check ``data`` (parsed JSON) field by field.

        Raises:
            ValueError: a field is missing, of the wrong type or out of range
                (the message names it).
        """
        if not isinstance(data, Mapping):
            raise ValueError("the run record is not a JSON object")
        data = dict(data)
        if data.get("format") != FORMAT or isinstance(data.get("format"), bool):
            raise ValueError(f"unknown run format {data.get('format')!r} (this reads {FORMAT})")
        run_id = _get(data, "id", str, required=True)
        if not RUN_ID.match(run_id):
            raise ValueError(f"field 'id' is not a run id: {run_id!r:.40}")
        created = _get(data, "created", str, required=True)
        try:
            dt.datetime.fromisoformat(created)
        except ValueError:
            raise ValueError(f"field 'created' is not an ISO-8601 date: {created!r:.40}") from None
        kind = _get(data, "kind", str, required=True)
        if kind not in KINDS:
            raise ValueError(f"field 'kind' must be one of {', '.join(KINDS)}, got {kind!r:.40}")
        history = _get(data, "history", dict) or {}
        lengths = set()
        for key in _HISTORY_LISTS:
            values = history.get(key, [])
            if not isinstance(values, list) or not all(_is_number(v) for v in values):
                raise ValueError(f"field 'history.{key}' must be a list of finite numbers")
            lengths.add(len(values))
        if len(lengths) > 1:
            raise ValueError("the history's batch lists differ in length")
        epochs = history.get("epochs", [])
        if not isinstance(epochs, list) or not all(
            isinstance(e, Mapping) and all(_is_number(v) for v in e.values()) for e in epochs
        ):
            raise ValueError("field 'history.epochs' must be a list of objects of numbers")
        accuracies = {}
        for key in ("test_accuracy", "pen_test_accuracy"):
            value = _get(data, key, float)
            if value is not None and not 0.0 <= value <= 1.0:
                raise ValueError(f"field '{key}' must be in [0, 1], got {value!r}")
            accuracies[key] = value
        network = _get(data, "network", dict)
        if network is not None:
            name = network.get("file")
            if not isinstance(name, str) or not NETWORK_FILE.match(name):
                raise ValueError("field 'network.file' is not a network file name of the run")
            sha = network.get("sha256")
            if not isinstance(sha, str) or not _SHA256.match(sha) or not name[8:24] == sha[:16]:
                raise ValueError("field 'network.sha256' does not match its file name")
            size = network.get("size")
            if not isinstance(size, int) or isinstance(size, bool) or not 0 < size <= 1 << 26:
                raise ValueError("field 'network.size' must be a positive whole number of bytes")
            shapes = network.get("shapes")
            if not isinstance(shapes, list) or not all(
                isinstance(shape, list)
                and all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in shape)
                for shape in shapes
            ):
                raise ValueError("field 'network.shapes' must be a list of array shapes")
        entry_sha = _get(data, "entry_sha256", str)
        if entry_sha is not None and not _SHA256.match(entry_sha):
            raise ValueError("field 'entry_sha256' is not a hex SHA-256")
        images = _get(data, "pen_test_images", int)
        if images is not None and images < 0:
            raise ValueError("field 'pen_test_images' is negative")
        known = {f.name for f in dataclasses.fields(cls)} - {"extra"}
        return cls(
            id=run_id,
            created=created,
            kind=kind,
            label=_get(data, "label", str, required=True),
            settings=_get(data, "settings", dict),
            history=dict(history),
            test_accuracy=accuracies["test_accuracy"],
            test_loss=_get(data, "test_loss", float),
            pen_test_accuracy=accuracies["pen_test_accuracy"],
            pen_test_images=images,
            seconds=_get(data, "seconds", float),
            network=network,
            network_note=_get(data, "network_note", str) or "",
            pinned=bool(_get(data, "pinned", bool)),
            architecture=_get(data, "architecture", str) or "",
            source=_get(data, "source", dict),
            entry_sha256=entry_sha,
            outcome=_get(data, "outcome", str) or "",
            format=FORMAT,
            extra={key: value for key, value in data.items() if key not in known},
        )

    def as_dict(self) -> dict[str, Any]:
        """The record as plain JSON-able data."""
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        extra = data.pop("extra")
        return {**data, **extra}

    def network_bytes(self) -> int:
        """Bytes its network takes on disk (0 once dropped)."""
        return int(self.network["size"]) if self.network else 0


@dataclass(frozen=True)
class DamagedRun:
    """A run whose record failed its checks: moved aside, never loaded.

    Attributes:
        name: the run's folder name.
        reason: what was wrong.
        where: where it was moved.
    """

    name: str
    reason: str
    where: Path


@dataclass(frozen=True)
class RunListing:
    """Every run, oldest first, and the damaged ones.

    Attributes:
        runs: the readable runs, oldest first.
        damaged: the runs whose record was damaged (quarantined).
        unusable: run id -> why its kept network cannot be used (its file is
            missing or not of the size its record says; see
            :meth:`RunStore.network_problem`).
    """

    runs: list[RunRecord]
    damaged: list[DamagedRun]
    unusable: dict[str, str] = field(default_factory=dict)


class RunStore:
    """A folder of runs (see the module docstring)."""

    def __init__(
        self,
        root: str | os.PathLike[str] | None = None,
        *,
        models: ModelStore | None = None,
        cap_bytes: int | None = None,
    ) -> None:
        """Open (create nothing yet).

        Args:
            root: the runs folder; default ``<data dir>/runs``.
            models: the model cache whose network in use is never dropped.
            cap_bytes: disk cap of the runs' networks; default
                ``DIGITPAD_RUNS_CAP_MB`` or :data:`DEFAULT_CAP_BYTES`, read
                when a run is kept (:attr:`cap_bytes`).
        """
        self.root = Path(root) if root is not None else paths.runs_dir()
        self.models = models if models is not None else ModelStore()
        self._cap_bytes = cap_bytes

    @property
    def cap_bytes(self) -> int:
        """The disk cap of the runs' networks (see :meth:`__init__`).

        Only keeping a run applies it: listing, pinning and using runs work
        whatever ``DIGITPAD_RUNS_CAP_MB`` holds.

        Raises:
            ValueError: ``DIGITPAD_RUNS_CAP_MB`` is not a positive number.
        """
        return self._cap_bytes if self._cap_bytes is not None else cap_from_env()

    # -- reading -----------------------------------------------------------------

    def listing(self) -> RunListing:
        """Every run (oldest first); damaged records are quarantined and listed apart.

        Each kept network's file gets the cheap checks of :meth:`network_problem`
        (its size, not its sha256).
        """
        runs = []
        if self.root.is_dir():
            for folder in sorted(self.root.iterdir()):
                if not RUN_ID.match(folder.name):
                    continue
                with contextlib.suppress(RunError):
                    runs.append(self.get(folder.name))
        unusable = {}
        for run in runs:
            problem = self.network_problem(run)
            if problem is not None:
                unusable[run.id] = problem
        return RunListing(runs, self.damaged(), unusable)

    def runs(self) -> list[RunRecord]:
        """Every readable run, oldest first."""
        return self.listing().runs

    def damaged(self) -> list[DamagedRun]:
        """The runs moved to ``quarantine/`` because their record was damaged."""
        folder = self.root / "quarantine"
        found = []
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                reason = ""
                with contextlib.suppress(OSError, ValueError):
                    reason = read_regular_file(path / "why.txt", 4096).decode("utf-8", "replace")
                found.append(DamagedRun(path.name, reason.strip() or "unreadable", path))
        return found

    def get(self, run_id: str) -> RunRecord:
        """Read and check run ``run_id``'s record.

        Raises:
            RunError: no such run, or its record is damaged (then it was quarantined).
        """
        folder = self._folder(run_id)
        path = folder / RECORD_FILE
        if not folder.is_dir():
            raise RunError(f"There is no run {run_id} (looked in {self.root}).")
        try:
            raw = read_regular_file(path, MAX_RECORD_BYTES)
        except FileNotFoundError as exc:
            raise self._quarantine(run_id, f"its record {RECORD_FILE} is missing") from exc
        except (OSError, ValueError) as exc:
            reason = f"its record {RECORD_FILE} cannot be read ({exc})"
            raise self._quarantine(run_id, reason) from exc
        try:
            # Not UTF-8 (json.loads would guess UTF-16 and fail with a codec
            # error), not JSON, or nested past Python's recursion limit.
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            reason = f"its record {RECORD_FILE} is damaged (not readable JSON)"
            raise self._quarantine(run_id, reason) from exc
        try:
            record = RunRecord.from_dict(data)
            if record.id != run_id:
                raise ValueError(f"it describes run {record.id}")
        except (ValueError, RecursionError) as exc:
            reason = f"its record {RECORD_FILE} is damaged ({exc})"
            raise self._quarantine(run_id, reason) from exc
        return record

    def network_problem(self, record: RunRecord) -> str | None:
        """Why run ``record``'s kept network cannot be used, by cheap checks only.

        Its file must be a regular file of the size its record says (one
        ``lstat``; the sha256 is checked when it is read, :meth:`weights`).

        Returns:
            ``None`` if it looks usable or no network is kept, else the reason
            (a sentence part, e.g. "its network file is missing").
        """
        if record.network is None:
            return None
        name = record.network["file"]
        try:
            info = (self._folder(record.id) / name).lstat()
        except FileNotFoundError:
            return f"its network file {name} is missing"
        except (OSError, RunError) as exc:
            return f"its network file {name} cannot be read ({exc})"
        if not stat.S_ISREG(info.st_mode):
            return f"its network file {name} is not a regular file"
        if info.st_size != record.network["size"]:
            return (
                f"its network file {name} is {info.st_size} bytes, its record says "
                f"{record.network['size']} (truncated or changed)"
            )
        return None

    def weights(
        self, run_id: str, shapes: Sequence[tuple[int, ...]] | None = None
    ) -> list[np.ndarray]:
        """Run ``run_id``'s network, verified (size, sha256, arrays of ``shapes``).

        Args:
            run_id: the run.
            shapes: the shapes the caller expects; default: those its record names.

        Raises:
            RunError: no such run, no network kept, or it failed verification.
        """
        record = self.get(run_id)
        if record.network is None:
            why = f" ({record.network_note})" if record.network_note else ""
            raise RunError(f"Run {run_id} has no network kept{why}.")
        path = self._folder(run_id) / record.network["file"]
        try:
            raw = read_regular_file(path, 1 << 26)
        except (OSError, ValueError) as exc:
            raise RunError(f"The network of run {run_id} cannot be read ({exc}).") from exc
        if len(raw) != record.network["size"] or (
            hashlib.sha256(raw).hexdigest() != record.network["sha256"]
        ):
            raise RunError(f"The network of run {run_id} does not match its record's sha256.")
        if shapes is None:
            shapes = [tuple(shape) for shape in record.network["shapes"]]
        try:
            weights = parse_weights(raw, shapes)
        except ValueError as exc:
            raise RunError(f"The network of run {run_id} is unusable: {exc}.") from exc
        if not all(np.isfinite(w).all() for w in weights):
            raise RunError(f"The network of run {run_id} contains NaN or infinity.")
        return weights

    def in_use_id(self) -> str | None:
        """The run whose network is the model store's entry in use, if any."""
        try:
            manifest = self.models.entry(self.models.active_name())
        except StoreError:
            return None
        run_id = manifest.extra.get("run_id")
        if isinstance(run_id, str) and RUN_ID.match(run_id):
            return run_id
        if not self.root.is_dir():
            return None
        for folder in sorted(self.root.iterdir(), reverse=True):
            if RUN_ID.match(folder.name):
                with contextlib.suppress(RunError):
                    if self.get(folder.name).entry_sha256 == manifest.sha256:
                        return folder.name
        return None

    def disk_usage(self) -> int:
        """Bytes taken by the runs' networks."""
        return sum(run.network_bytes() for run in self.runs())

    # -- writing -----------------------------------------------------------------

    def record(
        self, info: Mapping[str, Any], weights: Sequence[np.ndarray] | None = None
    ) -> RunRecord:
        """Keep a new run (atomically), then apply the disk cap.

        Args:
            info: record fields (``kind`` and ``label`` required; ``id``,
                ``created``, ``network`` and ``format`` are set here).
            weights: its network's arrays, or ``None``.

        Returns:
            The record written (its network may already be dropped by the cap
            if it is neither pinned nor in use and the cap is tiny).

        Raises:
            ValueError: a field of ``info`` is invalid, or ``DIGITPAD_RUNS_CAP_MB``
                is not a positive number (nothing is written then).
            RunError: the runs folder cannot be written.
        """
        cap = self.cap_bytes  # a bad cap refuses the run before anything is written
        now = dt.datetime.now(dt.UTC)
        run_id = f"{now:%Y%m%d-%H%M%S-%f}-{secrets.token_hex(2)}"
        data = json.loads(json.dumps(dict(info), allow_nan=False))
        raw = None
        if weights is not None:
            buffer = io.BytesIO()
            np.savez(
                buffer,
                **{f"w{i}": np.asarray(w, dtype=np.float32) for i, w in enumerate(weights)},
            )
            raw = buffer.getvalue()
            digest = hashlib.sha256(raw).hexdigest()
            data["network"] = {
                "file": f"network-{digest[:16]}.npz",
                "sha256": digest,
                "size": len(raw),
                "shapes": [list(np.shape(w)) for w in weights],
            }
        else:
            data["network"] = None
        data.update(format=FORMAT, id=run_id, created=now.isoformat(timespec="seconds"))
        record = RunRecord.from_dict(data)
        try:
            with self.lock():
                temp = self.root / f"{TEMP_PREFIX}{run_id}"
                temp.mkdir()
                try:
                    if raw is not None:
                        atomic_write(temp / record.network["file"], raw)
                    atomic_write(temp / RECORD_FILE, _dumps(record))
                    os.replace(temp, self._folder(run_id))
                except BaseException:
                    shutil.rmtree(temp, ignore_errors=True)
                    raise
                fsync_dir(self.root)
        except OSError as exc:
            raise RunError(write_failure_message(self.root, exc, "keep the run")) from exc
        self.prune(cap)
        return self.get(run_id)

    def set_pinned(self, run_id: str, pinned: bool) -> RunRecord:
        """Pin (never drop its network) or unpin run ``run_id``.

        Raises:
            RunError: no such run, or it cannot be written.
        """
        return self._update(run_id, pinned=pinned)

    def drop_network(self, run_id: str, note: str) -> RunRecord:
        """Delete run ``run_id``'s network; its record stays, saying ``note``.

        Raises:
            RunError: no such run, it is pinned or in use, or it cannot be written.
        """
        with self.lock():
            record = self.get(run_id)
            if record.pinned or run_id == self.in_use_id():
                raise RunError(f"Run {run_id} is pinned or in use: its network is kept.")
            if record.network is None:
                return record
            file = record.network["file"]
            updated = self._update(run_id, network=None, network_note=note)
            with contextlib.suppress(FileNotFoundError):
                (self._folder(run_id) / file).unlink()
            return updated

    def save_as_entry(self, run_id: str, entry: str = "candidate") -> dict[str, Any]:
        """Write run ``run_id``'s verified network into the model cache as ``entry``.

        The cache's own save writes it (weights, then manifest, atomically)
        and reads it back; the manifest names the run (``run_id``), so the
        run's network counts as in use once the entry is. Making it the base
        and the entry in use is the cache's promote (the window's session
        does that, verified, with ``use_candidate``; ``digitpad runs --use``
        here with :meth:`use`).

        Returns:
            The entry's manifest.

        Raises:
            RunError: no such run, no network kept, or it failed verification.
            StoreError: the model cache could not be written.
        """
        record = self.get(run_id)
        weights = self.weights(run_id)
        info = {
            "architecture": record.architecture,
            "run_id": run_id,
            "recipe": record.settings,
            "test_loss": record.test_loss,
            "test_accuracy": record.test_accuracy,
            "fit_seconds": record.seconds,
            "imported_from": (record.source or {}).get("file"),
        }
        if record.kind == "import":
            info.pop("recipe")
        manifest = self.models.save(weights, info, name=entry)
        self.models.entry(entry)  # read back: the manifest written checks
        return manifest

    def use(self, run_id: str) -> dict[str, Any]:
        """Make run ``run_id``'s network the base network and the one in use.

        Returns:
            The base entry's new manifest.

        Raises:
            RunError: no such run, no network kept, or it failed verification.
            StoreError: the model cache could not be written.
        """
        with self.models.lock():
            self.save_as_entry(run_id, "candidate")
            manifest = self.models.promote("candidate", "base")
            self.models.set_active("base")
        return manifest

    def prune(self, cap_bytes: int | None = None) -> list[str]:
        """Drop the networks of the oldest unpinned runs until they fit in the cap.

        The network in use and pinned runs are never dropped (they may exceed
        the cap alone).

        Returns:
            The ids of the runs whose network was dropped.

        Raises:
            ValueError: no ``cap_bytes`` given and ``DIGITPAD_RUNS_CAP_MB`` is
                not a positive number.
            RunError: the runs folder cannot be written.
        """
        cap = self.cap_bytes if cap_bytes is None else cap_bytes
        dropped = []
        with self.lock():
            runs = self.runs()
            total = sum(run.network_bytes() for run in runs)
            if total <= cap:
                return dropped
            in_use = self.in_use_id()
            for run in runs:  # oldest first
                if total <= cap:
                    break
                if run.network is None or run.pinned or run.id == in_use:
                    continue
                self.drop_network(run.id, "dropped to keep the runs within their disk space")
                total -= run.network_bytes()
                dropped.append(run.id)
        return dropped

    def clean(self) -> list[Path]:
        """Sweep the temp folders a killed write left; return them."""
        removed = []
        if self.root.is_dir():
            with self.lock():
                for path in self.root.iterdir():
                    if path.name.startswith(TEMP_PREFIX):
                        shutil.rmtree(path, ignore_errors=True)
                        removed.append(path)
        return removed

    @contextlib.contextmanager
    def lock(self) -> Any:
        """Hold the runs folder's inter-process write lock (re-entrant in a thread).

        Raises:
            OSError: the folder cannot be created.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        # The model cache's lock, on this folder: one implementation of locking.
        with ModelStore(self.root).lock():
            yield

    # -- internals ---------------------------------------------------------------

    def _folder(self, run_id: str) -> Path:
        if not isinstance(run_id, str) or not RUN_ID.match(run_id):
            raise RunError(f"{run_id!r:.40} is not a run id")
        return self.root / run_id

    def _update(self, run_id: str, **changes: Any) -> RunRecord:
        try:
            with self.lock():
                record = dataclasses.replace(self.get(run_id), **changes)
                atomic_write(self._folder(run_id) / RECORD_FILE, _dumps(record))
        except OSError as exc:
            raise RunError(write_failure_message(self.root, exc, "update the run")) from exc
        return record

    def _quarantine(self, run_id: str, reason: str) -> RunError:
        where = self.root / "quarantine"
        with contextlib.suppress(OSError):
            moved = move_aside(self._folder(run_id), where)
            atomic_write(moved / "why.txt", reason.encode())
        return RunError(f"Run {run_id} is damaged: {reason}. Moved aside to {where}.")


def cap_from_env() -> int:
    """The disk cap set by ``DIGITPAD_RUNS_CAP_MB``, else :data:`DEFAULT_CAP_BYTES`.

    Checked the same way wherever it is read (``digitpad train``,
    ``import-network`` and ``runs``, the Runs dialog, keeping a run), like
    the variables of :func:`digitpad.net.recipes.recipe_from_env`.

    Raises:
        ValueError: the variable is not a positive number (the message names it).
    """
    raw = os.environ.get(CAP_ENV, "").strip()
    if not raw:
        return DEFAULT_CAP_BYTES
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise ValueError(
            f"{CAP_ENV} must be a positive number of megabytes, got {raw!r}; unset it or fix it"
        )
    return int(value * 1024 * 1024)


def _dumps(record: RunRecord) -> bytes:
    return json.dumps(record.as_dict(), allow_nan=False).encode() + b"\n"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _get(data: Mapping[str, Any], key: str, kind: type, *, required: bool = False) -> Any:
    if key not in data or data[key] is None:
        if required:
            raise ValueError(f"field '{key}' is missing")
        return None
    value = data[key]
    if kind is float:
        ok = _is_number(value)
    elif kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, kind)
    if not ok:
        raise ValueError(f"field '{key}' has the wrong type ({type(value).__name__})")
    return value
