"""Where the lake's files are, and the one way to reach them: the local `lake/` folder, or object
storage when `$NEWSREC_LAKE_URL` names it (`s3://bucket/lake`).

Everything that lists, reads or removes lake files, writes them (dlt's destination) or queries
them (DuckDB) goes through `lake_store(layout)`. On the local folder, writes are atomic renames
(`ingestion.lake.atomic`); on object storage a PUT is already atomic — an object appears whole or
not at all — so dlt writes through the plain fsspec filesystem (s3fs for `s3://`). Credentials and
the endpoint come from the standard variables (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
`AWS_ENDPOINT_URL`, `AWS_DEFAULT_REGION`, or `~/.aws`), which s3fs and dlt both honour.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ingestion.layout import Layout, dataset_name

if TYPE_CHECKING:
    import duckdb
    from fsspec import AbstractFileSystem


@dataclass(frozen=True)
class LakeStore:
    """The lake's root and the fsspec filesystem that reaches it."""

    root: str
    """As readers name it: a local path, or a URL (`s3://bucket/lake`)."""
    fs: AbstractFileSystem

    @property
    def is_local(self) -> bool:
        return "://" not in self.root

    def dataset(self, publisher: str) -> str:
        """`<root>/raw_<publisher>`: one dlt dataset."""
        return f"{self.root}/{dataset_name(publisher)}"

    def has_dataset(self, publisher: str) -> bool:
        """Whether the dataset exists: a folder, or objects under its prefix."""
        return bool(self.fs.exists(self.dataset(publisher)))

    def files(self, publisher: str) -> dict[str, int]:
        """Every file of the publisher's dataset, by path inside it (`behaviors/<load>.parquet`),
        with its size in bytes: one listing (on object storage, one paged request)."""
        base = self.fs._strip_protocol(self.dataset(publisher)).rstrip("/")
        found = self.fs.find(base, detail=True)
        return {
            path[len(base) + 1 :]: int(info["size"])
            for path, info in found.items()
            if info["type"] == "file" and path.startswith(base + "/")
        }

    def read_bytes(self, publisher: str, name: str) -> bytes:
        return self.fs.cat_file(f"{self.dataset(publisher)}/{name}")

    def remove(self, publisher: str, names: list[str]) -> list[str]:
        """Delete these files of the dataset (missing ones too); returns their full names."""
        paths = [f"{self.dataset(publisher)}/{name}" for name in names]
        for path in paths:
            if self.fs.exists(path):
                self.fs.rm_file(path)
        return paths

    def remove_dataset(self, publisher: str) -> str:
        """Delete the whole dataset, whatever it holds."""
        path = self.dataset(publisher)
        if self.has_dataset(publisher):
            self.fs.rm(path, recursive=True)
        return path

    def destination(self) -> Any:
        """dlt's filesystem destination into this lake: atomic renames on the local folder, the
        plain fsspec filesystem (whose uploads are atomic) on object storage."""
        if self.is_local:
            from ingestion.lake.atomic import atomic_filesystem

            return atomic_filesystem(bucket_url=Path(self.root).as_uri())
        from dlt.destinations import filesystem

        return filesystem(bucket_url=self.root)

    def register(self, con: duckdb.DuckDBPyConnection) -> None:
        """Let DuckDB read the lake: its own readers do the local folder; object storage goes
        through this fsspec filesystem (DuckDB's httpfs extension downloads at run time, which is
        not possible offline). Once per connection."""
        if self.is_local:
            return
        protocol = self.fs.protocol if isinstance(self.fs.protocol, str) else self.fs.protocol[0]
        if protocol not in con.list_filesystems():
            con.register_filesystem(self.fs)


def lake_store(layout: Layout) -> LakeStore:
    """The store of `layout`'s lake (`Layout.lake_root`)."""
    if not layout.lake_url:
        from fsspec.implementations.local import LocalFileSystem

        return LakeStore(layout.lake_root, LocalFileSystem())
    return object_store(layout.lake_url)


def object_store(url: str) -> LakeStore:
    """The store of a lake on object storage, `url` (`s3://bucket/lake`): the fsspec filesystem
    of its scheme, new (fsspec would hand back one made earlier, with the credentials and
    endpoint of then) and without a listings cache: the lake changes under every reader (a load
    record appears, old files go), and a cached listing would hide that."""
    import fsspec

    url = url.strip().rstrip("/")
    scheme = urlsplit(url).scheme
    if not scheme or scheme == "file":
        raise ValueError(f"NEWSREC_LAKE_URL={url!r}: give object storage (s3://bucket/lake)")
    fs = fsspec.filesystem(scheme, use_listings_cache=False, skip_instance_cache=True)
    return LakeStore(url, fs)
