"""The sample files' format: a small ``.npz`` read and written without ``np.load``.

A sample file (:mod:`digitpad.storage.samples`) is an uncompressed ``.npz``
of a few small arrays. :func:`npz_bytes` writes one the way ``np.savez``
does, four times quicker and byte-for-byte repeatable; :func:`load_npz`
reads one like ``np.load`` (also files written by ``np.savez`` and
``np.savez_compressed``) but never a pickle or a Python object, four times
quicker: the zip directory is read once, a stored member is sliced from the
bytes with its CRC-32 checked, and each distinct ``.npy`` header is parsed
once. Every way a file can be damaged gives a ``ValueError`` worded
"it …" (the caller names the file).
"""

from __future__ import annotations

import functools
import io
import math
import struct
import zipfile
import zlib

import numpy as np


def load_npz(raw: bytes, fields: frozenset[str], max_bytes: int) -> dict[str, np.ndarray]:
    """The arrays of an ``.npz`` file's bytes, read like ``np.load`` but never a pickle.

    Args:
        raw: the file's bytes.
        fields: the array names it must hold, exactly.
        max_bytes: the most its arrays may unpack to.

    Raises:
        ValueError: it is not an .npz archive of exactly ``fields``.
    """
    if not raw.startswith(b"PK\x03\x04"):
        # np.load would try it as a pickle (refused, with a confusing message).
        raise ValueError("it is not an .npz archive")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            infos = archive.infolist()
            # A compressed member could unpack to far more than the file's size.
            if sum(info.file_size for info in infos) > max_bytes:
                raise ValueError("its arrays are too large")
            names = [info.filename.removesuffix(".npy") for info in infos]
            if set(names) != fields or len(names) != len(fields):
                found = set(names)
                missing = ", ".join(sorted(fields - found)) or "none"
                extra = ", ".join(sorted(found - fields)) or "none"
                twice = " (some twice)" if len(names) != len(found) else ""
                raise ValueError(
                    f"it has unexpected fields (missing: {missing}; extra: {extra}){twice}"
                )
            return {
                name: _npy_array(_member(archive, raw, info))
                for name, info in zip(names, infos, strict=True)
            }
    except (zipfile.BadZipFile, zlib.error, EOFError, UnicodeDecodeError) as exc:
        # UnicodeDecodeError: a member's name (flagged UTF-8) is not.
        raise ValueError(f"it is truncated or corrupt: {exc}") from exc
    except (OSError, KeyError, MemoryError, RuntimeError, NotImplementedError) as exc:
        # RuntimeError: an encrypted member; NotImplementedError: unknown compression.
        raise ValueError(f"it cannot be parsed: {exc}") from exc


def _member(archive: zipfile.ZipFile, raw: bytes, info: zipfile.ZipInfo) -> bytes:
    """The bytes of a member of ``archive`` (read from ``raw``), its CRC-32 checked.

    Raises:
        zipfile.BadZipFile: it is truncated or damaged.
    """
    data = _stored_member(raw, info)
    if data is not None:
        return data
    try:
        return archive.read(info)
    except ValueError as exc:  # "negative seek value": an offset out of the file
        raise zipfile.BadZipFile(str(exc)) from exc


