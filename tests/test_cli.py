"""The `newsarc` commands people run by hand: extract one page, query, export."""

from __future__ import annotations

import json
import os

from typer.testing import CliRunner

from flows.cli import app
from tests.cli_process import newsarc

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
