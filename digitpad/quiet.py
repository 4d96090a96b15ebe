"""A quiet terminal: TensorFlow's start-up chatter kept off stderr.

Importing TensorFlow prints lines like these on stderr, and the first use of
a device adds a CUDA error on a machine without a GPU::

    WARNING: All log messages before absl::InitializeLog() is called are written to STDERR
    I0000 00:00:1796002137.201987   14411 port.cc:153] oneDNN custom operations are on. ...
    I0000 00:00:1796002137.203504   14411 cudart_stub.cc:31] Could not find cuda drivers ...
    E0000 00:00:1796002141.602640   14411 cuda_platform.cc:52] failed call to cuInit: ...

``TF_CPP_MIN_LOG_LEVEL`` silences TensorFlow's later logging, but these lines
are written by native code before it reads the variable. So, while
TensorFlow is imported and its devices are listed, file descriptor 2 points
at a temporary file; afterwards it is restored and what was captured is
written back to stderr, less TensorFlow's lines below ``TF_CPP_MIN_LOG_LEVEL``
(by default 3: none but fatal ones). Everything else written meanwhile, by
any thread (a Python warning, a Qt message, a log record), reaches stderr,
only a few seconds late; if the import fails, all of it does, unfiltered.

``TF_ENABLE_ONEDNN_OPTS`` is never changed (it changes the numerics); its
information line is one of those filtered out.

``digitpad --verbose`` or ``DIGITPAD_DEBUG=1`` turns all of this off. A
``TF_CPP_MIN_LOG_LEVEL`` the user set is kept and used as the filter's level.

Pure Python (TensorFlow is imported only by :func:`import_tensorflow`):
``cli``, ``gui`` and ``net`` may all import this module.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import re
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from types import ModuleType

DEBUG_ENV = "DIGITPAD_DEBUG"
TF_LEVEL_ENV = "TF_CPP_MIN_LOG_LEVEL"
#: The level set when the user has not chosen one: only fatal errors.
DEFAULT_TF_LEVEL = "3"

#: A native (absl/glog) log line: severity letter, date, time, thread, file:line.
_NATIVE_LINE = re.compile(rb"^([IWEF])\d{4} [\d:.]+\s+\d+ [^\s:\]]+:\d+\] ")
#: Lines that belong to the native line before them, or to no line at all.
_ABSL_PREAMBLE = b"WARNING: All log messages before absl::InitializeLog() is called"
_CONTINUATIONS = (b"To enable the following instructions:",)
_SEVERITY = {b"I": 0, b"W": 1, b"E": 2, b"F": 3}

_lock = threading.RLock()
_state = threading.local()


def is_verbose() -> bool:
    """Whether the user asked to see TensorFlow's own output (``DIGITPAD_DEBUG``)."""
    return os.environ.get(DEBUG_ENV, "").strip().lower() not in ("", "0", "false", "no")


def set_verbose() -> None:
    """Show TensorFlow's output from now on, here and in child processes (``--verbose``)."""
    os.environ[DEBUG_ENV] = "1"


def configure_environment() -> None:
    """Set ``TF_CPP_MIN_LOG_LEVEL`` before TensorFlow loads, unless the user set it.

    Child processes inherit it. Nothing is set in verbose mode.
    """
    if not is_verbose():
        os.environ.setdefault(TF_LEVEL_ENV, DEFAULT_TF_LEVEL)


def tf_log_level() -> int:
    """The effective ``TF_CPP_MIN_LOG_LEVEL`` (0 when unset or not a number, as in TF)."""
    try:
        return int(os.environ.get(TF_LEVEL_ENV, "0").strip())
    except ValueError:
        return 0


def filter_native_lines(captured: bytes, level: int) -> bytes:
    """``captured`` without TensorFlow's native log lines of severity below ``level``.

    Args:
        captured: what was written to stderr.
        level: the lowest severity kept (0 info, 1 warning, 2 error, 3 fatal).

    Returns:
        The other lines, unchanged and in order.
    """
    kept: list[bytes] = []
    dropping = False
    for line in captured.splitlines(keepends=True):
        match = _NATIVE_LINE.match(line)
        if match is not None:
            dropping = _SEVERITY[match.group(1)] < level
        elif line.startswith(_ABSL_PREAMBLE):
            dropping = level > 1
        elif not (dropping and line.startswith(_CONTINUATIONS)):
            dropping = False
        if not dropping:
            kept.append(line)
    return b"".join(kept)


