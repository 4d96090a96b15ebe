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
