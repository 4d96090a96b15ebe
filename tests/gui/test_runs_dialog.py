"""The Runs dialog on its own: what it says when runs cannot be kept."""

from __future__ import annotations

from digitpad.gui.runs_dialog import RunsDialog
from digitpad.net.lenet import ARCHITECTURE_ID
from digitpad.storage.runs import RunStore


def test_a_bad_runs_cap_opens_the_dialog_and_says_why_no_run_is_kept(qtbot, tmp_path, monkeypatch):
    kept = RunStore(tmp_path / "runs").record(
        {"kind": "train", "label": "kept", "architecture": ARCHITECTURE_ID}, None
    )
    monkeypatch.setenv("DIGITPAD_RUNS_CAP_MB", "abc")
    dialog = RunsDialog(store=RunStore(tmp_path / "runs"))
    qtbot.addWidget(dialog)
    dialog.show()
    assert [run.id for run in dialog.runs()] == [kept.id]
    assert dialog.cap_label.isVisible()
    text = dialog.cap_label.text()
    assert "not kept as runs" in text
    assert "DIGITPAD_RUNS_CAP_MB must be a positive number of megabytes, got 'abc'" in text
    monkeypatch.delenv("DIGITPAD_RUNS_CAP_MB")
    dialog.refresh()
    assert not dialog.cap_label.isVisible()


def test_the_default_store_opens_with_a_bad_runs_cap(qtbot, monkeypatch):
    monkeypatch.setenv("DIGITPAD_RUNS_CAP_MB", "abc")
    dialog = RunsDialog()  # as Model > Runs… opens it
    qtbot.addWidget(dialog)
    assert dialog.runs() == []
    assert "DIGITPAD_RUNS_CAP_MB" in dialog.cap_label.text()


def _store_with_a_truncated_run(tmp_path) -> tuple[RunStore, str, str]:
    import numpy as np

    store = RunStore(tmp_path / "runs")
    info = {"kind": "train", "architecture": ARCHITECTURE_ID, "test_accuracy": 0.9}
    arrays = [np.ones((5, 5, 1, 20), np.float32), np.zeros(20, np.float32)]
    good = store.record({**info, "label": "good"}, arrays)
    bad = store.record({**info, "label": "truncated"}, arrays)
    path = store.root / bad.id / bad.network["file"]
    path.write_bytes(path.read_bytes()[:300])
    return store, good.id, bad.id


def test_a_run_whose_network_file_is_truncated_is_shown_damaged_and_cannot_be_used(
    qtbot, tmp_path
):
    store, good, bad = _store_with_a_truncated_run(tmp_path)
    dialog = RunsDialog(store=store)
    qtbot.addWidget(dialog)
    assert [run.id for run in dialog.runs()] == [good, bad]
    assert dialog.table.item(0, 6).text() == "kept"
    assert dialog.table.item(1, 6).text() == "damaged"
    assert "truncated or changed" in dialog.table.item(1, 6).toolTip()
    dialog.select([bad])
    assert not dialog.use_button.isEnabled()
    tip = dialog.use_button.toolTip()
    assert tip.startswith("Its network is damaged and cannot be used: its network file")
    assert "is 300 bytes" in tip
    assert dialog.unusable_reason(bad) is not None
    dialog.select([good])
    assert dialog.use_button.isEnabled()
    assert dialog.use_button.toolTip() == ""
    # Read in a thread as after a training: the same.
    dialog.refresh_later()
    qtbot.waitUntil(lambda: not dialog._reading, timeout=10_000)
    dialog.select([bad])
    assert not dialog.use_button.isEnabled()


def test_a_run_whose_use_failed_verification_is_shown_damaged(qtbot, tmp_path):
    store, good, _bad = _store_with_a_truncated_run(tmp_path)
    dialog = RunsDialog(store=store)
    qtbot.addWidget(dialog)
    dialog.select([good])
    assert dialog.use_button.isEnabled()
    dialog.mark_unusable(good, "its network does not match its record's sha256")
    assert not dialog.use_button.isEnabled()
    assert dialog.table.item(0, 6).text() == "damaged"
    assert "sha256" in dialog.use_button.toolTip()
    dialog.refresh()  # the size still matches: what the Use found stays said
    assert dialog.table.item(0, 6).text() == "damaged"
