import gzip
import hashlib
import http.server
import shutil
import socket
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from digitpad.storage import mnist as mnist_files
from digitpad.storage.mnist import MnistDownloadError, MnistError, load_mnist

FILES = [
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
]


@pytest.fixture
def no_download_cache(tmp_path, monkeypatch):
    """No Keras cache and no digitpad cache: the loader must try the network."""
    monkeypatch.delenv("DIGITPAD_MNIST", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))


@pytest.fixture
def mnist_copy(mnist, tmp_path) -> Path:
    """A writable copy of the real IDX folder."""
    folder = tmp_path / "mnist-copy"
    shutil.copytree(mnist.source, folder)
    return folder


@pytest.mark.mnist
def test_real_mnist_loads_verified(mnist):
    assert mnist.x_train.shape == (60000, 28, 28)
    assert mnist.x_test.shape == (10000, 28, 28)
    assert mnist.y_train.shape == (60000,)
    assert mnist.x_train.dtype == np.uint8
    assert set(np.unique(mnist.y_test)) == set(range(10))
    assert mnist.x_train.mean() == pytest.approx(33.32, abs=0.01)
    assert not mnist.x_train.flags.writeable


@pytest.mark.mnist
def test_keras_style_npz_loads(mnist, tmp_path):
    path = tmp_path / "mnist.npz"
    np.savez_compressed(
        path,
        x_train=mnist.x_train,
        y_train=mnist.y_train,
        x_test=mnist.x_test,
        y_test=mnist.y_test,
    )
    loaded = load_mnist(path)
    np.testing.assert_array_equal(loaded.x_test, mnist.x_test)


@pytest.mark.mnist
def test_uncompressed_idx_files_load(mnist_copy):
    for name in FILES:
        raw = gzip.decompress((mnist_copy / name).read_bytes())
        (mnist_copy / name).unlink()
        (mnist_copy / name.removesuffix(".gz")).write_bytes(raw)
    assert load_mnist(mnist_copy).x_train.shape == (60000, 28, 28)


@pytest.mark.mnist
def test_env_variable_names_the_local_copy(mnist, monkeypatch):
    monkeypatch.setenv("DIGITPAD_MNIST", mnist.source)
    assert load_mnist().source == mnist.source


def test_missing_local_copy_is_named(tmp_path):
    with pytest.raises(MnistError, match="does not exist.*DIGITPAD_MNIST"):
        load_mnist(tmp_path / "nowhere")


@pytest.mark.mnist
def test_missing_file_in_folder_is_named(mnist_copy):
    (mnist_copy / FILES[3]).unlink()
    with pytest.raises(MnistError, match="t10k-labels-idx1-ubyte.gz"):
        load_mnist(mnist_copy)


@pytest.mark.mnist
def test_truncated_gz_is_named(mnist_copy):
    path = mnist_copy / FILES[0]
    path.write_bytes(path.read_bytes()[:100_000])
    with pytest.raises(MnistError, match="train-images-idx3-ubyte.gz.*truncated"):
        load_mnist(mnist_copy)


@pytest.mark.mnist
def test_one_changed_pixel_fails_the_checksum(mnist_copy):
    path = mnist_copy / FILES[2]
    raw = bytearray(gzip.decompress(path.read_bytes()))
    raw[5000] ^= 0xFF
    path.write_bytes(gzip.compress(bytes(raw)))
    with pytest.raises(MnistError, match="t10k-images.*does not match the original"):
        load_mnist(mnist_copy)


@pytest.mark.mnist
def test_wrong_magic_is_named(mnist_copy):
    # Labels where images should be.
    shutil.copy(mnist_copy / FILES[1], mnist_copy / FILES[0])
    with pytest.raises(MnistError, match="train-images.*magic"):
        load_mnist(mnist_copy)


def test_garbage_npz_is_named(tmp_path):
    path = tmp_path / "mnist.npz"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(MnistError, match="mnist.npz"):
        load_mnist(path)


