"""Write resources/reference-digits.npz: the personal memory's reference digits.

3,000 of the bundled pendigits *training* writers' digits (300 of each digit,
:func:`digitpad.net.reference_digits.choose_reference`), rendered as the
canvas renders them (:func:`digitpad.net.pen_training_set.pen_digits_by_writer`,
seed 0). Prints the file's sha256 for ``REFERENCE_SHA256``.

    python scripts/make_reference_digits.py [--out resources/reference-digits.npz]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402

from digitpad.net.pen_training_set import pen_digits_by_writer  # noqa: E402
from digitpad.net.reference_digits import REFERENCE_FILE, choose_reference  # noqa: E402
from digitpad.storage.atomic import atomic_write_with  # noqa: E402


def main() -> int:
    """Render, choose and write the reference digits."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(REPO / "resources" / REFERENCE_FILE))
    args = parser.parse_args()
    x, y, writers = pen_digits_by_writer(seed=0)
    chosen = choose_reference(y)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, x=x[chosen], y=y[chosen].astype(np.uint8))
    data = buffer.getvalue()
    atomic_write_with(Path(args.out), lambda handle: handle.write(data), suffix=".npz")
    print(
        f"{args.out}: {len(chosen)} digits of {len(set(writers[chosen].tolist()))} writers, "
        f"{len(data):,} bytes, sha256 {hashlib.sha256(data).hexdigest()}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
