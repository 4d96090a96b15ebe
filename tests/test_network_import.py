"""Open Network: weights of files written by Keras here are read; nothing in them is run."""

from __future__ import annotations

import zipfile

import numpy as np
import pytest
from article_networks import article_model, other_model

from digitpad.net.lenet import build_lenet, weight_shapes
from digitpad.net.network_import import NetworkImportError, read_weights


@pytest.fixture(scope="module")
def weights() -> list[np.ndarray]:
    return build_lenet().get_weights()


def test_reads_the_weights_of_a_keras_file_a_whole_model_h5_and_a_weights_h5(tmp_path, weights):
    model = article_model(weights)
    for name in ("lenet.keras", "lenet.h5", "lenet.weights.h5"):
        path = tmp_path / name
        if name.endswith(".weights.h5"):
            model.save_weights(path)
        else:
            model.save(path)
        read = read_weights(path)
        assert [w.shape for w in read.weights] == weight_shapes()
        for got, expected in zip(read.weights, weights, strict=True):
            np.testing.assert_array_equal(got, expected)
        assert read.file_format == {"lenet.keras": "keras", "lenet.h5": "h5"}.get(
            name, "weights.h5"
        )
        assert len(read.sha256) == 64


def test_a_lambda_layer_is_never_run(tmp_path, weights):
    marker = tmp_path / "marker"
    model = article_model(weights, lambda_marker=marker)
    path = tmp_path / "evil.keras"
    model.save(path)
    h5 = tmp_path / "evil.h5"
    model.save(h5)
    marker.unlink(missing_ok=True)  # building the model ran the Lambda once, here
    for source in (path, h5):
        read = read_weights(source)
        assert "lambda" in read.ignored
        np.testing.assert_array_equal(read.weights[0], weights[0])
    assert not marker.exists()


def test_another_architecture_is_refused_saying_what_did_not_match(tmp_path):
    path = tmp_path / "other.keras"
    other_model().save(path)
    with pytest.raises(NetworkImportError) as caught:
        read_weights(path)
    message = str(caught.value)
    assert "3x3x1x32 + 32" in message
    assert "which no LeNet layer has" in message


def test_a_truncated_file_is_refused(tmp_path, weights):
    path = tmp_path / "lenet.keras"
    article_model(weights).save(path)
    raw = path.read_bytes()
    for name, data in (("cut.keras", raw[: len(raw) // 2]), ("cut.h5", b"")):
        (tmp_path / name).write_bytes(data)
        with pytest.raises(NetworkImportError):
            read_weights(tmp_path / name)
    h5 = tmp_path / "lenet.h5"
    article_model(weights).save(h5)
    (tmp_path / "cut2.h5").write_bytes(h5.read_bytes()[:-200_000])
    with pytest.raises(NetworkImportError, match="damaged or truncated"):
        read_weights(tmp_path / "cut2.h5")


def test_a_zip_without_weights_and_an_external_link_are_refused(tmp_path):
    import h5py

    with zipfile.ZipFile(tmp_path / "empty.keras", "w") as archive:
        archive.writestr("config.json", "{}")
    with pytest.raises(NetworkImportError, match="without model.weights.h5"):
        read_weights(tmp_path / "empty.keras")
    secret = tmp_path / "secret.h5"
    with h5py.File(secret, "w") as handle:
        handle["data"] = np.zeros(3, np.float32)
    linking = tmp_path / "link.weights.h5"
    with h5py.File(linking, "w") as handle:
        handle["layers"] = h5py.ExternalLink(str(secret), "/")
    with pytest.raises(NetworkImportError, match="link to elsewhere"):
        read_weights(linking)


@pytest.mark.mnist
def test_import_network_keeps_a_measured_run_within_five_seconds(tmp_path, mnist, weights):
    from digitpad.net.experiment_runs import import_network
    from digitpad.storage.runs import RunStore

    path = tmp_path / "lenet.keras"
    article_model(weights).save(path)
    record = import_network(path, mnist)
    assert record.kind == "import"
    assert record.source["sha256"] == read_weights(path).sha256
    assert record.source["file"] == str(path.resolve())
    assert 0.0 <= record.test_accuracy <= 1.0
    assert record.pen_test_accuracy is None  # no pendigits-test given: unknown
    stored = RunStore().weights(record.id)
    np.testing.assert_array_equal(stored[4], weights[4])
    # Its time (target 5 s) is measured by tests/benchmarks/bench_experiments.py.
