"""How each publisher is named on the pages, and what an editor should know about its data."""

from __future__ import annotations

from report.warehouse import Coverage

NAMES = {
    "ebnerd": "EB-NeRD (Ekstra Bladet)",
    "adressa": "Adressa (Adresseavisen)",
    "mind": "MIND (Microsoft News)",
}


def display_name(publisher: str) -> str:
    return NAMES.get(publisher, publisher)


def order(publisher: str) -> tuple[int, str]:
    """EB-NeRD, Adressa, MIND, then any other publisher by name."""
    known = list(NAMES)
    return (known.index(publisher) if publisher in known else len(known), publisher)


def notes(coverage: Coverage) -> list[str]:
    """Facts of the data that change how the charts read, found in the data itself."""
    found = []
    if coverage.clicks == coverage.candidates:
        found.append(
            "Every impression here is a click: the publisher logs article page views, not the "
            "lists of articles shown, so click-through rates are 100% and a category's share of "
            "clicks equals its share of impressions."
        )
    if coverage.last_labeled is None:
        found.append("No impression carries a click label (test splits only).")
    elif coverage.last_labeled < coverage.last_impression:
        found.append(
            f"Clicks are known up to {coverage.last_labeled:%Y-%m-%d %H:%M} UTC; the impressions "
            f"after it (a test split) carry no click labels."
        )
    return found