def test_npz_without_the_arrays_is_named(tmp_path):
    path = tmp_path / "mnist.npz"
    np.savez(path, something=np.zeros(3))
    with pytest.raises(MnistError, match="lacks x_train"):
        load_mnist(path)


def test_pickled_npz_is_never_unpickled(tmp_path):
    path = tmp_path / "mnist.npz"
    np.savez(path, x_train=np.array([object()], dtype=object), y_train=[1], x_test=[1], y_test=[1])
    with pytest.raises(MnistError):
        load_mnist(path)


def test_offline_error_says_how_to_use_a_local_copy(no_download_cache, digitpad_home):
    started = time.monotonic()
    with pytest.raises(MnistDownloadError) as info:
        load_mnist()
    message = str(info.value)
    assert "Could not download MNIST" in message
    assert "DIGITPAD_MNIST" in message
    assert "--mnist" in message
    assert time.monotonic() - started < 10
    leftovers = list((digitpad_home / "cache").rglob("*")) if digitpad_home.exists() else []
    assert [p for p in leftovers if p.is_file()] == []


class _Handler(http.server.BaseHTTPRequestHandler):
    payload = b""
    stall = False

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.payload) or 10_000_000))
        self.end_headers()
        if self.stall:
            self.wfile.write(b"PK")
            self.wfile.flush()
            time.sleep(5)
            return
        self.wfile.write(self.payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    servers = []

    def start(payload: bytes = b"", stall: bool = False) -> str:
        handler = type("Handler", (_Handler,), {"payload": payload, "stall": stall})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/mnist.npz"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_stalled_download_fails_within_a_bounded_time(
    local_server, no_download_cache, digitpad_home, monkeypatch
):
    monkeypatch.setenv("DIGITPAD_MNIST_URL", local_server(stall=True))
    monkeypatch.setattr(mnist_files, "DOWNLOAD_TIMEOUT_S", 1.0)
    started = time.monotonic()
    with pytest.raises(MnistDownloadError, match="Could not download MNIST.*DIGITPAD_MNIST"):
        load_mnist()
    assert time.monotonic() - started < 4
    assert not list((digitpad_home / "cache" / "mnist").iterdir())


@pytest.mark.mnist
def test_download_is_verified_and_cached(
    mnist, local_server, no_download_cache, digitpad_home, monkeypatch, tmp_path
):
    source = tmp_path / "served.npz"
    np.savez(
        source,
        x_train=mnist.x_train,
        y_train=mnist.y_train,
        x_test=mnist.x_test,
        y_test=mnist.y_test,
    )
    payload = source.read_bytes()
    monkeypatch.setenv("DIGITPAD_MNIST_URL", local_server(payload))
    monkeypatch.setattr(mnist_files, "KERAS_MNIST_SHA256", hashlib.sha256(payload).hexdigest())
    seen = []
    loaded = load_mnist(progress=lambda done, total: seen.append((done, total)))
    assert loaded.x_train.shape == (60000, 28, 28)
    assert seen[-1] == (len(payload), len(payload))
    # Second time: from the cache, no network.
    monkeypatch.setenv("DIGITPAD_MNIST_URL", "http://127.0.0.1:9/none")
    assert load_mnist().source == str(digitpad_home / "cache" / "mnist" / "mnist.npz")


def test_corrupted_download_leaves_nothing(
    local_server, no_download_cache, digitpad_home, monkeypatch
):
    monkeypatch.setenv("DIGITPAD_MNIST_URL", local_server(b"x" * 5000))
    with pytest.raises(MnistDownloadError, match="corrupted"):
        load_mnist()
    assert not list((digitpad_home / "cache" / "mnist").iterdir())


def test_free_port_is_really_closed():
    # The offline tests rely on port 9 (discard) refusing connections here.
    with socket.socket() as sock:
        sock.settimeout(1)
        assert sock.connect_ex(("127.0.0.1", 9)) != 0
