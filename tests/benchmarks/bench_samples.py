"""Time ``export-samples`` then ``import-samples`` of 5,000 drawings (issue #15: under 10 s).

Usage::

    DIGITPAD_MNIST=/path/to/mnist python tests/benchmarks/bench_samples.py
        [--count 5000] [--one-at-a-time 300] [--no-cli]

The drawings are the first ``--count`` digits of the MNIST test set (as the
app keeps them: float32 28 x 28, ink 1.0); every third one has strokes (its
ink pixels traced row by row in canvas units, two strokes, ~100 points), the
others are opened images. They are put in a sample store in a temporary
folder; then, through the functions the CLI calls:

* export: a fresh ``SampleStore(...).samples()`` (reads and verifies every
  file) and ``export_samples`` into a new folder;
* import: ``import_samples`` of that folder into an empty store;

and the imported drawings are checked against the originals: the same
28 x 28 arrays (bit for bit), labels, strokes and pen widths. The same round
trip then runs once through the CLI in subprocesses (``python -m digitpad``,
``DIGITPAD_HOME`` set to temporary folders; interpreter start included).

Times are wall clock with the process's CPU time (all threads) beside them:
on a shared machine the difference is the wait for a core or the disk.

For comparison, on ``--one-at-a-time`` drawings only, extrapolated to
``--count`` (and said so): the store's ``add`` one drawing at a time (a
temp file, its fsync, a rename and a folder fsync each), beside
``add_many`` of all ``--count``; and an import adding each drawing alone
(``sample_export.BATCH = 1``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from digitpad.storage import paths, sample_export  # noqa: E402
from digitpad.storage.mnist import load_mnist  # noqa: E402
from digitpad.storage.sample_export import export_samples, import_samples  # noqa: E402
from digitpad.storage.samples import Sample, SampleStore, prepare_sample  # noqa: E402

CANVAS = 280
TARGET_S = 10.0


def drawings(count: int) -> list[tuple[np.ndarray, int, list[np.ndarray], float]]:
    """The first ``count`` MNIST test digits as (x28, label, strokes, pen width)."""
    mnist = load_mnist(download=False)
    if count > len(mnist.x_test):
        raise SystemExit(f"--count is at most {len(mnist.x_test)} (the MNIST test set)")
    found = []
    for index in range(count):
        x28 = mnist.x_test[index].astype(np.float32) / 255.0
        strokes: list[np.ndarray] = []
        if index % 3 == 0:
            rows, cols = np.nonzero(x28 > 0.5)
            points = np.column_stack([cols, rows]).astype(np.float64) * (CANVAS / 28) + 5.0
            half = len(points) // 2
            strokes = [points[:half], points[half:]]
        found.append((x28, int(mnist.y_test[index]), strokes, 12.0 + index % 10))
    return found


def content(samples: list[Sample]) -> list[tuple[int, bytes, float, tuple[bytes, ...]]]:
    """What must survive a round trip, in a canonical order."""
    return sorted(
        (
            sample.label,
            sample.x28.tobytes(),
            sample.pen_width,
            tuple(stroke.tobytes() for stroke in sample.strokes),
        )
        for sample in samples
    )


def samples_dir_in(home: Path) -> Path:
    """The samples folder the CLI uses with ``DIGITPAD_HOME=home``."""
    before = os.environ.get(paths.HOME_ENV)
    os.environ[paths.HOME_ENV] = str(home)
    try:
        return paths.samples_dir()
    finally:
        if before is None:
            del os.environ[paths.HOME_ENV]
        else:
            os.environ[paths.HOME_ENV] = before


def run_cli(home: Path, *args: str) -> float:
    """Run ``python -m digitpad ARGS`` with ``DIGITPAD_HOME=home``; its wall time."""
    env = {**os.environ, "DIGITPAD_HOME": str(home), "PYTHONPATH": str(REPO)}
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "digitpad", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=600,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"digitpad {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    print(f"  $ digitpad {args[0]} ...: {result.stdout.strip()}")
    return elapsed


class Timed:
    """Wall and CPU time (this process, all its threads) of a ``with`` block."""

    def __enter__(self) -> Timed:
        self._wall, self._cpu = time.perf_counter(), _cpu()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self._wall
        self.cpu = _cpu() - self._cpu

    def __str__(self) -> str:
        return f"{self.wall:6.2f} s (CPU {self.cpu:5.2f} s)"


def _cpu() -> float:
    times = os.times()
    return times.user + times.system


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--one-at-a-time", type=int, default=300, dest="single")
    parser.add_argument("--no-cli", action="store_true", help="skip the CLI round trip")
    args = parser.parse_args()
    single = min(args.single, args.count)

    with tempfile.TemporaryDirectory(prefix="bench-samples-") as tmp:
        work = Path(tmp)
        items = drawings(args.count)
        points = np.mean([sum(map(len, item[2])) for item in items if item[2]])
        print(
            f"{args.count} drawings: the first MNIST test digits, "
            f"{sum(1 for item in items if item[2])} with strokes (~{points:.0f} points); "
            f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
        )
        home_from, home_to = work / "home-from", work / "home-to"
        source = SampleStore(samples_dir_in(home_from))
        source.add_many([prepare_sample(*item) for item in items])

        # -- the round trip, through the functions the CLI calls --
        with Timed() as reading:
            samples = SampleStore(source.root).samples()
        with Timed() as writing:
            export_samples(samples, work / "export")
        fresh = SampleStore(work / "fresh")
        with Timed() as importing:
            report = import_samples(work / "export", fresh)
        with Timed() as checking:
            imported = SampleStore(fresh.root).samples()
        expected = content(samples)
        same = content(imported) == expected
        export_s = reading.wall + writing.wall
        round_trip = export_s + importing.wall
        print(
            f"imported: {report.added} added, {report.duplicates} already kept, "
            f"{len(report.problems)} skipped; arrays, labels, strokes, pen widths "
            f"{'identical' if same else 'DIFFERENT'}"
        )
        print(f"export s:     {export_s:6.2f}  (reading the store {reading}, writing {writing})")
        print(f"import s:     {importing.wall:6.2f}  {importing}")
        print(
            f"round trip s: {round_trip:6.2f}  "
            f"({'under' if round_trip < TARGET_S else 'OVER'} the {TARGET_S:.0f} s target; "
            f"CPU {reading.cpu + writing.cpu + importing.cpu:.2f} s)"
        )
        print(f"then reading the {len(imported)} imported drawings (verified): {checking}")

        # -- PNG alone: written for every drawing, read when no sample file came --
        from digitpad.drawing.images import load_ink  # Qt: imported only here, as import does

        grey = sample_export.to_uint8(np.stack([sample.x28 for sample in samples]))
        with Timed() as encoding:
            for pixels in grey:
                sample_export.png_bytes(pixels)
        pngs = sorted((work / "export").glob("[0-9]/*.png"))[:single]
        with Timed() as decoding:
            for path in pngs:
                load_ink(path)
        print(
            f"PNG 28x28: encode {encoding.wall / len(grey) * 1000:.3f} ms each "
            f"({len(grey)}), read with load_ink {decoding.wall / len(pngs) * 1000:.3f} ms "
            f"each ({len(pngs)})"
        )

        # -- one at a time, as before issue #15: fewer drawings, extrapolated --
        one_by_one = SampleStore(work / "one-by-one")
        with Timed() as alone:
            for item in items[:single]:
                one_by_one.add(*item)
        prepared = [prepare_sample(*item) for item in items]
        with Timed() as together:
            SampleStore(work / "batched").add_many(prepared)
        scale = args.count / single
        print(
            f"store writes: add() one at a time x {single}: {alone} -> "
            f"{alone.wall * scale:.1f} s for {args.count} (EXTRAPOLATED x{scale:g}, not "
            f"measured); add_many() of all {args.count}: {together}"
        )
        export_samples(samples[:single], work / "export-few")
        sample_export.BATCH = 1  # every drawing added alone
        with Timed() as old_import:
            import_samples(work / "export-few", SampleStore(work / "fresh-few"))
        print(
            f"import adding one drawing at a time x {single}: {old_import} -> "
            f"{old_import.wall * scale:.1f} s for {args.count} (EXTRAPOLATED x{scale:g})"
        )

        cli_ok = True
        if not args.no_cli:
            # -- once through the CLI, in subprocesses --
            cli_export = run_cli(home_from, "export-samples", str(work / "cli-export"))
            cli_import = run_cli(home_to, "import-samples", str(work / "cli-export"))
            landed = SampleStore(samples_dir_in(home_to)).samples()
            cli_ok = content(landed) == expected
            print(
                f"CLI: export {cli_export:.2f} s, import {cli_import:.2f} s, round trip "
                f"{cli_export + cli_import:.2f} s (each with interpreter start and imports); "
                f"{len(landed)} drawings {'identical' if cli_ok else 'DIFFERENT'}"
            )
    return 0 if same and cli_ok and report.added == args.count else 1


if __name__ == "__main__":
    sys.exit(main())
