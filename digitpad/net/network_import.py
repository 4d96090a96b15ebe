"""Your own network: weights trained with the article's code, read without running anything.

A ``.keras`` file, a Keras 2/3 whole-model ``.h5`` or a ``.weights.h5`` holds
the weights as HDF5 datasets, next to a model config that Keras would turn
back into objects (and a ``Lambda`` layer into code it runs). Here only the
weights are read: with h5py from the HDF5 groups (the ``.keras`` zip is
opened here and its ``model.weights.h5`` read from memory), following hard
links only, never an external link, an external or virtual dataset.
``keras.models.load_model`` is never called; ``config.json`` and the
``model_config`` attribute are never read.

The weights are accepted only when every layer that has weights matches a
layer of the article's LeNet (:func:`digitpad.net.lenet.weight_shapes`):
two 5x5 convolutions (20 then 50 filters), a 1800 -> 500 dense layer and a
500 -> 10 one, each with its bias. Anything else is refused with a message
saying what did not match.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

#: Larger files are refused unread (the article's network is ~3.7 MB of
#: weights; a whole-model file with optimizer state ~11 MB).
MAX_FILE_BYTES = 256 * 1024 * 1024
#: More HDF5 objects than this is not the article's network.
MAX_OBJECTS = 2000
#: The weights file inside a ``.keras`` archive.
KERAS_WEIGHTS_MEMBER = "model.weights.h5"
HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"
ZIP_MAGIC = b"PK\x03\x04"


class NetworkImportError(ValueError):
    """A file that is not a network digitpad can use (the message says why)."""


@dataclass(frozen=True)
class ImportedWeights:
    """Weights read from a file, in the LeNet's order.

    Attributes:
        weights: float32 arrays of :func:`digitpad.net.lenet.weight_shapes`.
        file_format: ``keras`` (zip), ``h5`` (whole model) or ``weights.h5``.
        sha256: hex SHA-256 of the file as read.
        layers: the file's layer names, in the LeNet's order (conv, conv, dense, dense).
        ignored: layers of the file without weights (pooling, flatten, a Lambda…):
            their code and config are not read, so they do not take part.
    """

    weights: list[np.ndarray]
    file_format: str
    sha256: str
    layers: list[str]
    ignored: list[str] = field(default_factory=list)


def read_weights(
    path: str | os.PathLike[str], shapes: Sequence[tuple[int, ...]] | None = None
) -> ImportedWeights:
    """Read a Keras file's weights as the article's LeNet's, never its config.

    Args:
        path: a ``.keras``, ``.h5`` or ``.weights.h5`` file.
        shapes: the weight shapes to match (default: the LeNet's); pairs of
            (kernel, bias), one per layer.

    Raises:
        NetworkImportError: it cannot be read, or its layers do not match.
    """
    import h5py

    if shapes is None:
        from digitpad.net.lenet import weight_shapes

        shapes = weight_shapes()
    source = Path(path)
    try:
        if not source.is_file():
            raise NetworkImportError(f"{source} is not a file")
        size = source.stat().st_size
        if size > MAX_FILE_BYTES:
            raise NetworkImportError(
                f"{source.name} is {size / 1e6:.0f} MB: far larger than the article's network"
            )
        raw = source.read_bytes()
    except OSError as exc:
        raise NetworkImportError(f"{source} cannot be read ({exc.strerror or exc})") from exc
    digest = hashlib.sha256(raw).hexdigest()
    if raw.startswith(ZIP_MAGIC):
        file_format, raw = "keras", _weights_member(raw, source.name)
    elif raw.startswith(HDF5_MAGIC):
        file_format = "weights.h5" if source.name.endswith(".weights.h5") else "h5"
    else:
        raise NetworkImportError(
            f"{source.name} is neither a .keras archive nor an HDF5 (.h5) file"
        )
    try:
        with h5py.File(io.BytesIO(raw), "r") as hdf:
            found = _layer_arrays(hdf)
    except NetworkImportError:
        raise
    except (OSError, KeyError, ValueError, TypeError, RuntimeError) as exc:
        raise NetworkImportError(
            f"{source.name} is damaged or truncated: its HDF5 data cannot be read ({exc})"
        ) from exc
    weights, names, ignored = _match(found, shapes, source.name)
    return ImportedWeights(weights, file_format, digest, names, ignored)


def _weights_member(raw: bytes, name: str) -> bytes:
    """The ``model.weights.h5`` of a ``.keras`` zip (sizes checked before unpacking)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            try:
                info = archive.getinfo(KERAS_WEIGHTS_MEMBER)
            except KeyError:
                raise NetworkImportError(
                    f"{name} is a zip archive without {KERAS_WEIGHTS_MEMBER}: not a .keras file"
                ) from None
            if info.file_size > MAX_FILE_BYTES:
                raise NetworkImportError(
                    f"{name}'s weights would unpack to {info.file_size / 1e6:.0f} MB: "
                    "far larger than the article's network"
                )
            with archive.open(info) as member:
                data = member.read(MAX_FILE_BYTES + 1)
    except NetworkImportError:
        raise
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise NetworkImportError(f"{name} is damaged or truncated ({exc})") from exc
    if not data.startswith(HDF5_MAGIC):
        raise NetworkImportError(f"{name}'s {KERAS_WEIGHTS_MEMBER} is not an HDF5 file")
    return data


def _layer_arrays(hdf: Any) -> list[tuple[str, list[np.ndarray]]]:
    """Each layer's weight arrays, in the file's order: ``(name, [arrays])``.

    Keras 2 and whole-model ``.h5``: ``model_weights`` (or the root) lists
    ``layer_names``, each layer its ``weight_names``. Keras 3 weights
    (``.weights.h5``, inside ``.keras``): ``layers/<name>/vars/<i>``.
    Optimizer state is never read.
    """
    import h5py

    counter = [0]
    if "layer_names" in hdf.attrs or _hard(hdf, "model_weights", counter) is not None:
        group = _hard(hdf, "model_weights", counter) or hdf
        layers = []
        for layer_name in _names(group.attrs.get("layer_names", [])):
            layer = _hard(group, layer_name, counter)
            if not isinstance(layer, h5py.Group):
                raise NetworkImportError(f"layer {layer_name!r} is listed but not stored")
            arrays = [
                _array(_walk(layer, weight, counter), weight)
                for weight in _names(layer.attrs.get("weight_names", []))
            ]
            layers.append((layer_name, arrays))
        return layers
    group = _hard(hdf, "layers", counter)
    if not isinstance(group, h5py.Group):
        raise NetworkImportError(
            "no Keras weights in it (neither model_weights/layer_names nor layers/)"
        )
    return _keras3_layers(group, "", counter)


def _keras3_layers(
    group: Any, prefix: str, counter: list[int]
) -> list[tuple[str, list[np.ndarray]]]:
    """Layers of a Keras 3 weights file (a nested model's layers, flattened)."""
    import h5py

    layers = []
    for name in group:
        layer = _hard(group, name, counter)
        if not isinstance(layer, h5py.Group):
            continue
        variables = _hard(layer, "vars", counter)
        arrays = []
        if isinstance(variables, h5py.Group):
            keys = sorted(variables, key=lambda key: int(key) if key.isdigit() else 1 << 30)
            arrays = [_array(_hard(variables, key, counter), key) for key in keys]
        layers.append((prefix + name, arrays))
        inner = _hard(layer, "layers", counter)
        if isinstance(inner, h5py.Group):
            layers += _keras3_layers(inner, f"{prefix}{name}/", counter)
    return layers


def _hard(group: Any, name: str, counter: list[int]) -> Any:
    """``group[name]`` if it is a hard link (never an external or soft link)."""
    import h5py

    counter[0] += 1
    if counter[0] > MAX_OBJECTS:
        raise NetworkImportError(
            f"more than {MAX_OBJECTS} HDF5 objects: not the article's network"
        )
    link = group.get(name, getlink=True)
    if link is None:
        return None
    if not isinstance(link, h5py.HardLink):
        raise NetworkImportError(
            f"{name!r} is a link to elsewhere ({type(link).__name__}): refused"
        )
    return group[name]


def _walk(group: Any, path: str, counter: list[int]) -> Any:
    node: Any | None = group
    for part in path.split("/"):
        if node is None or not part:
            return None
        node = _hard(node, part, counter)
    return node


def _array(node: Any, name: str) -> np.ndarray:
    """A dataset's values, after its type, storage and size were checked."""
    import h5py

    if not isinstance(node, h5py.Dataset):
        raise NetworkImportError(f"weight {name!r} is not stored as an array")
    if node.is_virtual or node.external:
        raise NetworkImportError(f"weight {name!r} points to other files: refused")
    if node.dtype.kind != "f":
        raise NetworkImportError(f"weight {name!r} is {node.dtype}, not floating point")
    if node.size > 4_000_000:
        raise NetworkImportError(f"weight {name!r} has {node.size:,} values: not the LeNet's")
    return np.asarray(node[()], dtype=np.float32)


def _names(values: Any) -> list[str]:
    return [v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v) for v in values]


