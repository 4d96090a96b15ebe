"""The desktop menu entry and icon, in the user's XDG folders (``digitpad install-desktop``).

``pip install`` cannot put files in ``~/.local/share``; this does, for the
user who asks::

    $XDG_DATA_HOME/applications/digitpad.desktop           Exec = the digitpad command
    $XDG_DATA_HOME/icons/hicolor/scalable/apps/digitpad.svg

(``$XDG_DATA_HOME`` is ``~/.local/share`` when unset.) Uninstalling removes
exactly these two files, and only if they are still the ones written here:
a file changed since (or put there by someone else) is left alone and
reported. Folders are never removed.

Pure Python: no Qt, no TensorFlow.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from digitpad.storage import paths
from digitpad.storage.atomic import atomic_write

DESKTOP_NAME = "digitpad.desktop"
ICON_NAME = "digitpad.svg"
#: Marks an entry written by this module (the uninstaller checks it).
MARKER = "X-Digitpad-Installed=true"


class DesktopError(Exception):
    """The entry could not be installed or removed (message for people)."""


@dataclass
class DesktopReport:
    """What installing or uninstalling did.

    Attributes:
        written: files written (install).
        removed: files removed (uninstall).
        kept: files left alone, with why (uninstall).
    """

    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def xdg_data_home() -> Path:
    """``$XDG_DATA_HOME`` if it is an absolute path (as the spec says), else ~/.local/share."""
    value = os.environ.get("XDG_DATA_HOME", "").strip()
    if value and Path(value).is_absolute():
        return Path(value)
    return Path.home() / ".local" / "share"


def desktop_file_path(data_home: Path | None = None) -> Path:
    """Where the menu entry goes."""
    return (data_home or xdg_data_home()) / "applications" / DESKTOP_NAME


def icon_path(data_home: Path | None = None) -> Path:
    """Where the icon goes (the hicolor theme's scalable size)."""
    return (data_home or xdg_data_home()) / "icons" / "hicolor" / "scalable" / "apps" / ICON_NAME


def digitpad_command() -> list[str]:
    """The command that starts digitpad: the installed script, else ``python -m digitpad``."""
    found = shutil.which("digitpad")
    if found:
        return [str(Path(found).resolve())]
    return [str(Path(sys.executable).resolve()), "-m", "digitpad"]


def exec_value(argv: list[str]) -> str:
    r"""``argv`` as the value of a desktop entry's ``Exec`` key.

    Per the Desktop Entry Specification: an argument with a reserved
    character is double-quoted, with ``"``, `````, ``$`` and ``\\`` escaped
    by a backslash; then the value as a whole escapes each backslash again,
    and a literal ``%`` is written ``%%``.
    """
    reserved = set(" \t\n\"'\\><~|&;$*?#()`")
    quoted = []
    for arg in argv:
        if any(ch in reserved for ch in arg) or not arg:
            inner = "".join("\\" + ch if ch in '"`$\\' else ch for ch in arg)
            arg = f'"{inner}"'
        quoted.append(arg.replace("%", "%%"))
    return " ".join(quoted).replace("\\", "\\\\")


def desktop_entry(argv: list[str]) -> str:
    """The bundled entry with ``Exec`` and ``TryExec`` pointing at ``argv``."""
    source = paths.resource_path(DESKTOP_NAME).read_text(encoding="utf-8")
    if any("\n" in arg or "\r" in arg for arg in argv):
        raise DesktopError("The digitpad command's path holds a line break; it cannot be used.")
    lines = []
    for line in source.splitlines():
        key = line.split("=", 1)[0].strip()
        if key == "Exec":
            lines.append(f"Exec={exec_value(argv)}")
            lines.append(f"TryExec={argv[0].replace(chr(92), chr(92) * 2)}")
        elif key in ("TryExec", MARKER.split("=", 1)[0]):
            continue
        else:
            lines.append(line)
    lines.append(MARKER)
    return "\n".join(lines) + "\n"


def install(argv: list[str] | None = None, data_home: Path | None = None) -> DesktopReport:
    """Write the menu entry and the icon.

    Args:
        argv: the command to start digitpad (default: :func:`digitpad_command`).
        data_home: instead of ``$XDG_DATA_HOME``.

    Raises:
        DesktopError: a file could not be written (the message says which).
    """
    entry = desktop_entry(argv or digitpad_command())
    icon = paths.resource_path(ICON_NAME).read_bytes()
    report = DesktopReport()
    for target, data in (
        (icon_path(data_home), icon),
        (desktop_file_path(data_home), entry.encode("utf-8")),
    ):
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(target, data)
        except OSError as exc:
            raise DesktopError(f"Could not write {target} ({exc.strerror or exc}).") from exc
        report.written.append(target)
    return report


def uninstall(data_home: Path | None = None) -> DesktopReport:
    """Remove the menu entry and the icon written by :func:`install`, and nothing else.

    Raises:
        DesktopError: a file of ours could not be removed.
    """
    report = DesktopReport()
    icon = paths.resource_path(ICON_NAME).read_bytes()
    checks = (
        (desktop_file_path(data_home), lambda data: MARKER.encode() in data.splitlines()),
        (icon_path(data_home), lambda data: data == icon),
    )
    for target, ours in checks:
        if not target.exists() and not target.is_symlink():
            continue
        if target.is_symlink() or not target.is_file():
            report.kept.append(f"{target} is not a file digitpad wrote; left alone.")
            continue
        try:
            data = target.read_bytes()
        except OSError as exc:
            report.kept.append(f"{target} cannot be read ({exc.strerror or exc}); left alone.")
            continue
        if not ours(data):
            report.kept.append(f"{target} was not written by digitpad (or changed); left alone.")
            continue
        try:
            target.unlink()
        except OSError as exc:
            raise DesktopError(f"Could not remove {target} ({exc.strerror or exc}).") from exc
        report.removed.append(target)
    return report
