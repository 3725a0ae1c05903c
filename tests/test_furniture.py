"""Furniture is told from content by what a line says, whatever its markup (issue 13, point 1)."""

from __future__ import annotations

import pytest

from archive.stories.extract.furniture import line_role, read_metrics
from archive.stories.extract.live_values import without_live_values

FURNITURE = {
    "Updated 3h ago · 更新于 3小时前": "time",
    "By Jane Doe · 3 hours ago": "time",
    "AI News AI资讯 10h ago Updated 2h ago 更新于 2小时前 53": "time",
    "Posted on Nov 21, 2026 by Jane Doe": "time",
    "Updated Nov. 21, 2026 9:12 a.m. ET": "time",
    "2026-11-20 16:00:00　来源: 新华社　参与 1234 评论": "time",
    "1,234 views · 56 comments": "metric",
    "阅读 5.2万 · 评论 123 · 点赞 45": "metric",
    "Hot 热度 88 · Quality 质量 75": "metric",
    "🔥 88 Impact 影响力": "metric",
    "Rating 4.5/5 (1,203 ratings)": "metric",
    "1,234 watching": "metric",
    "Sign up for our AI newsletter and get the top stories in your inbox every morning.": "promo",
    "下载APP，阅读更多精彩内容 立即下载": "promo",
    "扫码关注公众号，获取更多AI资讯": "promo",
    "Read more: Why chips matter for AI": "promo",
    "Advertisement": "promo",
    "登录 | 注册": "promo",
    "© 2026 Example Media. All rights reserved.": "credit",
    "责任编辑：张三_NB1234": "credit",
    "By Mei Lin, Open Weights Weekly · 20 November 2026": "time",
    "Home › Tech › AI": "label",
    "Chips · 芯片": "label",
    "Sponsored: Acme GPUs by the hour": "promo",
    "发布于 来源：界面新闻": "time",
    "Published 2026-11-20T10:50Z Updated 2026-11-21T05:08Z": "time",
    "https://www.gov.cn/ 2026-11-21 00:25": "time",
}
CONTENT = [
    "Claude 3.5 Sonnet",
    "5 new models",
    "2024 in review",
    "The model launched 3 hours ago.",
    "OpenAI released GPT-4 in March 2023.",
    "Users can subscribe to ChatGPT Plus for $20 a month.",
    "用户需要登录后才能使用该模型。",
    "美国政府于2026年11月20日宣布新规。",
    "Revenue rose 20% to $3.5 billion in 2025.",
    "第3章",
    "OpenAI, Microsoft and Google",
    "What changed / 有哪些变化",
    "OpenAI 发布 GPT-5 模型",
]


@pytest.mark.parametrize(("line", "role"), FURNITURE.items())
def test_furniture_lines_are_known_by_their_words(line, role):
    assert line_role(line) == role


@pytest.mark.parametrize("line", CONTENT)
def test_short_lines_shaped_like_sentences_are_content(line):
    assert line_role(line) is None


def test_long_paragraphs_are_never_judged():
    paragraph = "Subscribe " + "to the idea that models improve with data. " * 5
    assert line_role(paragraph) is None


def test_counts_and_scores_on_furniture_lines_join_the_scores_time_series():
    assert read_metrics("阅读 5.2万 · 评论 123 · 点赞 45") == {
        "reads": 52000, "comments": 123, "likes": 45,
    }  # fmt: skip
    assert read_metrics("Hot 热度 88 · Quality 质量 75") == {"hot": 88, "quality": 75}
    assert read_metrics("5 min read") == {}


def test_live_values_merged_into_a_paragraph_leave_its_fingerprint_text():
    a = "By Jane Doe · 3 hours ago Welcome to the new laptop."
    b = "By Jane Doe · 5 hours ago Welcome to the new laptop."
    assert without_live_values(a) == without_live_values(b) == "Welcome to the new laptop."
    merged = "证券时报 阅读 8.4万 · 评论 287 · 点赞 24 当升科技竞得用地。"
    assert without_live_values(merged) == "证券时报 当升科技竞得用地。"


def test_numbers_of_the_story_itself_stay_in_the_fingerprint_text():
    text = "In 2016, the rate was 3.8 percent, and 964,000 people reported a disorder."
    assert without_live_values(text) == text
