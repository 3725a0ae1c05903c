"""Deployments of the flows, built from site profiles; `newsarc serve` serves them.

One `crawl-site/<profile name>` deployment per profile, on the profile's `[schedule]` if it has
one (manual runs only otherwise), plus unscheduled `archive-all/all-sites`,
`verify-archive/archive`, `reindex/archive`, `export/archive` and `maintain-archive/archive`
for runs from the UI or `prefect deployment run`. `prefect.yaml` declares the same flows for a
work pool.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from flows.prefect_env import apply_prefect_defaults

apply_prefect_defaults()

from prefect.deployments.runner import EntrypointType, RunnerDeployment  # noqa: E402
from prefect.schedules import Cron, Interval, Schedule  # noqa: E402

from crawlers.profile import SiteProfile, load_profile  # noqa: E402
from flows.prefect_flows import (  # noqa: E402
    archive_all,
    crawl_site,
    export_flow,
    maintain_archive,
    reindex_flow,
    verify_archive,
)

TAGS = ["newsarc"]


def profile_schedules(profile: SiteProfile) -> list[Schedule]:
    """The profile's `[schedule]` as Prefect schedules (none: runs only when asked)."""
    when = profile.schedule
    if when is None:
        return []
    if when.cron is not None:
        return [Cron(when.cron, timezone=when.timezone)]
    return [Interval(timedelta(minutes=when.interval_minutes), timezone=when.timezone)]


def site_deployments(profiles: list[Path], data: Path) -> list[RunnerDeployment]:
    """Every deployment `newsarc serve` offers for these profiles and this data directory.

    Paths are made absolute: a served run executes in a child process that may start elsewhere.
    The module entrypoint lets that child import the flow from the installed package."""
    data = data.resolve()
    paths = [Path(p).resolve() for p in profiles]
    common = {"entrypoint_type": EntrypointType.MODULE_PATH, "tags": TAGS}
    deployments = [
        crawl_site.to_deployment(
            name=load_profile(path).name,
            parameters={"profile": str(path), "data": str(data)},
            schedules=profile_schedules(load_profile(path)),
            # two runs of one site's crawl at once would share (and fight over) its job directory
            concurrency_limit=1,
            description=f"Crawl {path.name} into {data}, ingest, verify, summarise.",
            **common,
        )
        for path in paths
    ]
    deployments.append(
        archive_all.to_deployment(
            name="all-sites",
            parameters={"profiles": [str(p) for p in paths], "data": str(data)},
            concurrency_limit=1,
            **common,
        )
    )
    for archive_flow in (verify_archive, reindex_flow, export_flow, maintain_archive):
        parameters = {"data": str(data)}
        if archive_flow is export_flow:
            parameters["out"] = str(data / "export")
        deployments.append(
            archive_flow.to_deployment(name="archive", parameters=parameters, **common)
        )
    return deployments
