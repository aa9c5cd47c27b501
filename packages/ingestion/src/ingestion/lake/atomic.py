"""dlt's filesystem destination with every lake write atomic: a file appears whole or not at all.

dlt writes the lake through an fsspec filesystem: data and inventory files with `put_file`, its
own files (`init`, `_dlt_version`, `_dlt_pipeline_state`, `_dlt_loads`) with `write_text`. Both
write straight to the final name, so a killed run leaves a torn file that readers, and every
later run, fail on. Here each write goes to a hidden temporary file in the same folder, is
fsynced, renamed onto the final name and the folder fsynced. The temporary names
(`ingestion.lake.temporary`) match no reader's glob; the next run removes any a kill left
(`ingestion.lake.clean`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from typing import Any

from dlt.destinations import filesystem
from dlt.destinations.impl.filesystem.filesystem import FilesystemClient
from fsspec.implementations.local import LocalFileSystem

from ingestion.lake.temporary import temporary_name


def fsync_folder(path: str) -> None:
    """Make a rename in `path` durable: the folder entry, not only the file's bytes."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(final: str, fill: Callable[[str], None]) -> None:
    """`fill(temporary path)`, then fsync it and rename it onto `final`."""
    folder = os.path.dirname(final) or "."
    os.makedirs(folder, exist_ok=True)
    tmp = temporary_name(final)
    try:
        fill(tmp)
        with open(tmp, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(tmp, final)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    fsync_folder(folder)


class AtomicLocalFileSystem(LocalFileSystem):
    """fsspec's local filesystem whose writes are atomic renames; opening a file for writing is
    refused, so no write can bypass them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_mkdir", True)
        super().__init__(*args, **kwargs)

    def put_file(self, lpath: str, rpath: str, callback: Any = None, **kwargs: Any) -> None:
        write_atomically(self._strip_protocol(rpath), lambda tmp: shutil.copyfile(lpath, tmp))

    def write_text(
        self,
        path: str,
        value: str,
        encoding: str | None = None,
        errors: str | None = None,
        newline: str | None = None,
        **kwargs: Any,
    ) -> int:
        def fill(tmp: str) -> None:
            with open(tmp, "w", encoding=encoding, errors=errors, newline=newline) as handle:
                handle.write(value)

        write_atomically(self._strip_protocol(path), fill)
        return len(value)

    def pipe_file(self, path: str, value: bytes, mode: str = "overwrite", **kwargs: Any) -> None:
        def fill(tmp: str) -> None:
            with open(tmp, "wb") as handle:
                handle.write(value)

        write_atomically(self._strip_protocol(path), fill)

    def _open(self, path: str, mode: str = "rb", block_size: Any = None, **kwargs: Any) -> Any:
        if any(flag in mode for flag in "wax+"):
            raise NotImplementedError(
                f"open({path!r}, {mode!r}): the lake is written only by put_file, write_text "
                "and pipe_file, which are atomic"
            )
        return super()._open(path, mode, block_size, **kwargs)


class AtomicFilesystemClient(FilesystemClient):
    """dlt's filesystem job client, writing through `AtomicLocalFileSystem`."""

    def __init__(self, schema: Any, config: Any, capabilities: Any) -> None:
        super().__init__(schema, config, capabilities)
        if not self.is_local_filesystem:
            raise ValueError(f"atomic lake writes need a local folder, not {config.bucket_url}")
        self.fs_client = AtomicLocalFileSystem()


class atomic_filesystem(filesystem):
    """`dlt.destinations.filesystem` whose every write into the lake is an atomic rename."""

    @property
    def client_class(self) -> type[FilesystemClient]:
        return AtomicFilesystemClient
