"""``tlreview reproduce fetch``: downloads against a local HTTP server started by the test.

The server (``http.server`` on 127.0.0.1, a free port) serves SYNTHETIC bytes made in the test;
it can honour or ignore ``Range`` requests and can break a response off half-way, as a dropped
connection does. Nothing leaves the machine.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from reproduce.datasets.fetch import Download, FetchError, Instructions, download
from reproduce.datasets.load import load_splits
from reproduce.datasets.registry import REGISTRY
from reproduce.fetch import fetch, plan
from review.errors import DatasetError


class Server:
    """A local file server with switchable faults (SYNTHETIC content)."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.cut_after: int | None = None  # send only this many bytes, then close
        self.ignore_range = False
        self.requests: list[dict[str, str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's API
                server.requests.append({"path": self.path, **dict(self.headers)})
                body = server.files.get(self.path.split("?")[0])
                if body is None:
                    self.send_error(404)
                    return
                start = 0
                rng = self.headers.get("Range")
                if rng and not server.ignore_range:
                    start = int(rng.split("=")[1].split("-")[0])
                    if start >= len(body):
                        self.send_error(416)
                        return
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
                else:
                    self.send_response(200)
                rest = body[start:]
                self.send_header("Content-Length", str(len(rest)))
                self.end_headers()
                if server.cut_after is not None:
                    self.wfile.write(rest[: server.cut_after])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(rest)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server()
    yield s
    s.close()


def payload(n: int = 300_000, seed: int = 0) -> bytes:
    """SYNTHETIC file content."""
    return np.random.default_rng(seed).integers(0, 256, n, dtype=np.uint8).tobytes()


def job_for(server: Server, tmp_path: Path, body: bytes, **checksum: str) -> Download:
    server.files["/file.bin"] = body
    return Download(
        "synthetic", f"{server.url}/file.bin", tmp_path / "out" / "file.bin", **checksum
    )


def test_download_verifies_md5_and_places_atomically(server: Server, tmp_path: Path) -> None:
    body = payload()
    job = job_for(server, tmp_path, body, md5=hashlib.md5(body).hexdigest())
    path = download(job, quiet=True)
    assert path.read_bytes() == body
    assert not list(path.parent.glob("*.part"))
    n = len(server.requests)
    assert download(job, quiet=True) == path and len(server.requests) == n  # verified, no request


def test_wrong_checksum_is_refused_and_nothing_written(server: Server, tmp_path: Path) -> None:
    body = payload()
    job = job_for(server, tmp_path, body, sha256="0" * 64)
    with pytest.raises(FetchError) as err:
        download(job, quiet=True)
    msg = str(err.value)
    assert "expected sha256 " + "0" * 64 in msg
    assert hashlib.sha256(body).hexdigest() in msg and job.url in msg
    assert not job.dest.exists() and not list(job.dest.parent.glob("*"))
    assert isinstance(err.value, DatasetError)  # a user error: exit 2 in the CLI


def test_existing_file_with_wrong_checksum_is_not_overwritten(
    server: Server, tmp_path: Path
) -> None:
    body = payload()
    job = job_for(server, tmp_path, body, md5=hashlib.md5(body).hexdigest())
    job.dest.parent.mkdir(parents=True)
    job.dest.write_bytes(b"someone else's file")
    with pytest.raises(FetchError, match="exists but has MD5"):
        download(job, quiet=True)
    assert job.dest.read_bytes() == b"someone else's file" and not server.requests


def test_interrupted_download_resumes_with_range(server: Server, tmp_path: Path) -> None:
    body = payload()
    job = job_for(server, tmp_path, body, sha256_prefix=hashlib.sha256(body).hexdigest()[:8])
    server.cut_after = 100_000
    with pytest.raises(FetchError, match="broke off after 100000 of 300000 bytes"):
        download(job, quiet=True)
    part = job.dest.with_name("file.bin.part")
    assert part.stat().st_size == 100_000 and not job.dest.exists()
    server.cut_after = None
    assert download(job, quiet=True).read_bytes() == body
    assert server.requests[-1].get("Range") == "bytes=100000-"
    assert not part.exists()


def test_server_ignoring_range_restarts_cleanly(server: Server, tmp_path: Path) -> None:
    body = payload()
    job = job_for(server, tmp_path, body, md5=hashlib.md5(body).hexdigest())
    part = job.dest.with_name("file.bin.part")
    part.parent.mkdir(parents=True)
    part.write_bytes(b"stale bytes from another file")
    server.ignore_range = True
    assert download(job, quiet=True).read_bytes() == body


def test_missing_url_and_unreachable_server(server: Server, tmp_path: Path) -> None:
    job = Download("synthetic", f"{server.url}/absent.bin", tmp_path / "x.bin", md5="0" * 32)
    with pytest.raises(FetchError, match="answered HTTP 404"):
        download(job, quiet=True)
    dead = Download("synthetic", "http://127.0.0.1:9/x.bin", tmp_path / "y.bin", md5="0" * 32)
    with pytest.raises(FetchError, match="cannot reach"):
        download(dead, quiet=True, timeout=5)


def test_plan_for_each_kind_of_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TLREVIEW_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))
    job = plan("pneumoniamnist")
    assert isinstance(job, Download)
    assert job.url.startswith("https://zenodo.org/records/10519652/files/pneumoniamnist.npz")
    assert job.md5 == "28209eda62fecd6e6a2d98b1501bb15f"
    assert job.dest == tmp_path / "data" / "medmnist" / "pneumoniamnist.npz"
    weights = plan("resnet18")
    assert isinstance(weights, Download)
    assert weights.url == "https://download.pytorch.org/models/resnet18-f37072fd.pth"
    assert weights.sha256_prefix == "f37072fd"
    assert weights.dest == tmp_path / "torch" / "hub" / "checkpoints" / "resnet18-f37072fd.pth"
    squeeze = plan("squeezenet1_1", weights_dir=tmp_path / "w")
    assert isinstance(squeeze, Download) and len(squeeze.sha256) == 64
    for manual in ("busi", "brain_mri", "cifar10", "efficientnet_lite0"):
        assert isinstance(plan(manual), Instructions)
    assert "kaggle" in plan("brain_mri").text.lower()  # type: ignore[union-attr]
    with pytest.raises(DatasetError, match="not a data set .* or an architecture"):
        plan("nosuchthing")