def _match(
    found: list[tuple[str, list[np.ndarray]]],
    shapes: Sequence[tuple[int, ...]],
    name: str,
) -> tuple[list[np.ndarray], list[str], list[str]]:
    """Put the file's layers in the LeNet's order, or say what does not match."""
    expected = [tuple(shapes[i : i + 2]) for i in range(0, len(shapes), 2)]
    with_weights = [(layer, arrays) for layer, arrays in found if arrays]
    ignored = [layer for layer, arrays in found if not arrays]
    by_shapes: dict[tuple[tuple[int, ...], ...], str] = {}
    weights_of: dict[tuple[tuple[int, ...], ...], list[np.ndarray]] = {}
    problems = []
    for layer, arrays in with_weights:
        key = tuple(tuple(a.shape) for a in arrays)
        if key not in expected:
            problems.append(
                f"layer {layer!r} has weights {_shapes(key)}, which no LeNet layer has"
            )
        elif key in by_shapes:
            problems.append(f"layers {by_shapes[key]!r} and {layer!r} both have {_shapes(key)}")
        else:
            by_shapes[key] = layer
            weights_of[key] = arrays
    missing = [key for key in expected if key not in by_shapes]
    if missing:
        problems.append("no layer with weights " + ", ".join(_shapes(key) for key in missing))
    if problems:
        raise NetworkImportError(
            f"{name} is not the article's LeNet: "
            + "; ".join(problems)
            + ". Expected "
            + ", ".join(_shapes(key) for key in expected)
            + " (conv 5x5 20, conv 5x5 50, dense 1800->500, dense 500->10)."
        )
    weights = [w for key in expected for w in weights_of[key]]
    if not all(np.isfinite(w).all() for w in weights):
        raise NetworkImportError(f"{name}'s weights contain NaN or infinity")
    return weights, [by_shapes[key] for key in expected], ignored


def _shapes(key: tuple[tuple[int, ...], ...]) -> str:
    return " + ".join("x".join(str(n) for n in shape) or "scalar" for shape in key)