def _stored_member(raw: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """The bytes of an uncompressed member, sliced from ``raw``, CRC-32 checked.

    ``None`` when the member is not plainly stored (compressed, encrypted,
    a local header unlike its directory entry): ``ZipFile.read`` reads it
    then, and says what is wrong with it.

    Raises:
        zipfile.BadZipFile: it is truncated, or its CRC-32 does not match.
    """
    if (
        info.compress_type != zipfile.ZIP_STORED
        or info.flag_bits & 0x1
        or info.compress_size != info.file_size
    ):
        return None
    offset = info.header_offset
    if offset < 0 or offset + _ZIP_LOCAL.size > len(raw):
        raise zipfile.BadZipFile(f"{info.filename} starts outside the file")
    fields = _ZIP_LOCAL.unpack_from(raw, offset)
    signature, name_size, extra_size = fields[0], fields[9], fields[10]
    name_start = offset + _ZIP_LOCAL.size
    if signature != 0x04034B50 or raw[name_start : name_start + name_size] != (
        info.orig_filename.encode("utf-8")
    ):
        return None
    start = name_start + name_size + extra_size
    data = raw[start : start + info.file_size]
    if len(data) != info.file_size:
        raise zipfile.BadZipFile(f"{info.filename} is truncated")
    if zlib.crc32(data) != info.CRC:
        raise zipfile.BadZipFile(f"Bad CRC-32 for file {info.filename!r}")
    return data


def _npy_array(data: bytes) -> np.ndarray:
    """The (read-only) array in the bytes of one ``.npy`` member.

    Raises:
        ValueError: not an ``.npy`` array of plain numbers or text, or truncated.
    """
    if len(data) < 10 or not data.startswith(b"\x93NUMPY"):
        raise ValueError("it cannot be parsed: a member is not an .npy array")
    version = (data[6], data[7])
    start = 10 if version == (1, 0) else 12
    size = int.from_bytes(data[8:start], "little")
    if version not in ((1, 0), (2, 0)) or size > _MAX_NPY_HEADER or start + size > len(data):
        raise ValueError("it cannot be parsed: a member has an unusual .npy header")
    shape, fortran_order, dtype = _npy_header(data[: start + size])
    if dtype.hasobject:
        raise ValueError("it holds Python objects, which digitpad never loads")
    count = math.prod(shape)
    body = memoryview(data)[start + size :]
    if dtype.itemsize == 0 or min(shape, default=0) < 0:
        raise ValueError("it cannot be parsed: a member has an unusual .npy header")
    if len(body) != count * dtype.itemsize:
        raise ValueError("it is truncated or corrupt: an array has the wrong length")
    try:
        array = np.frombuffer(body, dtype=dtype, count=count)
        return array.reshape(shape, order="F" if fortran_order else "C")
    except ValueError as exc:  # a sub-array dtype, say: never ours
        raise ValueError(f"it cannot be parsed: {exc}") from exc


#: np.load's own limit on an .npy header (longer ones are refused unparsed).
_MAX_NPY_HEADER = 10_000


@functools.lru_cache(maxsize=1024)
def _npy_header(header: bytes) -> tuple[tuple[int, ...], bool, np.dtype]:
    """Shape, order and dtype of an ``.npy`` preamble (magic, version, length, dict).

    Parsed by numpy's own (literal_eval-based) reader; cached because the
    headers of sample files repeat (all but the strokes' are identical).

    Raises:
        ValueError: the header cannot be parsed.
    """
    stream = io.BytesIO(header)
    version = np.lib.format.read_magic(stream)
    read = (
        np.lib.format.read_array_header_1_0
        if version == (1, 0)
        else np.lib.format.read_array_header_2_0
    )
    try:
        shape, fortran_order, dtype = read(stream, max_header_size=_MAX_NPY_HEADER)
    except (ValueError, SyntaxError, TypeError) as exc:
        raise ValueError(f"it cannot be parsed: {exc}") from exc
    return tuple(shape), bool(fortran_order), dtype


# DOS date of 1980-01-01, time 00:00: the same drawing encodes to the same bytes.
_ZIP_DATE = (0 << 9) | (1 << 5) | 1
_ZIP_LOCAL = struct.Struct("<IHHHHHIIIHH")
_ZIP_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_ZIP_END = struct.Struct("<IHHHHIIH")


def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """``arrays`` as an uncompressed ``.npz``, as ``np.savez`` writes it but 4x quicker.

    A plain zip (no zip64: a sample is far below 4 GB) of one ``.npy`` (format
    1.0) per array, readable by ``np.load`` and any zip tool.
    """
    parts: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for name, array in arrays.items():
        data = _npy_header_bytes(array.dtype.str, array.shape) + array.tobytes()
        member = f"{name}.npy".encode("ascii")
        crc = zlib.crc32(data)
        size = len(data)
        local = _ZIP_LOCAL.pack(
            0x04034B50, 20, 0, zipfile.ZIP_STORED, 0, _ZIP_DATE, crc, size, size, len(member), 0
        )
        directory.append(
            _ZIP_CENTRAL.pack(
                *(0x02014B50, 20, 20, 0, zipfile.ZIP_STORED, 0, _ZIP_DATE, crc, size, size),
                *(len(member), 0, 0, 0, 0, 0o100644 << 16, offset),
            )
            + member
        )
        parts += [local, member, data]
        offset += len(local) + len(member) + size
    listing = b"".join(directory)
    end = _ZIP_END.pack(0x06054B50, 0, 0, len(arrays), len(arrays), len(listing), offset, 0)
    return b"".join(parts) + listing + end


@functools.lru_cache(maxsize=1024)
def _npy_header_bytes(descr: str, shape: tuple[int, ...]) -> bytes:
    """The ``.npy`` (1.0) preamble of a C-ordered array, as numpy writes it."""
    stream = io.BytesIO()
    header = {"descr": descr, "fortran_order": False, "shape": shape}
    np.lib.format.write_array_header_1_0(stream, header)
    return stream.getvalue()
