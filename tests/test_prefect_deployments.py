"""Site profiles carry their schedules into the deployments `newsarc serve` serves."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import pytest

if "PREFECT_HOME" not in os.environ:  # as in test_prefect_flows: never touch ~/.prefect
    os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="newsarc-prefect-")
    atexit.register(shutil.rmtree, os.environ["PREFECT_HOME"], True)

from archive.errors import BadProfile  # noqa: E402
from crawlers.profile import load_profile  # noqa: E402
from flows.deployments import site_deployments  # noqa: E402

SITE = 'name = "{name}"\nallowed_domains = ["news.example.invalid"]\n'


def write_profile(directory, name: str, schedule: str = ""):
    path = directory / f"{name}.toml"
    path.write_text(SITE.format(name=name) + schedule, encoding="utf-8")
    return path


def test_each_profile_becomes_a_crawl_deployment_on_its_own_schedule(tmp_path):
    hourly = write_profile(
        tmp_path, "hourly-site", '[schedule]\ncron = "17 * * * *"\ntimezone = "Asia/Shanghai"\n'
    )
    often = write_profile(tmp_path, "often-site", "[schedule]\ninterval_minutes = 20\n")
    manual = write_profile(tmp_path, "manual-site")

    deployments = {
        f"{d.flow_name}/{d.name}": d
        for d in site_deployments([hourly, often, manual], tmp_path / "data")
    }

    assert set(deployments) == {
        "crawl-site/hourly-site", "crawl-site/often-site", "crawl-site/manual-site",
        "archive-all/all-sites", "verify-archive/archive", "reindex/archive", "export/archive",
        "maintain-archive/archive",
    }  # fmt: skip
    [cron] = deployments["crawl-site/hourly-site"].schedules
    assert (cron.schedule.cron, cron.schedule.timezone) == ("17 * * * *", "Asia/Shanghai")
    [interval] = deployments["crawl-site/often-site"].schedules
    assert interval.schedule.interval.total_seconds() == 20 * 60
    assert deployments["crawl-site/manual-site"].schedules == []
    crawl = deployments["crawl-site/hourly-site"]
    assert crawl.parameters == {"profile": str(hourly), "data": str(tmp_path / "data")}
    assert crawl.concurrency_limit == 1  # one site's crawls never overlap
    assert crawl.entrypoint == "flows.prefect_flows.crawl_site"


@pytest.mark.parametrize(
    ("schedule", "problem"),
    [
        ('cron = "61 * * * *"', "schedule.cron"),
        ('cron = "0 * * * *"\ninterval_minutes = 5', "exactly one of cron or interval_minutes"),
        ("interval_minutes = 0", "schedule.interval_minutes"),
        ('interval_minutes = 5\ntimezone = "Mars/Olympus"', "schedule.timezone"),
    ],
)
def test_a_bad_schedule_is_named_when_the_profile_loads(tmp_path, schedule, problem):
    path = write_profile(tmp_path, "site", f"[schedule]\n{schedule}\n")
    with pytest.raises(BadProfile) as failure:
        load_profile(path)
    assert str(path) in str(failure.value) and problem in str(failure.value)
