"""The typed manifest of a model cache entry: every field checked on the way in.

A manifest is JSON written by digitpad, but read back from a folder anyone
can edit: a field of the wrong type (``"test_accuracy": "high"``) must be
refused as a damaged entry, not crash whoever formats it later.
:meth:`Manifest.from_dict` checks every known field's type and range and
raises :class:`ValueError` with a message naming the field;
:meth:`Manifest.as_dict` gives the plain dict back (unknown fields that a
newer digitpad may add are kept as they were, never interpreted).

Pure Python: no Qt, no numpy, no TensorFlow.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

FORMAT = 1
#: Larger weights files are refused unread (the LeNet's are 3.7 MB).
MAX_WEIGHTS_BYTES = 64 * 1024 * 1024
WEIGHTS_NAME = re.compile(r"^[a-z]+-[0-9a-f]{16}\.npz$")
ENTRY_NAME = re.compile(r"^[a-z]+$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_VERSION_KEYS = (
    "digitpad_version",
    "keras_version",
    "tensorflow_version",
    "numpy_version",
    "python_version",
)
# Sub-dictionaries: key -> accepted kinds ("int", "number", "str", "bool",
# "list", "dict"; "none" allows null). Keys not listed are kept unchecked.
_RECIPE_FIELDS = {
    "name": ("str",),
    "epochs": ("int",),
    "batch_size": ("int",),
    "optimizer": ("str",),
    "learning_rate": ("number",),
    "schedule": ("str",),
    "augmentation": ("dict", "none"),
    "train_samples": ("int", "none"),
    "pen_digits": ("bool",),
    "seed": ("int",),
    "warmup_fraction": ("number",),
    "label_smoothing": ("number",),
    "validation_mnist": ("int",),
    "validation_writers": ("list",),
}
_CALIBRATION_FIELDS = {
    "temperature": ("number",),
    "threshold": ("number",),
    "images": ("int",),
    "nll_before": ("number", "none"),
    "nll_after": ("number", "none"),
    "not_sure_rate": ("number", "none"),
    "confident_accuracy": ("number", "none"),
}
_ADAPTED_FIELDS = {
    "trained_on": ("int",),
    "held_back": ("int",),
    "user_accuracy_before": ("number",),
    "user_accuracy_after": ("number",),
    "mnist_accuracy_before": ("number", "none"),
    "fit_seconds": ("number",),
    "steps": ("int",),
}


@dataclass(frozen=True)
class Manifest:
    """What a cache entry's ``<name>.json`` says, every field type-checked.

    Attributes:
        name: the entry ("base", "personal", "candidate").
        architecture: the architecture id the weights were made for.
        weights_file: the weights' file name in the same folder
            (``<entry>-<sha256[:16]>.npz``; never a path).
        sha256: hex SHA-256 of the weights file.
        size: its size in bytes.
        created: when it was saved, ISO-8601.
        format: the manifest format (1).
        recipe: the training recipe as plain data, if recorded.
        test_loss: loss on MNIST's 10,000 test images, if measured.
        test_accuracy: accuracy on them, in [0, 1], if measured.
        fit_seconds: training time.
        epochs_completed: epochs run.
        mnist_source: where MNIST came from.
        calibration: the temperature calibration as plain data.
        adapted: figures of the adaptation (personal networks only).
        base_sha256: the base network a personal one was adapted from.
        base_created: when that base network was saved.
        versions: software versions (``digitpad_version``... ``python_version``).
        extra: fields this version does not know, kept as read.
    """

    name: str
    architecture: str
    weights_file: str
    sha256: str
    size: int
    created: str
    format: int = FORMAT
    recipe: dict[str, Any] | None = None
    test_loss: float | None = None
    test_accuracy: float | None = None
    fit_seconds: float | None = None
    epochs_completed: int | None = None
    mnist_source: str | None = None
    calibration: dict[str, Any] | None = None
    adapted: dict[str, Any] | None = None
    base_sha256: str | None = None
    base_created: str | None = None
    versions: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Any) -> Manifest:
        """Check ``data`` (parsed JSON) field by field and build the manifest.

        Raises:
            ValueError: not an object, a field missing, of the wrong type or
                out of range; the message names the field.
        """
        if not isinstance(data, Mapping):
            raise ValueError(f"the manifest is a JSON {_kind(data)}, not an object")
        data = dict(data)
        fmt = data.get("format")
        if not _is_int(fmt) or fmt != FORMAT:
            raise ValueError(f"unknown manifest format {fmt!r} (this digitpad reads {FORMAT})")
        name = _required_str(data, "name")
        if not ENTRY_NAME.match(name):
            raise ValueError(f"field 'name' is not an entry name: {name!r}")
        architecture = _required_str(data, "architecture")
        weights_file = _required_str(data, "weights_file")
        if not WEIGHTS_NAME.match(weights_file):
            raise ValueError(
                f"bad weights file name {weights_file!r} (must be a file of the models folder)"
            )
        if not weights_file.startswith(f"{name}-"):
            raise ValueError(f"the weights file {weights_file!r} is not entry {name!r}'s")
        sha256 = _required_str(data, "sha256")
        if not _SHA256.match(sha256):
            raise ValueError("field 'sha256' is not a hex SHA-256")
        if not weights_file.endswith(f"-{sha256[:16]}.npz"):
            raise ValueError(f"the weights file name {weights_file!r} does not match its sha256")
        size = data.get("size")
        if not _is_int(size) or not 0 < size <= MAX_WEIGHTS_BYTES:
            raise ValueError(
                f"field 'size' must be a whole number of bytes up to {MAX_WEIGHTS_BYTES}, "
                f"got {size!r}"
            )
        created = _required_str(data, "created")
        _check_date(created, "created")
        base_sha256 = _optional(data, "base_sha256", ("str", "none"))
        if base_sha256 is not None and not _SHA256.match(base_sha256):
            raise ValueError("field 'base_sha256' is not a hex SHA-256")
        base_created = _optional(data, "base_created", ("str", "none"))
        if base_created is not None:
            _check_date(base_created, "base_created")
        test_accuracy = _optional(data, "test_accuracy", ("number", "none"))
        if test_accuracy is not None and not 0.0 <= test_accuracy <= 1.0:
            raise ValueError(f"field 'test_accuracy' must be in [0, 1], got {test_accuracy!r}")
        epochs_completed = _optional(data, "epochs_completed", ("int", "none"))
        if epochs_completed is not None and epochs_completed < 0:
            raise ValueError(f"field 'epochs_completed' is negative: {epochs_completed}")
        versions = {}
        for key in _VERSION_KEYS:
            if key in data:
                versions[key] = _optional(data, key, ("str",))
        known = {f.name for f in dataclasses.fields(cls)} - {"versions", "extra"}
        return cls(
            name=name,
            architecture=architecture,
            weights_file=weights_file,
            sha256=sha256,
            size=size,
            created=created,
            format=fmt,
            recipe=_sub_dict(data, "recipe", _RECIPE_FIELDS),
            test_loss=_optional(data, "test_loss", ("number", "none")),
            test_accuracy=test_accuracy,
            fit_seconds=_optional(data, "fit_seconds", ("number", "none")),
            epochs_completed=epochs_completed,
            mnist_source=_optional(data, "mnist_source", ("str", "none")),
            calibration=_sub_dict(data, "calibration", _CALIBRATION_FIELDS),
            adapted=_sub_dict(data, "adapted", _ADAPTED_FIELDS),
            base_sha256=base_sha256,
            base_created=base_created,
            versions=versions,
            extra={
                key: value
                for key, value in data.items()
                if key not in known and key not in _VERSION_KEYS
            },
        )

    def as_dict(self) -> dict[str, Any]:
        """The manifest as plain JSON-able data (fields that were absent stay absent)."""
        data: dict[str, Any] = {}
        for item in dataclasses.fields(self):
            if item.name in ("versions", "extra"):
                continue
            value = getattr(self, item.name)
            if value is not None:
                data[item.name] = value
        return {**data, **self.versions, **self.extra}

    def renamed(self, name: str, weights_file: str) -> Manifest:
        """The same network recorded as entry ``name`` with its weights in ``weights_file``."""
        return dataclasses.replace(self, name=name, weights_file=weights_file)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _matches(value: Any, kinds: tuple[str, ...]) -> bool:
    checks = {
        "int": _is_int,
        "number": lambda v: (
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
        ),
        "str": lambda v: isinstance(v, str),
        "bool": lambda v: isinstance(v, bool),
        "list": lambda v: isinstance(v, list),
        "dict": lambda v: isinstance(v, Mapping),
        "none": lambda v: v is None,
    }
    return any(checks[kind](value) for kind in kinds)


def _describe(kinds: tuple[str, ...]) -> str:
    words = {
        "int": "a whole number",
        "number": "a finite number",
        "str": "a string",
        "bool": "true or false",
        "list": "a list",
        "dict": "an object",
        "none": "null",
    }
    return " or ".join(words[kind] for kind in kinds)


def _optional(data: Mapping[str, Any], key: str, kinds: tuple[str, ...], where: str = "") -> Any:
    value = data.get(key)
    if key in data and not _matches(value, kinds):
        raise ValueError(
            f"field '{where}{key}' must be {_describe(kinds)}, got {_kind(value)} {value!r:.40}"
        )
    return value


def _required_str(data: Mapping[str, Any], key: str) -> str:
    if key not in data:
        raise ValueError(f"field '{key}' is missing")
    return _optional(data, key, ("str",))


def _check_date(text: str, key: str) -> None:
    try:
        dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"field '{key}' is not an ISO-8601 date: {text!r:.40}") from None


def _sub_dict(
    data: Mapping[str, Any], key: str, fields: Mapping[str, tuple[str, ...]]
) -> dict[str, Any] | None:
    value = _optional(data, key, ("dict", "none"))
    if value is None:
        return None
    for sub_key, kinds in fields.items():
        _optional(value, sub_key, kinds, where=f"{key}.")
    return dict(value)
