"""`newsrec-download` against a real HTTP server on 127.0.0.1: transfers, resumes, refusals,
the errors a user sees, and the rule the raw-download sensor relies on (a `.part` is never a
file)."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import random
import re
import shutil
import socket
import ssl
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import trustme
from conftest import mind_zip
from ingestion.catalogue import Release, release, releases
from ingestion.download import cli
from ingestion.download.failures import DownloadError, refused, tls_failed
from ingestion.download.fetch import Downloader, http_client
from ingestion.download.progress import PlainReporter
from ingestion.landing import scan
from local_server import LocalServer, running

BODY = random.Random(13).randbytes(2_500_000)  # three 1 MiB chunks, the last one short


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with running() as local:
        yield local


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with http_client(timeout_s=5) as http:
        yield http


@pytest.fixture(autouse=True)
def no_acceptance(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSREC_ACCEPT_LICENSE", raising=False)
    monkeypatch.delenv("HF_TOKEN", raising=False)


def local(name: str, body: bytes, *urls: str, **changes: object) -> Release:
    """A catalogued release whose links point at the local server."""
    base = dataclasses.replace(
        release(name),
        urls=urls,
        mirrors=(),
        approx_size=f"{len(body) / 2**20:.3f} MB",
        size_bytes=len(body),
        sha256=hashlib.sha256(body).hexdigest(),
    )
    return dataclasses.replace(base, **changes)


class Recorder(PlainReporter):
    """Plain progress lines into a buffer, and the landing folder as `scan` sees it while the
    bytes flow."""

    def __init__(self, landing: Path | None = None) -> None:
        self.out = io.StringIO()
        super().__init__(self.out, every=3600)
        self.landing = landing
        self.during: list[tuple[list[str], list[str]]] = []

    def advance(self, size: int) -> None:
        super().advance(size)
        if self.landing is not None:
            files, waiting = scan(self.landing)
            self.during.append(([f.rel for f in files], waiting))

    @property
    def text(self) -> str:
        return self.out.getvalue()


def make(client: httpx.Client, reporter: Recorder, **options: object) -> Downloader:
    """Two retries, 10 ms backoff, and no real sleeping unless a test records the sleeps."""
    settings = {"retries": 2, "backoff_s": 0.01, "sleep": lambda s: None, **options}
    return Downloader(client, reporter, **settings)  # type: ignore[arg-type]


def use_catalogue(monkeypatch: pytest.MonkeyPatch, *items: Release) -> None:
    """The command line sees these releases in place of the catalogued ones of that name."""
    by_name = {item.name: item for item in items}
    monkeypatch.setattr(cli, "release", lambda name: by_name.get(name) or release(name))


def test_full_download_of_a_real_archive(server, tmp_path, capsys, monkeypatch):
    archive = mind_zip(tmp_path / "made", "MINDsmall_train.zip").read_bytes()
    url = server.serve("/MINDsmall_train.zip", archive, content_type="application/zip")
    use_catalogue(monkeypatch, local("mind-small-train", archive, url))

    code = cli.main(["mind-small-train", "--accept-license", "--to", str(tmp_path), "--url", url])

    target = tmp_path / "mind" / "MINDsmall_train.zip"
    assert code == 0
    assert target.read_bytes() == archive
    assert zipfile.ZipFile(target).testzip() is None
    assert not (tmp_path / "mind" / "MINDsmall_train.zip.part").exists()
    out = capsys.readouterr().out
    assert f"mind-small-train: {target} ({len(archive):,} bytes, sha256 and size checked)" in out
    assert len(server.requests) == 1
    assert server.requests[0].headers["accept-encoding"] == "identity"


def test_resumes_with_range_after_the_server_cuts_the_connection(server, client, tmp_path):
    url = server.serve("/MINDsmall_train.zip", BODY, cut_after=1_000_000)
    reporter = Recorder()
    target = make(client, reporter).fetch(local("mind-small-train", BODY, url), tmp_path)

    assert target.read_bytes() == BODY
    first, second = server.requests
    assert "range" not in first.headers
    assert second.headers["range"] == "bytes=1000000-"
    assert "retrying in 0.01 s (1 of 2 retries)" in reporter.text
    assert "MINDsmall_train.zip: 2.5 MB, resuming at 1.0 MB" in reporter.text


def test_resume_from_a_part_left_by_an_earlier_run(server, client, tmp_path):
    (tmp_path / "MINDsmall_train.zip.part").write_bytes(BODY[:1_234_567])
    url = server.serve("/MINDsmall_train.zip", BODY)

    target = make(client, Recorder()).fetch(local("mind-small-train", BODY, url), tmp_path)

    assert target.read_bytes() == BODY  # the sha256 covers the bytes from the earlier run too
    assert server.requests[0].headers["range"] == "bytes=1234567-"


def test_a_server_that_ignores_range_restarts_the_file(server, client, tmp_path):
    (tmp_path / "MINDsmall_train.zip.part").write_bytes(b"x" * 777)
    url = server.serve("/MINDsmall_train.zip", BODY, ranges=False, cut_after=500_000)
    reporter = Recorder()

    target = make(client, reporter).fetch(local("mind-small-train", BODY, url), tmp_path)

    assert target.read_bytes() == BODY
    assert [r.headers.get("range") for r in server.requests] == ["bytes=777-", "bytes=500000-"]
    assert reporter.text.count("ignored the Range request; starting from byte 0") == 2


def test_a_whole_part_is_finished_on_416(server, client, tmp_path):
    (tmp_path / "MINDsmall_train.zip.part").write_bytes(BODY)
    url = server.serve("/MINDsmall_train.zip", BODY)

    target = make(client, Recorder()).fetch(local("mind-small-train", BODY, url), tmp_path)

    assert target.read_bytes() == BODY
    assert server.requests[0].headers["range"] == f"bytes={len(BODY)}-"


def test_checksum_mismatch_renames_nothing_and_deletes_the_part(server, client, tmp_path):
    url = server.serve("/one_week.tar.gz", BODY)
    item = local("adressa-one-week", BODY, url, sha256=hashlib.sha256(b"other").hexdigest())

    with pytest.raises(DownloadError) as raised:
        make(client, Recorder()).fetch(item, tmp_path)

    message = str(raised.value)
    assert f"has sha256 {hashlib.sha256(BODY).hexdigest()}, the catalogue says" in message
    assert "deleted it; run again" in message
    assert list(tmp_path.iterdir()) == []
    assert scan(tmp_path) == ([], [])


def test_a_published_checksum_prefix_is_enough(server, client, tmp_path):
    url = server.serve("/MINDlarge_dev.zip", BODY)
    item = local("mind-large-dev", BODY, url, sha256=hashlib.sha256(BODY).hexdigest()[:16])

    assert make(client, Recorder()).fetch(item, tmp_path).read_bytes() == BODY


def test_a_file_of_another_size_is_refused_before_any_byte(server, client, tmp_path):
    url = server.serve("/ebnerd_testset.zip", BODY)
    item = local("ebnerd-testset", BODY, url, size_bytes=len(BODY) + 1)

    with pytest.raises(DownloadError, match=r"the server's file has 2,500,000 bytes, the cat"):
        make(client, Recorder()).fetch(item, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_size_far_from_the_published_one(server, client, tmp_path):
    url = server.serve("/MINDsmall_dev.zip", BODY)
    item = local("mind-small-dev", BODY, url, size_bytes=None, approx_size="29.51 MB")
    reporter = Recorder()

    with pytest.raises(
        DownloadError, match=re.escape("has 2.5 MB, MINDsmall_dev.zip is about 29.51 MB: the")
    ):
        make(client, reporter).fetch(item, tmp_path)
    given = server.serve("/given/MINDsmall_dev.zip", BODY)
    assert make(client, reporter).fetch(item, tmp_path, [given]).read_bytes() == BODY
    assert "is about 29.51 MB; downloading the link given" in reporter.text


def test_404_then_the_mirror(server, client, tmp_path):
    gone = server.url("/moved/MINDsmall_train.zip")
    mirror = server.serve("/mirror/MINDsmall_train.zip", BODY)
    reporter = Recorder()
    item = local("mind-small-train", BODY, gone, mirrors=(mirror,))

    target = make(client, reporter).fetch(item, tmp_path)

    assert target.read_bytes() == BODY
    assert [r.path for r in server.requests] == [
        "/moved/MINDsmall_train.zip",
        "/mirror/MINDsmall_train.zip",
    ]
    assert f"{gone}: HTTP 404: the link has moved; trying the next link" in reporter.text


def test_404_everywhere_says_where_to_look(server, client, tmp_path):
    item = local("adressa-three-month", BODY, server.url("/three_month.tar.gz"))

    with pytest.raises(DownloadError) as raised:
        make(client, Recorder()).fetch(item, tmp_path)

    assert "HTTP 404: the link has moved" in str(raised.value)
    assert "every known link was tried: find the current one" in str(raised.value)


def test_409_from_minds_retired_host_points_to_the_mirror(server, client, tmp_path):
    retired = server.serve("/release/MINDsmall_dev.zip", status=409)
    item = local("mind-small-dev", BODY, "https://example.invalid/MINDsmall_dev.zip")
    item = dataclasses.replace(item, retired=(retired,))

    with pytest.raises(DownloadError) as raised:
        make(client, Recorder()).fetch(item, tmp_path, [retired])

    message = str(raised.value)
    assert "HTTP 409: this is MIND's retired Azure host, whose public access is disabled" in message
    assert "MIND's files are served from: https://example.invalid/MINDsmall_dev.zip" in message
    assert "without --url the catalogue's links are tried: https://example.invalid/" in message


def test_409_then_the_mirror(server, client, tmp_path):
    retired = server.serve("/release/MINDsmall_dev.zip", status=409)
    mirror = server.serve("/newsrec/MINDsmall_dev.zip", BODY)
    item = local("mind-small-dev", BODY, retired, mirrors=(mirror,), retired=(retired,))

    assert make(client, Recorder()).fetch(item, tmp_path).read_bytes() == BODY


@pytest.mark.parametrize("status", [401, 403])
def test_401_403_on_a_form_link_says_to_fill_in_the_form_again(server, tmp_path, capsys, status):
    url = server.serve("/ebnerd_small.zip", status=status)

    code = cli.main(["ebnerd-small", "--accept-license", "--to", str(tmp_path), "--url", url])

    err = capsys.readouterr().err
    assert code == 1
    assert f"HTTP {status}: the link needs the licence form: links from " in err
    assert "https://recsys.eb.dk/dataset/ expire, so fill it in again" in err


def test_a_token_is_sent_to_its_host_only(server, client, tmp_path):
    url = server.serve("/MINDsmall_train.zip", BODY, token="secret")
    item = local("mind-small-train", BODY, url)

    with pytest.raises(DownloadError, match="needs a licence form or a token"):
        make(client, Recorder()).fetch(item, tmp_path)
    target = make(client, Recorder(), tokens={"127.0.0.1": "secret"}).fetch(item, tmp_path)

    assert target.read_bytes() == BODY
    assert server.requests[-1].headers["authorization"] == "Bearer secret"
    other = make(client, Recorder(), tokens={"huggingface.co": "secret"})
    assert other._auth(url) == {}


def test_the_hugging_face_copy_asks_for_a_token():
    item = release("mind-small-train")
    failure = refused(item, item.urls[0], 401)
    assert "Hugging Face copy is gated" in failure.reason
    assert "set HF_TOKEN" in failure.reason


def test_a_web_page_is_not_taken_for_the_file(server, client, tmp_path):
    url = server.serve("/MINDsmall_train.zip", BODY, content_type="text/html; charset=utf-8")

    with pytest.raises(DownloadError, match="answers with a web page, not the file"):
        make(client, Recorder()).fetch(local("mind-small-train", BODY, url), tmp_path)


def test_refused_without_the_licence_and_nothing_is_requested(server, tmp_path, capsys):
    url = server.serve("/MINDsmall_train.zip", BODY)

    code = cli.main(["mind-small-train", "--to", str(tmp_path), "--url", url])

    err = capsys.readouterr().err
    assert code == 2
    assert "licensed under Microsoft Research License Terms" in err
    assert "https://github.com/msnews/MIND/blob/master/MSR%20License_Data.pdf" in err
    assert "--accept-license or NEWSREC_ACCEPT_LICENSE=mind-small-train" in err
    assert server.requests == []
    assert not (tmp_path / "mind").exists()


@pytest.mark.parametrize(
    ("value", "ok"),
    [("mind-small-train", True), ("ebnerd-small, mind-small-train", True), ("all", True),
     ("mind", True), ("ebnerd-small", False), ("", False)],
)  # fmt: skip
def test_the_environment_accepts_licences(server, tmp_path, monkeypatch, value, ok):
    url = server.serve("/MINDsmall_train.zip", BODY)
    use_catalogue(monkeypatch, local("mind-small-train", BODY, url))
    monkeypatch.setenv("NEWSREC_ACCEPT_LICENSE", value)

    code = cli.main(["mind-small-train", "--to", str(tmp_path), "--url", url])

    assert code == (0 if ok else 2)
    assert len(server.requests) == (1 if ok else 0)


def test_ebnerd_without_a_link_says_where_to_get_it(tmp_path, capsys):
    code = cli.main(["ebnerd-small", "--accept-license", "--to", str(tmp_path)])

    err = capsys.readouterr().err
    assert code == 2
    assert "shown only after the licence form at https://recsys.eb.dk/dataset/" in err
    assert "--url '<link>'" in err


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (["nope"], "unknown release 'nope'; known releases: mind-small-train, mind-small-dev"),
        (["ebnerd-small", "--url", "https://x.test/ebnerd_large.zip"], "points to ebnerd_large"),
        (["ebnerd-small", "--url", "ftp://x.test/ebnerd_small.zip"], "is not an http(s) link"),
        (["ebnerd-small", "ebnerd-demo", "--url", "https://x.test/a"], "exactly one release"),
        (["list", "mind-small-dev"], "`list` takes no release names"),
    ],
)
def test_usage_errors_exit_2(tmp_path, capsys, argv, error):
    with pytest.raises(SystemExit) as raised:
        cli.main([*argv, "--accept-license", "--to", str(tmp_path)])
    assert raised.value.code == 2
    assert error in capsys.readouterr().err


def test_a_full_disk_is_found_before_starting(server, client, tmp_path, monkeypatch):
    url = server.serve("/one_week.tar.gz", BODY)
    usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(
        "ingestion.download.fetch.shutil.disk_usage",
        lambda path: usage._replace(free=1_000_000),
    )

    with pytest.raises(DownloadError) as raised:
        make(client, Recorder()).fetch(local("adressa-one-week", BODY, url), tmp_path)

    assert str(raised.value) == (
        f"one_week.tar.gz: needs 2.5 MB more, only 1.0 MB free in {tmp_path}: free space, "
        "or use --to DIR on a larger disk"
    )
    assert server.requests == []


def test_the_disk_check_uses_the_approximate_size_with_headroom(
    server, client, tmp_path, monkeypatch
):
    usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(
        "ingestion.download.fetch.shutil.disk_usage",
        lambda path: usage._replace(free=10 * 10**9),
    )

    with pytest.raises(
        DownloadError, match=r"three_month.tar.gz: needs 18.9 GB more, only 10.0 GB"
    ):
        make(client, Recorder()).fetch(
            release("adressa-three-month"), tmp_path, [server.url("/three_month.tar.gz")]
        )
    assert server.requests == []


def test_retries_are_bounded_with_exponential_backoff(server, client, tmp_path):
    url = server.serve("/MINDsmall_dev.zip", status=503)
    sleeps: list[float] = []
    downloader = make(client, Recorder(), retries=3, backoff_s=0.5, sleep=sleeps.append)

    with pytest.raises(DownloadError) as raised:
        downloader.fetch(local("mind-small-dev", BODY, url), tmp_path)

    assert len(server.requests) == 4
    assert sleeps == [0.5, 1.0, 2.0]
    assert "HTTP 503 from 127.0.0.1; gave up after 3 retries without progress" in str(raised.value)


def test_transient_errors_then_success(server, client, tmp_path):
    url = server.serve("/MINDsmall_dev.zip", BODY, first=[503, 502])
    sleeps: list[float] = []
    downloader = make(client, Recorder(), sleep=sleeps.append)

    assert downloader.fetch(local("mind-small-dev", BODY, url), tmp_path).read_bytes() == BODY
    assert sleeps == [0.01, 0.02]


def test_a_timeout_is_retried(server, tmp_path):
    url = server.serve("/MINDsmall_dev.zip", BODY, stalls=1, stall_s=1.0)
    reporter = Recorder()
    with http_client(timeout_s=0.2) as impatient:
        target = make(impatient, reporter).fetch(local("mind-small-dev", BODY, url), tmp_path)

    assert target.read_bytes() == BODY
    assert "(ReadTimeout: timed out); retrying in 0.01 s (1 of 2 retries)" in reporter.text
    assert len(server.requests) == 2


def test_a_refused_connection_is_retried_then_reported(client, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/MINDsmall_dev.zip"

    with pytest.raises(DownloadError) as raised:
        make(client, Recorder()).fetch(local("mind-small-dev", BODY, url), tmp_path)

    assert "cannot connect to 127.0.0.1" in str(raised.value)
    assert "gave up after 2 retries without progress" in str(raised.value)


def test_a_part_is_in_progress_for_the_sensor_until_it_is_whole(server, client, tmp_path):
    url = server.serve("/MINDsmall_train.zip", BODY, cut_after=1_500_000)
    reporter = Recorder(landing=tmp_path)

    make(client, reporter).fetch(local("mind-small-train", BODY, url), tmp_path)

    assert reporter.during  # looked at the folder while the bytes flowed, before and after the cut
    assert all(seen == ([], ["MINDsmall_train.zip.part"]) for seen in reporter.during)
    files, waiting = scan(tmp_path)
    assert [f.rel for f in files] == ["MINDsmall_train.zip"]
    assert files[0].size == len(BODY)
    assert waiting == []


def test_a_failed_download_leaves_only_the_part_for_the_next_run(server, client, tmp_path):
    (tmp_path / "MINDsmall_train.zip.part").write_bytes(BODY[:1_234_567])
    url = server.serve("/MINDsmall_train.zip", BODY, cut_after=0, cuts=99)
    downloader = make(client, Recorder(), retries=1)

    with pytest.raises(DownloadError) as raised:
        downloader.fetch(local("mind-small-train", BODY, url), tmp_path)

    assert len(server.requests) == 2
    assert "gave up after 1 retry without progress" in str(raised.value)
    assert "1.2 MB are kept in MINDsmall_train.zip.part: the next run resumes" in str(raised.value)
    assert scan(tmp_path) == ([], ["MINDsmall_train.zip.part"])


def test_list_shows_size_licence_and_presence(tmp_path, capsys):
    (tmp_path / "mind").mkdir()
    (tmp_path / "mind" / "MINDsmall_train.zip").write_bytes(b"zip")
    (tmp_path / "mind" / "MINDsmall_dev").mkdir()
    (tmp_path / "adressa").mkdir()
    (tmp_path / "adressa" / "one_week.tar.gz.part").write_bytes(b"x" * 2000)

    assert cli.main(["list", "--to", str(tmp_path)]) == 0

    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines() if line}
    assert set(lines) >= {r.name for r in releases()}
    assert lines["mind-small-train"].split()[1:5] == [
        "mind",
        "MINDsmall_train.zip",
        "about",
        "50.50",
    ]
    assert re.search(r"Microsoft Research License Terms +yes$", lines["mind-small-train"])
    assert lines["mind-small-dev"].endswith("  yes (extracted)")
    assert re.search(
        r"CC BY-NC-SA 4.0 +partial \(2.0 kB in one_week.tar.gz.part\)$", lines["adressa-one-week"]
    )
    assert "1,631,004,285 bytes" in lines["ebnerd-testset"]
    assert lines["ebnerd-large"].endswith("  no")
    assert "https://creativecommons.org/licenses/by-nc-sa/4.0/" in lines["CC"]
    assert lines["landing"] == f"landing folders: {tmp_path}/<publisher>/"


def test_an_existing_file_is_kept(server, tmp_path, capsys):
    (tmp_path / "mind").mkdir()
    (tmp_path / "mind" / "MINDsmall_dev.zip").write_bytes(b"mine")
    url = server.serve("/MINDsmall_dev.zip", BODY)

    code = cli.main(["mind-small-dev", "--accept-license", "--to", str(tmp_path), "--url", url])

    assert code == 0
    assert "is already there (delete it to download it again)" in capsys.readouterr().out
    assert server.requests == []
    assert (tmp_path / "mind" / "MINDsmall_dev.zip").read_bytes() == b"mine"


@pytest.fixture
def tls_ca() -> trustme.CA:
    return trustme.CA()


def test_a_tls_failure_says_what_to_do_and_ca_bundle_fixes_it(tls_ca, tmp_path):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls_ca.issue_cert("127.0.0.1").configure_cert(context)
    bundle = tmp_path / "ca.pem"
    tls_ca.cert_pem.write_to_path(str(bundle))
    landing = tmp_path / "adressa"
    with running(tls=context) as server:
        item = local("adressa-one-week", BODY, server.serve("/one_week.tar.gz", BODY))
        with http_client(timeout_s=5) as plain, pytest.raises(DownloadError) as raised:
            make(plain, Recorder()).fetch(item, landing)
        assert list(landing.iterdir()) == []
        with http_client(ca_bundle=bundle, timeout_s=5) as trusting:
            target = make(trusting, Recorder()).fetch(item, landing)

    message = str(raised.value)
    assert "TLS verification failed for 127.0.0.1 (SSLCertVerificationError" in message
    assert "pass the server's certificate chain with --ca-bundle FILE (PEM)" in message
    assert "unencrypted at http://reclab.idi.ntnu.no/dataset/one_week.tar.gz" in message
    assert len(server.seen("/one_week.tar.gz")) == 1  # the handshake failed before any request
    assert target.read_bytes() == BODY


def test_adressas_host_is_named_on_a_tls_failure():
    item = release("adressa-one-week")
    failure = tls_failed(item, item.urls[0], ssl.SSLCertVerificationError("unable to get issuer"))
    assert "Adressa's host reclab.idi.ntnu.no is known to fail verification" in failure.reason
    assert "(its sha256 is checked)" in failure.reason
