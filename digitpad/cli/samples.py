"""``digitpad export-samples`` and ``digitpad import-samples``: your digits as a dataset."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from digitpad.cli.common import (
    EXIT_FAILURE,
    EXIT_OK,
    CliError,
    check_samples_folder,
    counted,
    printable,
    printable_lines,
)


def add_parsers(commands: Any) -> None:
    """Add the two subcommands to ``commands`` (the parser's subparsers)."""
    export = commands.add_parser(
        "export-samples",
        help="write your kept drawings as a dataset (PNG per digit, CSV, strokes, MNIST IDX)",
        description="Write the drawings kept in the app as DIR/<digit>/<id>.png (the 28x28 "
        "input), labels.csv (file, digit, date, pen_width), strokes.jsonl, an MNIST-format "
        "pair images-idx3-ubyte.gz / labels-idx1-ubyte.gz, and samples/ (the exact drawings, "
        "for import-samples). DIR must be new or empty.",
    )
    export.add_argument("folder", metavar="DIR", help="a new or empty folder")
    bring = commands.add_parser(
        "import-samples",
        help="add drawings from a folder (an export, <digit>_*.png, or digit folders)",
        description="Add to your kept drawings: an exported folder, images named "
        "<digit>_<anything>.png, images in folders named 0 to 9, or digitpad sample files. "
        "Each is verified; a drawing already kept is not added twice; files that cannot be "
        "read are reported on stderr and make the exit code 1.",
    )
    bring.add_argument("folder", metavar="DIR", help="the folder holding the drawings")


def export_samples(args: argparse.Namespace) -> int:
    """``digitpad export-samples DIR``."""
    from digitpad.storage.sample_export import export_samples
    from digitpad.storage.samples import SampleError, SampleStore

    check_samples_folder()  # DIGITPAD_HOME a file: one line, not two
    store = SampleStore()
    samples = store.samples()
    for problem in store.problems:
        print(f"digitpad: {printable(problem)}", file=sys.stderr)
    try:
        report = export_samples(samples, args.folder)
    except SampleError as exc:
        raise CliError(printable_lines(str(exc))) from exc
    print(
        f"Exported {counted(report.count, 'drawing')} to {printable(str(report.folder))} "
        f"({report.with_strokes} with strokes)."
    )
    return EXIT_OK


def import_samples(args: argparse.Namespace) -> int:
    """``digitpad import-samples DIR``: exit code 1 when some file was skipped."""
    from digitpad.storage.sample_export import import_samples
    from digitpad.storage.samples import SampleError, SampleStore

    store = SampleStore()
    try:
        report = import_samples(args.folder, store)
    except SampleError as exc:
        # "Nothing to import" lists the files it skipped, by name, one per line.
        raise CliError(printable_lines(str(exc))) from exc
    for problem in report.problems:
        print(f"digitpad: {printable(problem)}", file=sys.stderr)
    already = f"; {report.duplicates} already kept" if report.duplicates else ""
    skipped = f"; {len(report.problems)} skipped" if report.problems else ""
    where = printable(str(store.root))
    print(f"Imported {counted(report.added, 'drawing')} into {where}{already}{skipped}.")
    return EXIT_FAILURE if report.problems else EXIT_OK
