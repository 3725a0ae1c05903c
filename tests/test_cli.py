"""The `newsarc` commands people run by hand: extract one page, check profiles, query, export;
one `--format` vocabulary."""

from __future__ import annotations

import csv
import io
import json
import os

from typer.testing import CliRunner

from flows.cli import app
from tests.cli_process import invoke, newsarc

runner = CliRunner()

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Labs publish model cards | AI News</title>
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Labs publish model cards",
"datePublished": "2026-11-19T09:30:00+08:00"}</script></head>
<body><article><h1 lang="en">Labs publish model cards</h1><h2 lang="zh">实验室发布模型卡</h2>
<p class="byline">Updated 2h ago · 更新于 2小时前</p>
<p lang="en">Three frontier labs agreed on a shared model card format covering evaluations,
training data summaries and known failure modes.</p>
<p lang="zh">三家前沿实验室就统一的模型卡格式达成一致，
内容涵盖评测、训练数据摘要和已知失效模式。</p>
</article></body></html>"""


def test_extract_prints_the_record_of_a_saved_page_as_json(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    result = runner.invoke(
        app,
        ["extract", str(page), "--url", "https://news.example.invalid/story/cards",
         "--captured-at", "2026-11-20T10:00:00Z"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["title_en"] == "Labs publish model cards"
    assert record["title_zh"] == "实验室发布模型卡"
    assert record["published_at"] == "2026-11-19T01:30:00Z"
    assert any("shared model card format" in p for p in record["body_en"])
    assert any("模型卡格式" in p for p in record["body_zh"])


def test_query_and_parquet_export_of_an_archive(archive):
    archive.crawl("translated")
    data = str(archive.data)
    result = runner.invoke(
        app, ["query", "select count(*) as n from articles", "--data", data, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["n"] >= 6
    result = runner.invoke(app, ["export", "--format", "parquet", "--data", data])
    assert result.exit_code == 0, result.output
    exported = {p.name for p in (archive.data / "export").iterdir()}
    assert {"articles.parquet", "article_versions.parquet", "captures.parquet"} <= exported


def test_version_and_the_data_directory_from_the_environment(tmp_path):
    assert newsarc("--version").stdout.strip() == "newsarc 0.1.0"
    missing = tmp_path / "no-such-data"
    ran = newsarc("verify", env={**os.environ, "NEWSARC_DATA": str(missing)})
    assert f"data directory {missing} does not exist" in ran.one_line_error()


GOOD_PROFILE = """name = "labs"
start_urls = ["http://127.0.0.1:9/"]
allowed_domains = ["127.0.0.1"]
"""


def test_profile_check_names_each_file_ok_or_its_one_problem_without_crawling(tmp_path):
    good, typo, broken = tmp_path / "good.toml", tmp_path / "typo.toml", tmp_path / "broken.toml"
    good.write_text(GOOD_PROFILE)
    typo.write_text(GOOD_PROFILE + "[limits]\nmax_pages = 0\n")
    broken.write_text('name = "labs\n')
    missing = tmp_path / "missing.toml"

    result = runner.invoke(
        app, ["profile", "check", str(good), str(typo), str(broken), str(missing)]
    )

    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"{good}: ok (labs)"
    assert (
        lines[1]
        == f"bad profile {typo}: limits.max_pages: Input should be greater than or equal to 1"
    )
    assert lines[2].startswith(f"bad profile {broken}: not valid TOML")
    assert lines[3] == f"bad profile {missing}: no such profile file"
    assert len(lines) == 4
    assert runner.invoke(app, ["profile", "check", str(good)]).exit_code == 0
    assert not (tmp_path / "data").exists()


def test_every_command_takes_the_same_format_words(tmp_path):
    for command in (["crawl", "x.toml"], ["demo"], ["verify"], ["query", "SELECT 1"],
                    ["changes"], ["history", "x"]):  # fmt: skip
        ran = invoke(*command, "--format", "xml", "--data", str(tmp_path / "d"))
        assert ran.code == 2, command
        assert "'xml' is not one of 'table', 'json', 'csv'" in ran.one_line_error(), command
    assert "'csv' is not one of 'parquet'" in invoke("export", "--format", "csv").one_line_error()
    assert "No such option: --json" in invoke("crawl", "x.toml", "--json").one_line_error()


def test_the_plain_round_summarises_and_changes_print_as_csv(archive):
    run = archive.crawl("translated")

    assert run.summary.sites == ["demo-translated"] and run.verify.ok
    assert run.summary.to_dict()["verify"]["files"] == len(archive.warcs())
    assert "| pages fetched |" in run.summary.markdown()
    data = str(archive.data)
    changes = runner.invoke(app, ["changes", "--data", data, "--format", "csv"])
    assert changes.exit_code == 0, changes.output
    rows = list(csv.DictReader(io.StringIO(changes.stdout)))
    assert rows and {row["kind"] for row in rows} == {"new"}
    history = runner.invoke(
        app, ["history", rows[0]["article_id"], "--data", data, "--format", "csv"]
    )
    assert history.exit_code == 0, history.output
    [version] = list(csv.DictReader(io.StringIO(history.stdout)))
    assert version["version"] == "1" and version["content_hash"]