@contextlib.contextmanager
def tensorflow_import() -> Iterator[None]:
    """Within this block, TensorFlow's native start-up lines do not reach stderr.

    File descriptor 2 is process-wide: while the block runs, every thread's
    stderr goes to a temporary file, which is written back to stderr at the
    end, less TensorFlow's lines (see the module's docstring). So another
    thread loses nothing; its output is only delayed. In the window, the
    inference worker's thread runs this block while the GUI thread goes on
    drawing: Qt's and Python's messages from that thread arrive when the
    import ends. Only a hard crash inside the block would lose them, which is
    what ``DIGITPAD_DEBUG=1`` is for.

    Nested or concurrent uses are serialised; in verbose mode it does nothing.
    """
    if is_verbose() or getattr(_state, "capturing", False):
        yield
        return
    configure_environment()
    with _lock, tempfile.TemporaryFile(prefix="digitpad-stderr-") as capture:
        _state.capturing = True
        _flush_stderr()
        saved = os.dup(2)
        try:
            os.dup2(capture.fileno(), 2)
            failed = True
            try:
                yield
                failed = False
            finally:
                _flush_stderr()
                os.dup2(saved, 2)
                capture.seek(0)
                captured = capture.read()
                # A failed import is explained by everything it printed.
                rest = captured if failed else filter_native_lines(captured, tf_log_level())
                if rest:
                    with contextlib.suppress(OSError):
                        os.write(2, rest)
        finally:
            os.close(saved)
            _state.capturing = False


def import_tensorflow() -> ModuleType:
    """Import TensorFlow and initialise its devices quietly; return the module.

    Listing the physical devices is where TensorFlow calls ``cuInit`` (and
    logs its failure on a machine without a GPU); it sets up nothing that
    could still be configured, so doing it here changes nothing else.

    Raises:
        ImportError: TensorFlow could not be imported (what it printed is
            on stderr).
    """
    module = sys.modules.get("tensorflow")
    if module is not None and hasattr(module, "config"):
        return module
    with tensorflow_import():
        import tensorflow

        _list_devices(tensorflow)
    return tensorflow


def install_import_hook() -> None:
    """Make the process's first ``import tensorflow``, wherever it is, a quiet one.

    For the command line and the training process, where TensorFlow is
    imported lazily by whichever code needs it first. Sets
    ``TF_CPP_MIN_LOG_LEVEL`` (see :func:`configure_environment`) at once.
    Does nothing in verbose mode or once TensorFlow is imported.
    """
    configure_environment()
    if is_verbose() or "tensorflow" in sys.modules:
        return
    if not any(isinstance(finder, _QuietFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _QuietFinder())


class _QuietFinder(importlib.abc.MetaPathFinder):
    """Finds ``tensorflow`` with the usual finders and loads it in :func:`tensorflow_import`."""

    def __init__(self) -> None:
        self._finding = False

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        """The usual spec of ``tensorflow`` with a quiet loader; ``None`` for the rest."""
        if fullname != "tensorflow" or self._finding:
            return None
        self._finding = True
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            self._finding = False
        if spec is None or spec.loader is None:
            return None
        spec.loader = _QuietLoader(spec.loader)
        return spec


class _QuietLoader(importlib.abc.Loader):
    """Runs the real loader inside :func:`tensorflow_import`, then steps aside."""

    def __init__(self, loader: importlib.abc.Loader) -> None:
        self.loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        """The real loader's module."""
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        """Run TensorFlow's ``__init__`` and list its devices, quietly; fire only once."""
        # The module keeps its real loader (importlib.resources and friends use it).
        module.__loader__ = self.loader
        if module.__spec__ is not None:
            module.__spec__.loader = self.loader
        _remove_hook()
        with tensorflow_import():
            self.loader.exec_module(module)
            _list_devices(module)


def _remove_hook() -> None:
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, _QuietFinder)]


def _list_devices(tensorflow: ModuleType) -> None:
    # A TensorFlow without devices support (a stub in tests) is not our concern.
    with contextlib.suppress(AttributeError):
        tensorflow.config.list_physical_devices()


def _flush_stderr() -> None:
    with contextlib.suppress(Exception):
        if sys.stderr is not None:
            sys.stderr.flush()
