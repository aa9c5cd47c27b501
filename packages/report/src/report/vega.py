"""Everything Vega goes through vl-convert, offline: the PNGs, drawn with every URL refused, and
the script that draws the charts in the browser (Vega, Vega-Lite and vega-embed, about 0.9 MB:
the price of a page that needs no connection)."""

from __future__ import annotations

from functools import cache
from typing import Any

import vl_convert
from altair.utils._importers import vl_version_for_vl_convert

Spec = dict[str, Any]


def png(spec: Spec) -> bytes:
    """The chart as a PNG; a chart that tried to fetch anything would fail here."""
    return vl_convert.vegalite_to_png(
        spec, vl_version=vl_version_for_vl_convert(), scale=1, allowed_base_urls=[]
    )


@cache
def runtime_script() -> str:
    """Sets `window.vegaEmbed`; built once per process (it takes a few seconds)."""
    return vl_convert.javascript_bundle(vl_version=vl_version_for_vl_convert())
