"""Fresh windows switching saliency and the network view while drawing never crash."""

from __future__ import annotations

import os

import pytest
import saliency_stress

pytestmark = [pytest.mark.mnist, pytest.mark.slow]

#: Fresh processes in the default run (the closing note's 100 run outside CI).
RUNS = int(os.environ.get("DIGITPAD_STRESS_RUNS", "3"))


def test_fresh_windows_switching_views_while_drawing(cached_model_home, digitpad_home, case):
    entry = case(
        f"{RUNS} fresh windows: saliency + network view switched while drawing",
        "no crash (issue 11: 8 of 8 died before)",
    )
    outcomes = saliency_stress.run(digitpad_home, RUNS, strokes=30)
    entry.note(", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items())))
    assert outcomes == {"ok": RUNS}
