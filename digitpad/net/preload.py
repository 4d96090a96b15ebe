"""TensorFlow's big shared libraries loaded without holding the GIL.

``import tensorflow`` loads two native libraries of about 1.3 GB
(``libtensorflow_cc.so.2`` and ``libtensorflow_framework.so.2``) as
dependencies of its first extension module. CPython's import calls
``dlopen`` holding the GIL, so their static initialisers (registering
thousands of kernels and ops: about 0.3 s on a 2-core machine) freeze every
other Python thread; in the window, the GUI thread. ``ctypes.CDLL`` is no
help: on POSIX its ``dlopen`` holds the GIL too (CPython 3.11,
``Modules/_ctypes/callproc.c``, ``py_dl_open``). A foreign function called
through ``ctypes.CDLL`` releases it, though, so :func:`preload` calls the C
library's own ``dlopen`` that way, with the flags the import will use
(``sys.getdlopenflags()``: ``RTLD_NOW``, local). The import then finds both
libraries loaded, initialised, and shared with it: nothing is loaded twice.

Only libraries that call no Python are loaded this way (neither library
links against a Python symbol); the extension modules themselves are left
to the import. Anything missing or failing is logged and skipped: the plain
import then loads what is left, as before.

Never imports TensorFlow; ``DIGITPAD_PRELOAD=0`` turns it off (benchmarks).
"""

from __future__ import annotations

import ctypes
import importlib.util
import logging
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

PRELOAD_ENV = "DIGITPAD_PRELOAD"
#: In dependency order (``libtensorflow_cc`` needs the framework), relative
#: to the ``tensorflow`` package directory.
TENSORFLOW_LIBRARIES = ("libtensorflow_framework.so.2", "libtensorflow_cc.so.2")


def enabled() -> bool:
    """Whether preloading is on (``DIGITPAD_PRELOAD`` unset, or not ``0``/``false``/``no``)."""
    return os.environ.get(PRELOAD_ENV, "").strip().lower() not in ("0", "false", "no", "off")


def tensorflow_libraries() -> list[Path]:
    """TensorFlow's big native libraries that exist, in load order (TensorFlow not imported).

    An empty list when TensorFlow is not installed or is laid out otherwise.
    """
    try:
        spec = importlib.util.find_spec("tensorflow")
    except (ImportError, ValueError):
        return []
    if spec is None or not spec.submodule_search_locations:
        return []
    package = Path(next(iter(spec.submodule_search_locations)))
    return [package / name for name in TENSORFLOW_LIBRARIES if (package / name).is_file()]


def preload_tensorflow() -> list[Path]:
    """Load :func:`tensorflow_libraries` with the GIL released, unless turned off.

    Call it on the thread that imports TensorFlow just before the import.
    Never raises.

    Returns:
        The libraries loaded.
    """
    if not enabled() or "tensorflow" in sys.modules:
        return []
    try:
        return preload(tensorflow_libraries())
    except Exception:  # noqa: BLE001 - an optimisation only: the import loads them anyway
        log.debug("preloading TensorFlow's libraries failed", exc_info=True)
        return []


def preload(paths: Iterable[Path | str], flags: int | None = None) -> list[Path]:
    """``dlopen`` each of ``paths`` with the GIL released; never raises.

    Args:
        paths: shared libraries, loaded in this order; one that is missing or
            fails to load is logged (debug) and skipped.
        flags: ``dlopen`` flags; default ``sys.getdlopenflags()``, those
            Python's import uses.

    Returns:
        The libraries loaded (the handles are kept open for the process's life).
    """
    wanted = [Path(path) for path in paths]
    if not wanted:
        return []
    functions = _dl_functions()
    if functions is None:
        return []
    dlopen, dlerror = functions
    mode = sys.getdlopenflags() if flags is None else flags
    loaded: list[Path] = []
    for path in wanted:
        if not path.is_file():
            log.debug("not preloaded, missing: %s", path)
            continue
        started = time.perf_counter()
        # A foreign function: ctypes releases the GIL for the call.
        handle = dlopen(os.fsencode(path), mode)
        if not handle:
            message = dlerror()
            log.debug("not preloaded: %s: %s", path, os.fsdecode(message or b"dlopen failed"))
            continue
        log.debug("preloaded %s in %.0f ms", path.name, (time.perf_counter() - started) * 1e3)
        loaded.append(path)
    return loaded


def _dl_functions() -> tuple[Any, Any] | None:
    """The C library's ``dlopen`` and ``dlerror`` as GIL-releasing foreign functions."""
    for name in (None, "libdl.so.2"):  # glibc >= 2.34 has them in libc, older in libdl
        try:
            library = ctypes.CDLL(name)
            dlopen, dlerror = library.dlopen, library.dlerror
        except (AttributeError, OSError):
            continue
        dlopen.argtypes = [ctypes.c_char_p, ctypes.c_int]
        dlopen.restype = ctypes.c_void_p
        dlerror.argtypes = []
        dlerror.restype = ctypes.c_char_p
        return dlopen, dlerror
    log.debug("no dlopen found: nothing preloaded")
    return None
