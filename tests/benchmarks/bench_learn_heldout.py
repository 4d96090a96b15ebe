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
    python tests/benchmarks/bench_learn_heldout.py --weights /tmp/held.npz --window

``--window`` plays the same protocol on the drawings as the window reads
them: each drawing placed as ``bench_learn_window.py`` places it, cut into
candidates (``prepare``) and chosen by ``choose_digits`` with the memory
(gated, readings let stand), against the memory heard only after the
choice (its evidence not in the choice, no vouching): what
``number_reading`` changed. A correction keeps the digit the window would
select (the last written), a reading let stand keeps each digit shown.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

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
    parser.add_argument(
        "--window", action="store_true", help="the drawings as the window cuts and reads them"
    )
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
    if args.window:
        # The shipped reference's size: 300 of each digit.
        rng = np.random.default_rng(0)
        rows = np.nonzero(in_reference)[0]
        rows = np.concatenate(
            [rng.choice(rows[y[rows] == d], 300, replace=False) for d in range(10)]
        )
        window_protocol(
            predictor, calibration, (embeddings[rows], y[rows]), writer_range(args.writers)
        )
        return 0
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


def window_protocol(
    predictor: Any,
    calibration: Any,
    reference: tuple[np.ndarray, np.ndarray],
    writers: list[int],
) -> None:
    """The person's protocol on drawings cut and chosen as the window does; prints both ways."""
    from digitpad.drawing.number_input import Drawing, last_written, prepare
    from digitpad.drawing.render import DEFAULT_PEN_WIDTH
    from digitpad.net.calibration import reading
    from digitpad.net.memory import PersonalMemory
    from digitpad.net.number_reading import choose_digits
    from digitpad.storage import pendigits
    from tests.benchmarks.bench_learn import MAX_CORRECTIONS, STREAM
    from tests.benchmarks.bench_learn_window import placed_on_square
    from tests.benchmarks.bench_not_digit import negatives
    from tests.benchmarks.pen_data import _ensure_gui_app, load_split

    _ensure_gui_app()  # the candidates are painted with Qt
    digits = load_split("train")
    labels = np.array([d.label for d in digits])
    owners = np.array([d.writer for d in digits])
    stream_index = pendigits.SPLITS.index("train")
    cache: dict[int, tuple[Any, np.ndarray, np.ndarray]] = {}

    # Scribbles (bench_not_digit's families, not its digits side by side):
    # a writer's memory must not vouch for them.
    scribbles = [
        strokes for family, strokes in negatives("train", 20, 1) if "digits" not in family
    ]

    def candidates(index: int) -> tuple[Any, np.ndarray, np.ndarray]:
        if index not in cache:
            if index < 0:
                placed = scribbles[-1 - index]
            else:
                placed = placed_on_square(digits[index], stream_index, index)
            strokes = tuple(np.asarray(stroke, np.float64) for stroke in placed)
            prepared = prepare(Drawing(strokes, (float(DEFAULT_PEN_WIDTH),) * len(strokes)))
            raw, embedded = predictor.features_batch(prepared.inputs)
            cache[index] = (prepared, np.asarray(raw, np.float64), embedded)
        return cache[index]

    def read(index: int, memory: PersonalMemory, heard: bool) -> tuple[str, bool, list, list]:
        prepared, raw, embedded = candidates(index)
        if heard:
            chosen, p = choose_digits(prepared, raw, embedded, calibration, memory)
        else:
            chosen = prepared.digits(raw)
            picked = [d.piece for d in chosen]
            p = calibration.apply(raw[picked])
            if len(memory):
                p = memory.blend(p, embedded[picked])
        shown = [reading(q, calibration, d.not_a_digit) for d, q in zip(chosen, p, strict=True)]
        text = "".join(r.text for r in shown)
        sure = all(r.sure for r in shown)
        return text, sure, chosen, [embedded[d.piece] for d in chosen]

    for heard in (False, True):
        rows = []
        for writer in writers:
            mine = np.nonzero(owners == writer)[0]
            order = mine[np.random.default_rng([0, writer]).permutation(len(mine))]
            stream, others = order[:STREAM], np.sort(order[STREAM:])
            memory = PersonalMemory()
            memory.set_reference(*reference)
            base = np.mean([read(i, memory, heard)[0] == str(labels[i]) for i in others])
            corrections = 0
            for i in stream:
                text, sure, chosen, vectors = read(i, memory, heard)
                if (text != str(labels[i]) or not sure) and corrections < MAX_CORRECTIONS:
                    selected = last_written(chosen, True)
                    memory.add(vectors[selected], int(labels[i]), f"c{i}")
                    corrections += 1
                elif sure:
                    for k, vector in enumerate(vectors):
                        memory.add(vector, int(text[k]), f"a{i}-{k}")
            at_once = np.mean([read(i, memory, heard)[0] == str(labels[i]) for i in others])
            passed = sum("?" not in read(-1 - k, memory, heard)[0] for k in range(len(scribbles)))
            rows.append((base, at_once, passed))
        r = np.array(rows)
        print(
            f"memory {'in the choice, vouching' if heard else 'after the choice only'}: base "
            f"{r[:, 0].mean():.2%}, at once {r[:, 1].mean():.2%}, worst {r[:, 1].min():.2%}, "
            f"below base {int((r[:, 1] < r[:, 0] - 1e-12).sum())}; scribbles read as digits "
            f"(of {len(scribbles)}): most {int(r[:, 2].max())}, mean {r[:, 2].mean():.1f}; "
            "per writer "
            + " ".join(f"{w}:{a:.1%}" for w, (_, a, _) in zip(writers, rows, strict=True)),
            flush=True,
        )


if __name__ == "__main__":
    sys.exit(main())
