"""The person's protocol on writers the network never saw, to tune the memory honestly.

``bench_learn.py`` plays the 14 pendigits *test* writers against the app's
network: the figure to report, not to tune on. This plays pendigits *train*
writers (default 16-30) against a network saved by ``bench_recipe.py`` that
was trained with those writers held out, so they are strangers to it as the
test writers are to the app's network, and it uses the pen digits of the
other train writers (default 1-15) as the memory's reference. It prints, for
the memory with and without its gate and with and without the readings let
stand: right at once (mean, worst writer), writers below their base, and
MNIST test with a writer's memory on (the worst drop)::

    python tests/benchmarks/bench_recipe.py \\
        --set validation_writers=16:17:18:19:20:21:22:23:24:25:26:27:28:29:30 --save /tmp/held.npz
    python tests/benchmarks/bench_learn_heldout.py --weights /tmp/held.npz
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.benchmarks.bench_learn import (  # noqa: E402
    accuracy,
    calibrated_reading,
    memory_of,
    run_stream,
)


def writer_range(text: str) -> list[int]:
    """``"16-30"`` -> ``[16, ..., 30]``."""
    low, _, high = text.partition("-")
    return list(range(int(low), int(high or low) + 1))


def main() -> int:
    """Play the held-out writers with each memory variant."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", required=True, help="a .npz saved by bench_recipe.py")
    parser.add_argument("--writers", default="16-30", help="the held-out train writers")
    parser.add_argument("--reference", default="1-15", help="train writers for the reference")
    parser.add_argument("--mnist", default=str(REPO_ROOT.parent / "shared" / "data" / "mnist"))
    args = parser.parse_args()

    from digitpad.net.calibration import Calibration
    from digitpad.net.inference import Predictor
    from digitpad.net.lenet import build_lenet
    from digitpad.net.memory import MemorySettings
    from digitpad.storage.mnist import load_mnist
    from tests.benchmarks.pen_data import pen_inputs

    saved = np.load(args.weights)
    model = build_lenet()
    model.set_weights([saved[f"w{i}"] for i in range(len(model.get_weights()))])
    predictor = Predictor(model)
    sidecar = Path(args.weights).with_suffix(".json")
    calibration = Calibration.from_manifest(
        {"calibration": json.loads(sidecar.read_text())} if sidecar.is_file() else None
    )
    print(f"network {args.weights}: {calibration}")
    mnist = load_mnist(args.mnist)
    x, y, writers = pen_inputs("train")
    probabilities, embeddings = calibrated_reading(predictor, calibration, x)
    mnist_probabilities, mnist_embeddings = calibrated_reading(
        predictor, calibration, mnist.x_test
    )
    mnist_base = accuracy(mnist_probabilities, mnist.y_test)
    in_reference = np.isin(writers, writer_range(args.reference))
    reference = (embeddings[in_reference], y[in_reference])
    settings = MemorySettings()
    print(f"memory: {settings}; reference: {int(in_reference.sum())} digits")
    for gated in (False, True):
        for let_stand in (False, True):
            rows = []
            for writer in writer_range(args.writers):
                mine = np.nonzero(writers == writer)[0]
                run = run_stream(
                    writer,
                    mine,
                    probabilities,
                    embeddings,
                    y,
                    settings,
                    curve=False,
                    remember_accepted=let_stand,
                    reference=reference if gated else None,
                )
                memory = memory_of(run, embeddings, y, settings, reference if gated else None)
                mnist_read = memory.blend(mnist_probabilities, mnist_embeddings)
                others = y[run.others]
                rows.append(
                    (
                        accuracy(run.base, others),
                        accuracy(run.at_once, others),
                        mnist_base - accuracy(mnist_read, mnist.y_test),
                    )
                )
            r = np.array(rows)
            print(
                f"gate {'on ' if gated else 'off'}, let stand {'on ' if let_stand else 'off'}: "
                f"base {r[:, 0].mean():.2%}, at once {r[:, 1].mean():.2%}, worst "
                f"{r[:, 1].min():.2%}, below base {int((r[:, 1] < r[:, 0] - 1e-12).sum())}, "
                f"MNIST drop worst {r[:, 2].max() * 100:.2f} pts",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
