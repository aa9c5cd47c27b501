"""`raw_download_sensor`: a download that has settled in `raw-download/<publisher>/` starts one run
of exactly that publisher's raw asset."""

import dagster as dg
from ingestion import PUBLISHERS

from orchestration.defs.assets.raw import raw_asset_key
from orchestration.defs.resources import LayoutResource
from orchestration.downloads import DownloadState, observe


@dg.sensor(
    name="raw_download_sensor",
    target=dg.AssetSelection.assets(*(raw_asset_key(p) for p in PUBLISHERS)),
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=(
        "Watches $NEWSREC_DATA_DIR/raw-download/<publisher>/. A new, changed or removed file "
        "starts one run of that publisher's raw asset once its size and mtime are stable "
        "across two ticks; `*.part` downloads wait; files no publisher reads are reported."
    ),
)
def raw_download_sensor(
    context: dg.SensorEvaluationContext, layout: LayoutResource
) -> dg.SensorResult:
    root = layout.layout.raw_download_root
    observation = observe(layout.layout)
    for rel in observation.unknown:
        context.log.warning(f"skipping {rel}: no file a publisher ({', '.join(PUBLISHERS)}) reads")
    for key in observation.in_progress:
        context.log.info(f"waiting for {key}: still downloading")
    state = DownloadState.from_cursor(context.cursor)
    triggers = state.advance(observation)
    for key in state.pending:
        context.log.info(f"waiting for {key} to stop changing")
    requests = []
    for trigger in triggers:
        context.log.info(f"{trigger.publisher}: loading after {', '.join(trigger.changes)}")
        requests.append(
            dg.RunRequest(
                run_key=trigger.run_key,
                asset_selection=[raw_asset_key(trigger.publisher)],
                tags={"newsrec/publisher": trigger.publisher},
            )
        )
    skipped = f"; skipped {', '.join(observation.unknown)}" if observation.unknown else ""
    return dg.SensorResult(
        run_requests=requests,
        cursor=state.to_cursor(),
        skip_reason=None if requests else f"no settled new or changed files in {root}{skipped}",
    )
