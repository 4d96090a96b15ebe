"""``digitpad train``'s settings flags, ``digitpad runs`` and ``digitpad import-network``."""

from __future__ import annotations

import json
import os

import pytest

from digitpad.cli import main


def test_invalid_settings_are_refused_before_anything_starts(capsys, tmp_path):
    missing = str(tmp_path / "no-mnist-here")
    for flags, words in (
        (["--lr", "0"], "learning rate must be a number above 0"),
        (["--batch-size", "0"], "batch size must be a whole number from 1"),
        (["--epochs", "1", "--lr", "5"], "at most 1"),
    ):
        assert main(["train", "--mnist", missing, *flags]) == 1
        err = capsys.readouterr().err
        assert words in err
        assert "MNIST" not in err  # refused before MNIST was even looked for
    with pytest.raises(SystemExit) as caught:
        main(["train", "--optimizer", "adagrad"])
    assert caught.value.code == 2


@pytest.mark.mnist
def test_flags_round_trip_into_the_runs_record(capsys, mnist):  # noqa: ARG001
    flags = [
        "train", "--recipe", "seed", "--optimizer", "adam", "--lr", "0.002",
        "--batch-size", "64", "--epochs", "1", "--samples", "640", "--augment",
        "--no-pen-digits", "--schedule", "onecycle", "--seed", "3",
        "--mnist", os.environ["DIGITPAD_MNIST"],
    ]  # fmt: skip
    assert main(flags) == 0
    assert "Kept as run" in capsys.readouterr().err
    assert main(["runs", "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    run = json.loads(lines[0])
    settings = run["settings"]
    assert settings["name"] == "seed"
    assert settings["optimizer"] == "adam"
    assert settings["learning_rate"] == 0.002
    assert settings["batch_size"] == 64
    assert settings["epochs"] == 1
    assert settings["train_samples"] == 640
    assert settings["augmentation"] is not None
    assert settings["pen_digits"] is False
    assert settings["schedule"] == "onecycle"
    assert settings["seed"] == 3
    assert run["in_use"] is True
    assert run["pen_test_accuracy"] is None
    assert run["network_kept"] is True
    assert main(["runs", "--pin", run["id"]]) == 0
    assert main(["runs"]) == 0
    out = capsys.readouterr().out
    assert f"{run['id']}*P" in out
    assert "unknown" in out


@pytest.mark.mnist
def test_import_network_refuses_another_architecture_in_one_line(capsys, tmp_path, mnist):  # noqa: ARG001
    from article_networks import other_model

    path = tmp_path / "other.h5"
    other_model().save(path)
    assert main(["import-network", str(path), "--mnist", os.environ["DIGITPAD_MNIST"]]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "not the article's LeNet" in err


def test_runs_lists_a_damaged_run_on_stderr_and_exits_1(capsys):
    from digitpad.storage.runs import RunStore

    store = RunStore()
    info = {"kind": "train", "label": "kept", "test_accuracy": 0.9}
    good = store.record(info)
    bad = store.record({**info, "label": "torn"})
    (store.root / bad.id / "run.json").write_text('{"format": 1, "id": ')
    assert main(["runs", "--json"]) == 1
    captured = capsys.readouterr()
    assert [json.loads(line)["id"] for line in captured.out.splitlines()] == [good.id]
    assert "damaged run " in captured.err
    assert bad.id in captured.err
    assert main(["runs"]) == 1
    assert "unknown" in capsys.readouterr().out  # no pendigits-test figure recorded


@pytest.mark.mnist
def test_sgd_round_trips_into_the_runs_record(capsys, mnist):  # noqa: ARG001
    flags = ["train", "--recipe", "seed", "--optimizer", "sgd", "--lr", "0.01", "--epochs", "1"]
    flags += ["--samples", "320", "--mnist", os.environ["DIGITPAD_MNIST"]]
    assert main(flags) == 0
    capsys.readouterr()
    assert main(["runs", "--json"]) == 0
    settings = json.loads(capsys.readouterr().out.splitlines()[-1])["settings"]
    assert (settings["optimizer"], settings["learning_rate"]) == ("sgd", 0.01)


@pytest.mark.parametrize(
    "argv",
    [
        ["runs"],
        ["runs", "--json"],
        ["train", "--samples", "100", "--epochs", "1"],
        ["import-network", "missing.keras"],
    ],
)
def test_a_bad_runs_cap_is_refused_by_every_command_alike(argv, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("DIGITPAD_RUNS_CAP_MB", "abc")
    monkeypatch.setenv("DIGITPAD_MNIST", str(tmp_path / "no-mnist-here"))
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err == (
        "digitpad: DIGITPAD_RUNS_CAP_MB must be a positive number of megabytes, got 'abc'; "
        "unset it or fix it\n"
    )  # one line, before anything starts (MNIST is not even looked for)


@pytest.mark.parametrize(
    "flags",
    [["--pin", "A", "--use", "B"], ["--pin", "A", "--unpin", "A"], ["--json", "--use", "A"]],
)
def test_runs_refuses_two_things_at_once_rather_than_ignore_one(flags, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["runs", *flags])
    assert caught.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err
