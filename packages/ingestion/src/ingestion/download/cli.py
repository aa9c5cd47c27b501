"""`newsrec-download`: put the public releases in their landing folders, licence first.

    newsrec-download list                      every release: size, licence, present or not
    newsrec-download mind-small-train mind-small-dev --accept-license
    newsrec-download ebnerd-small --accept-license --url '<link from the licence form>'

Exit codes: 0 every file is in place, 1 a download failed, 2 a usage error or a licence that
was not accepted (then nothing is downloaded).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from ingestion.catalogue import ARCHIVE_SUFFIXES, Release, UnknownReleaseError, release, releases
from ingestion.download.failures import DownloadError
from ingestion.download.fetch import Downloader, http_client
from ingestion.download.licences import ACCEPT_ENV, accepted, needs_link, refusal
from ingestion.download.listing import list_lines, markdown_table
from ingestion.download.progress import reporter_for
from ingestion.layout import Layout

TOKEN_ENV = "HF_TOKEN"
TOKEN_HOST = "huggingface.co"


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    root = args.to or Layout.from_env().raw_download_root
    if args.names == ["list"]:
        print(
            markdown_table(releases()) if args.markdown else "\n".join(list_lines(releases(), root))
        )
        return 0
    selected = _selected(parser, args)
    problems = [
        refusal(r)
        for r in selected
        if not accepted(r, args.accept_license, os.environ.get(ACCEPT_ENV))
    ]
    problems += [needs_link(r) for r in selected if not r.links and not args.url]
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 2
    token = os.environ.get(TOKEN_ENV)
    with http_client(args.ca_bundle) as client:
        downloader = Downloader(
            client,
            reporter_for(sys.stderr),
            retries=args.retries,
            tokens={TOKEN_HOST: token} if token else {},
        )
        failed = [r.name for r in selected if not _download(downloader, r, root, args.url)]
    return 1 if failed else 0


def _download(downloader: Downloader, item: Release, root: Path, url: str | None) -> bool:
    landing = root / item.publisher
    target = landing / item.file
    if target.exists():
        print(f"{item.name}: {target} is already there (delete it to download it again)")
        return True
    started = time.monotonic()
    try:
        path = downloader.fetch(item, landing, [url] if url else None)
    except DownloadError as error:
        print(f"{item.name}: FAILED: {error}", file=sys.stderr)
        return False
    except KeyboardInterrupt:
        print(
            f"{item.name}: interrupted; run the same command again to resume from {item.file}.part",
            file=sys.stderr,
        )
        raise SystemExit(130) from None
    checked = "sha256 and size checked" if item.sha256 else "size checked"
    print(
        f"{item.name}: {path} ({path.stat().st_size:,} bytes, {checked}) "
        f"in {time.monotonic() - started:.1f} s"
    )
    return True


def _selected(parser: argparse.ArgumentParser, args: argparse.Namespace) -> list[Release]:
    if "list" in args.names:
        parser.error("`list` takes no release names")
    if args.markdown:
        parser.error("--markdown goes with `list`")
    try:
        selected = [release(name) for name in dict.fromkeys(args.names)]
    except UnknownReleaseError as error:
        parser.error(str(error))
    if args.url:
        if len(selected) != 1:
            parser.error("--url is the link of one release: name exactly one release with it")
        _check_url(parser, selected[0], args.url)
    if args.ca_bundle is not None and not args.ca_bundle.is_file():
        parser.error(f"--ca-bundle {args.ca_bundle}: no such file")
    if args.retries < 0:
        parser.error("--retries must be 0 or more")
    return selected


def _check_url(parser: argparse.ArgumentParser, item: Release, url: str) -> None:
    """A pasted link must be http(s), and if its path names an archive, the release's."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        parser.error(f"--url {url!r} is not an http(s) link")
    name = unquote(PurePosixPath(parts.path).name)
    if name.lower().endswith(ARCHIVE_SUFFIXES) and name.lower() != item.file.lower():
        parser.error(f"--url points to {name}, not {item.file} ({item.name})")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsrec-download",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "names", nargs="+", metavar="RELEASE", help="release names, or `list` to see them all"
    )
    parser.add_argument(
        "--accept-license",
        action="store_true",
        help=f"accept the licences of the named releases (or set {ACCEPT_ENV}=<name,...|all>)",
    )
    parser.add_argument(
        "--to",
        type=Path,
        metavar="DIR",
        help="the raw-download folder to fill; each file goes to DIR/<publisher>/ "
        "(default: $NEWSREC_DATA_DIR/raw-download)",
    )
    parser.add_argument(
        "--url",
        help="download from this link (one release): EB-NeRD's link from its licence form, or "
        "a link that replaces the catalogue's",
    )
    parser.add_argument(
        "--ca-bundle",
        type=Path,
        metavar="FILE",
        help="extra CA certificates (PEM) to verify the server with; verification is never off",
    )
    parser.add_argument(
        "--retries",
        type=int,
        default=5,
        help="retries in a row without progress on one link before the next (default 5)",
    )
    parser.add_argument(
        "--markdown", action="store_true", help="with list: print the README's release table"
    )
    return parser


if __name__ == "__main__":
    sys.exit(main())
