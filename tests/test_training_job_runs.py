"""The training process's jobs keep runs: a training, a ladder of learning rates, an import."""

from __future__ import annotations

import json
import os
import threading

import pytest

from digitpad.net.lr_ladder import LadderPlan, judge
from digitpad.net.training_job import IMPORT, LADDER, TRAIN, Job, _import, _ladder, _train
from digitpad.storage.model_store import ModelStore
from digitpad.storage.runs import RunStore

pytestmark = pytest.mark.mnist

MNIST_PATH = os.environ.get("DIGITPAD_MNIST")


def test_a_training_is_kept_as_a_run_with_its_settings_and_curves(mnist):  # noqa: ARG001
    from digitpad.net.recipes import get_recipe

    recipe = get_recipe("seed", train_samples=640, epochs=1, learning_rate=0.002)
    sent: list = []
    _train(Job(TRAIN, MNIST_PATH, recipe=recipe), sent.append, threading.Event())
    kind, _weights, manifest, save_error, kept = sent[-1]
    assert (kind, save_error) == ("finished", "")
    assert kept["run_error"] == ""
    run = RunStore().get(kept["run_id"])
    assert run.settings == json.loads(json.dumps(recipe.as_dict()))
    assert run.kind == "train"
    assert len(run.history["batch_loss"]) == 20  # 640 images at batch 32
    assert run.history["epochs"][0]["epoch"] == 1.0
    assert run.test_accuracy == pytest.approx(manifest["test_accuracy"], abs=1e-6)
    assert run.entry_sha256 == manifest["sha256"]
    assert run.outcome == "in use"
    assert RunStore().in_use_id() == run.id


def test_a_ladder_of_three_rates_keeps_three_runs_and_never_touches_the_model(mnist):  # noqa: ARG001
    plan = LadderPlan(rates=(0.01, 0.001, 0.0001), subset=960, epochs=1)
    sent: list = []
    _ladder(Job(LADDER, MNIST_PATH, ladder=plan), sent.append, threading.Event())
    kinds = [message[0] for message in sent]
    assert kinds.count("rung") == 3
    assert kinds.count("rung_done") == 3
    assert kinds[-1] == "ladder_done"
    assert "finished" not in kinds
    summaries = sent[-1][1]
    assert [s["rate"] for s in summaries] == [0.01, 0.001, 0.0001]
    runs = RunStore().runs()
    assert [run.settings["learning_rate"] for run in runs] == [0.01, 0.001, 0.0001]
    assert {run.kind for run in runs} == {"ladder"}
    assert all(len(run.history["batch_loss"]) == 30 for run in runs)
    assert not ModelStore().has("base")
    verdict = judge({s["rate"]: s["batch_loss"] for s in summaries})
    assert len(verdict.verdicts) == 3


def test_a_cancelled_ladder_stops(mnist):  # noqa: ARG001
    from digitpad.net.progress import TrainingCancelled

    cancel = threading.Event()
    sent: list = []

    def send(message):
        sent.append(message)
        if message[0] == "rung_done":
            cancel.set()

    plan = LadderPlan(rates=(0.01, 0.001), subset=320, epochs=1)
    with pytest.raises(TrainingCancelled):
        _ladder(Job(LADDER, MNIST_PATH, ladder=plan), send, cancel)
    assert [m[0] for m in sent].count("rung_done") == 1


def test_an_import_job_answers_with_the_run_or_why_not(tmp_path, mnist):  # noqa: ARG001
    from article_networks import other_model

    path = tmp_path / "other.keras"
    other_model().save(path)
    sent: list = []
    _import(Job(IMPORT, MNIST_PATH, path=str(path)), sent.append)
    assert sent[-1][0] == "imported"
    assert sent[-1][1] is None
    assert "not the article's LeNet" in sent[-1][2]
    assert RunStore().runs() == []