def test_fetch_medmnist_end_to_end_then_load(
    server: Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A SYNTHETIC npz served as 'retinamnist' is fetched into TLREVIEW_DATA_DIR and loads."""
    rng = np.random.default_rng(0)
    src = tmp_path / "served.npz"
    arrays = {}
    for split, n in (("train", 10), ("val", 5), ("test", 5)):
        arrays[f"{split}_images"] = rng.integers(0, 256, (n, 28, 28, 3), dtype=np.uint8)
        arrays[f"{split}_labels"] = (np.arange(n) % 5).astype(np.uint8)[:, None]
    np.savez(src, **arrays)
    body = src.read_bytes()
    server.files["/retinamnist.npz"] = body
    spec = REGISTRY["retinamnist"]
    fake = dataclasses.replace(
        spec,
        source_url=f"{server.url}/retinamnist.npz?download=1",
        files=(dataclasses.replace(spec.files[0], official_md5=hashlib.md5(body).hexdigest()),),
        expected_counts={"train": 10, "val": 5, "test": 5},
    )
    monkeypatch.setitem(REGISTRY, "retinamnist", fake)
    monkeypatch.setenv("TLREVIEW_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TLREVIEW_CACHE_DIR", str(tmp_path / "cache"))
    fetch("retinamnist", quiet=True)
    assert (tmp_path / "data" / "medmnist" / "retinamnist.npz").read_bytes() == body
    assert "downloaded and verified" in capsys.readouterr().out
    data = load_splits("retinamnist")
    assert (len(data.train), len(data.val), len(data.test)) == (10, 5, 5)
