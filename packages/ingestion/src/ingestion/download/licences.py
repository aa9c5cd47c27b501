"""Nothing is downloaded before its licence is accepted: `--accept-license`, or the environment
variable `NEWSREC_ACCEPT_LICENSE` naming the releases (or publishers) accepted, or `all`."""

from __future__ import annotations

from ingestion.catalogue import Release

ACCEPT_ENV = "NEWSREC_ACCEPT_LICENSE"


def accepted(release: Release, flag: bool, env_value: str | None) -> bool:
    """`env_value` is a comma list of release names, publisher names or `all`."""
    if flag:
        return True
    names = {name.strip().lower() for name in (env_value or "").split(",")}
    return bool(names & {"all", release.name, release.publisher})


def refusal(release: Release) -> str:
    licence = release.licence
    return (
        f"{release.name}: not downloaded: {release.file} is licensed under {licence.name} "
        f"({licence.url}; {licence.summary}). Read the terms, then run again with "
        f"--accept-license or {ACCEPT_ENV}={release.name}"
    )


def needs_link(release: Release) -> str:
    """EB-NeRD publishes its links only after its licence form."""
    return (
        f"{release.name}: its links are shown only after the licence form at {release.form}: "
        f"fill it in, copy the link of {release.file}, and run "
        f"newsrec-download {release.name} --accept-license --url '<link>'"
    )
