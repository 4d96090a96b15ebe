"""``digitpad install-desktop``: the menu entry and icon for the user's desktop."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from digitpad.cli.common import EXIT_OK, CliError, printable


def add_parser(commands: Any) -> None:
    """Add the subcommand to ``commands`` (the parser's subparsers)."""
    desktop = commands.add_parser(
        "install-desktop",
        help="add digitpad to your desktop's application menu (or --uninstall)",
        description="Write digitpad.desktop to $XDG_DATA_HOME/applications and the icon to "
        "$XDG_DATA_HOME/icons/hicolor/scalable/apps ($XDG_DATA_HOME defaults to "
        "~/.local/share); the entry starts this installation's digitpad command. "
        "--uninstall removes exactly these two files.",
    )
    desktop.add_argument(
        "--uninstall", action="store_true", help="remove the entry and icon written before"
    )


def install_desktop(args: argparse.Namespace) -> int:
    """``digitpad install-desktop [--uninstall]``."""
    from digitpad.storage import desktop_files

    try:
        report = desktop_files.uninstall() if args.uninstall else desktop_files.install()
    except desktop_files.DesktopError as exc:
        raise CliError(str(exc)) from exc
    for path in report.written:
        print(f"wrote {printable(str(path))}")
    for path in report.removed:
        print(f"removed {printable(str(path))}")
    for reason in report.kept:
        print(f"digitpad: {printable(reason)}", file=sys.stderr)
    if args.uninstall and not report.removed and not report.kept:
        print("Nothing to remove: digitpad's desktop entry is not installed.")
    return EXIT_OK
