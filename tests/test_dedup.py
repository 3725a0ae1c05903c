"""Deduplication: URL variants and equal content form one story; near-copies are found."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from archive.stories.dedup import (
    CopyRelation,
    PageSignals,
    find_near_duplicates,
    group_pages,
    is_amp_url,
    is_mobile_url,
    normalize_url,
    shingle_hashes,
    site_of,
)

T0 = datetime(2025, 8, 7, 9, 0, tzinfo=UTC)

EN = "https://news.example.com/en/story/gpt-5-launch"
ZH = "https://news.example.com/zh/story/gpt-5-launch"


def page(
    url: str,
    minutes: int = 0,
    *,
    canonical: str | None = None,
    amp: str | None = None,
    mobile: str | None = None,
    alternates: dict[str, str] | None = None,
    content: str | None = "story",
    redirect_to: str | None = None,
) -> PageSignals:
    return PageSignals(
        url=url,
        captured_at=T0 + timedelta(minutes=minutes),
        canonical_url=canonical,
        amp_url=amp,
        mobile_url=mobile,
        alternates=alternates or {},
        content_hash=content,
        redirect_to=redirect_to,
    )


def reasons(memberships) -> dict[str, tuple[str, str]]:
    return {m.url: (m.story_key, m.reason) for m in memberships}


# --- URL keys -----------------------------------------------------------------------------------


def test_url_key_drops_tracking_fragment_default_port_and_trailing_slash():
    key = "https://news.example.com/story/gpt-5?id=7&page=2"
    for variant in [
        "https://news.example.com/story/gpt-5?page=2&id=7",
        "HTTPS://News.Example.COM:443/story/gpt-5/?id=7&utm_source=x&page=2#comments",
        "https://news.example.com//story//gpt-5?fbclid=abc&id=7&gclid=1&page=2&ref=tw",
        "https://news.example.com/story/gpt-5?id=7&page=2&mc_cid=1&mc_eid=2&spm=a.b&_ga=3",
        " https://news.example.com/story/gpt-5?share=1&from=home&ref_src=twsrc&id=7&page=2 ",
    ]:
        assert normalize_url(variant) == key, variant


def test_url_key_keeps_root_slash_other_ports_and_normalises_percent_encoding():
    assert normalize_url("HTTP://Example.com:80") == "http://example.com/"
    assert normalize_url("http://example.com:8080/a/") == "http://example.com:8080/a"
    assert normalize_url("https://例子.cn/新闻/?q=人工智能") == normalize_url(
        "https://xn--fsqu00a.cn/%E6%96%B0%E9%97%BB?q=%E4%BA%BA%E5%B7%A5%E6%99%BA%E8%83%BD"
    )
    assert normalize_url("https://x.com/%7Euser/%41") == "https://x.com/~user/A"


def test_amp_and_mobile_urls_are_recognised():
    for url in [
        "https://x.com/amp/story/1",
        "https://x.com/story/1/amp",
        "https://x.com/story/1?amp=1",
        "https://x.com/story/1.amp",
        "https://amp.x.com/story/1",
    ]:
        assert is_amp_url(url), url
    assert not is_amp_url("https://x.com/story/example-amplifier")
    assert is_mobile_url("https://m.x.com/story/1")
    assert is_mobile_url("https://x.com/m/story/1")
    assert not is_mobile_url("https://mx.com/story/1")
    assert not is_mobile_url("https://x.com/story/m")


# --- Grouping -----------------------------------------------------------------------------------


def test_tracking_variants_and_fragments_map_to_one_story():
    story = "https://news.example.com/story/gpt-5"
    pages = [
        page(story + "?utm_source=newsletter&utm_medium=email", 0, canonical=story),
        page(story + "/#comments", 1, canonical=story),
        page("https://NEWS.example.com/story/gpt-5?fbclid=abc", 2),
        page(story, 3, canonical=story),
    ]
    keys, rows, _ = group_pages(pages)
    assert set(keys.values()) == {story}
    assert reasons(rows) == {
        story: (story, "canonical"),
        story + "?utm_source=newsletter&utm_medium=email": (story, "tracking"),
        story + "/#comments": (story, "tracking"),
        "https://NEWS.example.com/story/gpt-5?fbclid=abc": (story, "tracking"),
    }


def test_hreflang_en_and_zh_pages_are_one_story():
    alternates = {"en": EN, "zh-Hans": ZH, "x-default": EN}
    pages = [
        # The Chinese page is captured first; the English x-default still names the story.
        page(ZH, 0, canonical=ZH, alternates=alternates, content="zh-text"),
        page(EN, 5, canonical=EN, alternates=alternates, content="en-text"),
    ]
    keys, rows, _ = group_pages(pages)
    assert keys == {EN: EN, ZH: EN}
    assert reasons(rows) == {EN: (EN, "canonical"), ZH: (EN, "hreflang")}


def test_hreflang_without_x_default_prefers_english_then_smallest_tag():
    ja = "https://news.example.com/ja/story/gpt-5-launch"
    en_zh = {"en": EN, "zh": ZH, "ja": ja}
    keys, _, _ = group_pages([page(ZH, 0, canonical=ZH, alternates=en_zh), page(ja, 1)])
    assert set(keys.values()) == {EN}
    zh_ja = {"zh": ZH, "ja": ja}
    keys, _, _ = group_pages(
        [page(ZH, 0, canonical=ZH, alternates=zh_ja), page(ja, 1, canonical=ja)]
    )
    assert set(keys.values()) == {ja}


def test_amp_and_mobile_pages_join_their_canonical_story():
    story = "https://news.example.com/story/gpt-5"
    amp = "https://news.example.com/amp/story/gpt-5"
    mobile = "https://m.news.example.com/story/gpt-5"
    pages = [
        # The AMP and mobile pages come first and declare the story as canonical; the story
        # page links both back.
        page(amp, 0, canonical=story, content="amp-html"),
        page(mobile, 1, canonical=story, content="mobile-html"),
        page(story, 2, canonical=story, amp=amp, mobile=mobile),
    ]
    keys, rows, _ = group_pages(pages)
    assert set(keys.values()) == {story}
    assert reasons(rows) == {
        story: (story, "canonical"),
        amp: (story, "amp"),
        mobile: (story, "mobile"),
    }


def test_amp_looking_urls_are_not_merged_by_their_shape_alone():
    keys, rows, _ = group_pages(
        [
            page("https://x.com/story/a", 0, content="a"),
            page("https://x.com/amp/story/a", 1, content="b"),
        ]
    )
    assert len(set(keys.values())) == 2
    assert {m.reason for m in rows} == {"canonical"}


def test_redirect_source_joins_its_target():
    old = "http://news.example.com/2025/08/gpt5"
    new = "https://news.example.com/story/gpt-5"
    pages = [
        page(old, 0, content=None, redirect_to="https://news.example.com/story/gpt-5"),
        page("https://news.example.com/p?id=9", 1, content=None, redirect_to="/story/gpt-5/"),
        page(new, 2),  # no rel=canonical, captured after the redirects
    ]
    keys, rows, _ = group_pages(pages)
    assert set(keys.values()) == {new}
    assert reasons(rows) == {
        new: (new, "canonical"),
        old: (new, "redirect"),
        "https://news.example.com/p?id=9": (new, "redirect"),
        new + "/": (new, "tracking"),
    }


def test_identical_content_under_two_urls_is_one_story():
    first = "https://news.example.com/story/gpt-5"
    second = "https://news.example.com/articles/2025-08-07-gpt-5"
    keys, rows, _ = group_pages(
        [page(second, 3, content="h1"), page(first, 0, content="h1"), page(first, 9, content="h1")]
    )
    assert keys == {first: first, second: first}
    assert reasons(rows) == {first: (first, "canonical"), second: (first, "same_content")}


def test_listing_pages_are_never_merged_by_content():
    listings = [
        page("https://news.example.com/", 0, content=None),
        page("https://news.example.com/page/2", 1, content=None),
        page("https://other.example.org/", 2, content=None),
    ]
    keys, rows, _ = group_pages(listings)
    assert len(set(keys.values())) == 3
    assert len(rows) == 3


def test_links_to_the_home_page_never_merge_stories():
    home = "https://news.example.com/"
    pages = [
        page(home, 0, content=None),
        page("https://news.example.com/story/removed", 1, content=None, redirect_to=home),
        page("https://news.example.com/story/a", 2, canonical=home, content="a"),
        page("https://news.example.com/story/b", 3, alternates={"x-default": home}, content="b"),
    ]
    keys, _, _ = group_pages(pages)
    assert len(set(keys.values())) == 4


def test_a_recaptured_url_is_one_membership_row():
    story = "https://news.example.com/story/gpt-5"
    _, rows, _ = group_pages([page(story, 0, content="v1"), page(story, 60, content="v2")])
    assert [(m.url, m.reason) for m in rows] == [(story, "canonical")]


def test_grouping_is_order_independent():
    story = "https://news.example.com/story/gpt-5"
    pages = [
        page(ZH, 0, canonical=ZH, alternates={"en": EN, "zh": ZH}, content="zh"),
        page(EN + "?utm_source=x", 1, canonical=EN, alternates={"en": EN, "zh": ZH}),
        page(EN, 2, canonical=EN, amp=EN + "/amp", content="en"),
        page(EN + "/amp", 3, canonical=EN, content="en-amp"),
        page("https://news.example.com/amp/story/gpt-5", 4, canonical=story, content="amp"),
        page(story, 5, canonical=story, content="same"),
        page("https://mirror.example.org/gpt-5", 6, content="same"),
        page("http://news.example.com/old", 7, content=None, redirect_to=story),
        page("https://news.example.com/", 8, content=None),
        page("https://news.example.com/page/2", 9, content=None),
        page("https://news.example.com/story/other", 10, content="other"),
        page("https://news.example.com/story/other2", 10, content="other2"),
    ]
    expected = group_pages(pages)
    assert set(expected.story_keys.values()) == {
        EN,
        story,
        "https://mirror.example.org/gpt-5",  # the same content on another site: a copy
        "https://news.example.com/",
        "https://news.example.com/page/2",
        "https://news.example.com/story/other",
        "https://news.example.com/story/other2",
    }
    assert expected.copies == [
        CopyRelation("https://mirror.example.org/gpt-5", story, "same_content")
    ]
    rng = random.Random(7)
    for _ in range(30):
        shuffled = pages + rng.sample(pages, 3)  # repeats change nothing either
        rng.shuffle(shuffled)
        assert group_pages(shuffled) == expected


# --- Sites and copies ----------------------------------------------------------------------------

ORIGINAL = "https://www.techwire.example.com/story/gpt-5"
PARTNER = "https://news.partner.example.org/ai/gpt-5-techwire"
FT_EN = "https://www.ft.com/content/gpt-5"
FT_ZH = "https://www.ftchinese.com/story/gpt-5"


def test_a_site_is_the_registrable_domain_and_an_ip_address_is_a_site_of_its_own():
    assert site_of("https://cn.ft.com/a") == site_of("https://WWW.FT.COM:443/b") == "ft.com"
    assert site_of("https://news.bbc.co.uk/x") == "bbc.co.uk"
    assert (
        site_of("https://例子.cn/新闻")
        == site_of("https://www.xn--fsqu00a.cn/")
        == "xn--fsqu00a.cn"
    )
    assert site_of("https://alice.github.io/a") != site_of("https://bob.github.io/a")
    assert site_of("http://127.0.0.1:8001/a") == site_of("http://127.0.0.1:8002/b") == "127.0.0.1"
    assert site_of("http://127.0.0.2/a") == "127.0.0.2"
    assert site_of("http://[::1]:8000/a") == "::1"
    assert site_of("http://localhost:3000/a") == "localhost"


def test_the_public_suffix_list_is_the_bundled_one_never_fetched(tmp_path):
    """No network and no cache files, even in a fresh process that loads the list first."""
    import os
    import subprocess
    import sys

    script = (
        "import socket\n"
        "def refuse(*args, **kwargs):\n"
        "    raise SystemExit('network used')\n"
        "socket.socket.connect = socket.create_connection = socket.getaddrinfo = refuse\n"
        "from archive.stories.dedup.urls import site_of\n"
        "print(site_of('https://news.bbc.co.uk/x'))\n"
    )
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "TLDEXTRACT_CACHE": str(tmp_path / "tld")}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stdout.strip()) == (0, "bbc.co.uk"), done.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_canonical_link_to_another_site_records_a_copy_not_one_story():
    pages = [
        page(ORIGINAL, 0, canonical=ORIGINAL, content="original"),
        page(PARTNER + "?utm_source=feed", 5, canonical=ORIGINAL, content="partner"),
    ]
    keys, rows, copies = group_pages(pages)
    assert keys == {ORIGINAL: ORIGINAL, PARTNER: PARTNER}
    assert reasons(rows) == {
        ORIGINAL: (ORIGINAL, "canonical"),
        PARTNER + "?utm_source=feed": (PARTNER, "canonical"),
    }
    assert copies == [CopyRelation(PARTNER, ORIGINAL, "canonical")]
    # The original need not be captured: the relation is recorded, the URL is no story of ours.
    keys, rows, copies = group_pages(pages[1:])
    assert set(keys.values()) == {PARTNER}
    assert copies == [CopyRelation(PARTNER, ORIGINAL, "canonical")]


def test_a_canonical_link_within_a_site_still_joins_across_subdomains():
    mobile = "https://m.techwire.example.com/story/gpt-5"
    keys, rows, copies = group_pages(
        [page(mobile, 0, canonical=ORIGINAL, content="m"), page(ORIGINAL, 1, content="www")]
    )
    assert keys == {mobile: ORIGINAL, ORIGINAL: ORIGINAL}
    assert reasons(rows)[mobile] == (ORIGINAL, "mobile")
    assert copies == []


def test_an_amp_page_declared_on_another_site_is_a_copy():
    cache = "https://techwire-example-com.cdn.ampproject.org/c/s/story/gpt-5"
    keys, _, copies = group_pages([page(ORIGINAL, 0, amp=cache)])
    assert keys == {ORIGINAL: ORIGINAL}
    assert copies == [CopyRelation(cache, ORIGINAL, "amp")]


def test_hreflang_across_sites_joins_only_when_both_pages_declare_it():
    both = {"en": FT_EN, "zh-Hans": FT_ZH}
    keys, rows, copies = group_pages(
        [page(FT_ZH, 0, alternates=both, content="zh"), page(FT_EN, 3, alternates=both)]
    )
    assert keys == {FT_EN: FT_EN, FT_ZH: FT_EN}
    assert reasons(rows) == {FT_EN: (FT_EN, "canonical"), FT_ZH: (FT_EN, "hreflang")}
    assert copies == []
    # A partner repeating the publisher's hreflang block is not named back: a copy of both.
    partner = page(PARTNER, 9, canonical=PARTNER, alternates={**both, "en-GB": PARTNER})
    keys, _, copies = group_pages(
        [page(FT_ZH, 0, alternates=both, content="zh"), page(FT_EN, 3, alternates=both), partner]
    )
    assert keys[PARTNER] == PARTNER and keys[FT_ZH] == FT_EN
    assert copies == [
        CopyRelation(PARTNER, FT_EN, "hreflang"),
        CopyRelation(PARTNER, FT_ZH, "hreflang"),
    ]


def test_a_one_sided_hreflang_link_across_sites_is_a_copy():
    keys, _, copies = group_pages(
        [page(FT_EN, 0, alternates={"en": FT_EN, "zh": FT_ZH}), page(FT_ZH, 1, content="zh")]
    )
    assert keys == {FT_EN: FT_EN, FT_ZH: FT_ZH}
    assert copies == [CopyRelation(FT_EN, FT_ZH, "hreflang")]


def test_identical_content_on_two_sites_is_a_copy_of_the_earlier_page():
    other_url = "https://www.techwire.example.com/2025/gpt-5"
    keys, rows, copies = group_pages(
        [
            page(PARTNER, 0, content="same"),  # captured first: the original
            page(ORIGINAL, 5, content="same"),
            page(other_url, 6, content="same"),  # the same site's two URLs still join
        ]
    )
    assert keys == {PARTNER: PARTNER, ORIGINAL: ORIGINAL, other_url: ORIGINAL}
    assert reasons(rows)[other_url] == (ORIGINAL, "same_content")
    assert copies == [CopyRelation(ORIGINAL, PARTNER, "same_content")]


def test_a_redirect_joins_across_sites():
    old = "https://techwire.example.net/gpt-5"
    keys, rows, copies = group_pages([page(old, 0, content=None, redirect_to=ORIGINAL),
                                      page(ORIGINAL, 1)])  # fmt: skip
    assert keys == {old: ORIGINAL, ORIGINAL: ORIGINAL}
    assert reasons(rows)[old] == (ORIGINAL, "redirect")
    assert copies == []


def test_grouping_with_copies_is_order_independent():
    both = {"en": FT_EN, "zh": FT_ZH}
    pages = [
        page(FT_EN, 0, canonical=FT_EN, alternates=both, content="en"),
        page(FT_ZH, 1, canonical=FT_ZH, alternates=both, content="zh"),
        page(PARTNER, 2, canonical=FT_EN, alternates=both, content="en+intro"),
        page(PARTNER + "?ref=x", 3, canonical=FT_EN),
        page("https://mirror.example.org/a", 4, content="en"),
        page("https://mirror.example.org/b", 5, content="en"),
        page("https://amp.example.net/ft/gpt-5", 6, canonical=FT_EN, content="amp"),
        page(ORIGINAL, 7, canonical=ORIGINAL, alternates={"zh": FT_ZH}, content="tw"),
        page("http://ft.example.net/old", 8, content=None, redirect_to=FT_EN),
    ]
    expected = group_pages(pages)
    assert expected.copies == [
        CopyRelation("https://amp.example.net/ft/gpt-5", FT_EN, "canonical"),
        CopyRelation("https://mirror.example.org/a", FT_EN, "same_content"),
        CopyRelation(PARTNER, FT_EN, "canonical"),
        CopyRelation(PARTNER, FT_ZH, "hreflang"),
        CopyRelation(ORIGINAL, FT_ZH, "hreflang"),
    ]
    assert expected.story_keys["http://ft.example.net/old"] == FT_EN
    rng = random.Random(11)
    for _ in range(30):
        shuffled = pages + rng.sample(pages, 3)
        rng.shuffle(shuffled)
        assert group_pages(shuffled) == expected


# --- Near duplicates ----------------------------------------------------------------------------

GPT5_EN = (
    "OpenAI on Thursday released GPT-5, the latest version of the model behind ChatGPT, and made "
    "it the default for all of the chatbot's users, including those on the free tier. The company "
    "said the new system routes each request between a fast model and a slower reasoning model, "
    "deciding on its own how much thought a question deserves. In a livestream from San "
    "Francisco, chief executive Sam Altman described GPT-5 as the first model that feels like "
    "talking to an expert with a doctorate in any field. OpenAI reported that the model makes "
    "fewer factual errors than its predecessors, scoring 74.9 percent on the SWE-bench Verified "
    "coding test and 94.6 percent on a competition mathematics benchmark. Developers get three "
    "sizes through the API, priced at 1.25 dollars per million input tokens for the largest. "
    "Early testers praised its ability to write complete applications from a single prompt, but "
    "several researchers cautioned that benchmark gains do not always carry over to everyday "
    "work. The launch comes as rivals including Google, Anthropic and xAI race to ship their own "
    "frontier systems, and as OpenAI seeks to justify a valuation that investors now put at about "
    "500 billion dollars. Microsoft, OpenAI's largest backer, said GPT-5 would be available in "
    "Copilot and its Azure cloud on the same day."
)

GPT5_EN_OTHER_STORY = (
    "GPT-5 arrived on Thursday, and the first question many developers asked was whether OpenAI "
    "had finally closed the gap with Anthropic on coding. According to OpenAI, the new model "
    "scores 74.9 percent on SWE-bench Verified, narrowly ahead of Claude Opus 4.1. Independent "
    "testers were more cautious: in our own trials GPT-5 built a working web app from one prompt "
    "but struggled with a large legacy codebase. The pricing may matter more than the benchmarks. "
    "At 1.25 dollars per million input tokens, GPT-5 undercuts most frontier models, which could "
    "pressure Google and Anthropic to cut prices. Sam Altman said during the San Francisco "
    "livestream that the model feels like talking to an expert, but enterprise buyers we spoke "
    "to said they will wait for results on their own workloads before switching. Microsoft is "
    "rolling GPT-5 into Copilot and Azure, giving OpenAI's model immediate reach inside large "
    "companies."
)

GPT5_ZH = (
    "OpenAI于周四正式发布GPT-5，这是ChatGPT背后模型的最新版本，并将其设为所有用户的默认模型，"
    "免费用户也可以使用。公司表示，新系统会在快速模型和深度推理模型之间自动分配请求，"
    "自行判断一个问题需要多少思考。首席执行官萨姆·奥特曼在旧金山举行的直播中表示，"
    "GPT-5是第一个让人感觉像是在与任何领域的博士级专家交谈的模型。OpenAI称，"
    "该模型的事实性错误明显少于前代产品，在SWE-bench Verified编程测试中得分74.9%，"
    "在竞赛数学基准测试中得分94.6%。开发者可以通过API使用三种规格的模型，最大规格的价格为"
    "每百万输入词元1.25美元。早期测试者称赞它能够根据一条提示写出完整的应用程序，"
    "但多位研究人员提醒，基准测试成绩的提升并不总能转化为日常工作中的表现。"
    "此次发布正值谷歌、Anthropic和xAI等竞争对手竞相推出各自的前沿模型，"
    "而投资者对OpenAI的估值已达到约五千亿美元。OpenAI最大的支持者微软表示，"
    "GPT-5将于同日在Copilot和Azure云平台上线。"
)

GPT5_ZH_OTHER_STORY = (
    "GPT-5周四上线后，许多开发者最关心的问题是OpenAI是否终于在编程能力上追平了Anthropic。"
    "根据OpenAI公布的数据，新模型在SWE-bench Verified上得分74.9%，略高于Claude Opus 4.1。"
    "不过独立测试者的看法更为谨慎：在我们的实测中，GPT-5能用一条提示生成可运行的网页应用，"
    "但在处理大型遗留代码库时表现吃力。相比基准测试，定价或许更加重要。"
    "每百万输入词元1.25美元的价格低于大多数前沿模型，这可能迫使谷歌和Anthropic跟进降价。"
    "奥特曼在旧金山的直播中说，使用这个模型就像在与专家交谈，"
    "但我们采访的企业客户表示，在切换之前会先用自己的业务数据验证效果。"
    "微软正在把GPT-5接入Copilot和Azure，让OpenAI的模型立即进入大型企业。"
)


def test_syndicated_copy_is_a_near_duplicate():
    copy_en = (
        "This article originally appeared on TechWire and is republished with permission. "
        + GPT5_EN
        + " Sign up for our daily AI briefing to get stories like this in your inbox. "
        "Copyright 2025 TechWire."
    )
    copy_zh = (
        "本文转载自科技日报，已获授权。" + GPT5_ZH + "欢迎关注我们的公众号，获取每日人工智能新闻。"
    )
    docs = [
        ("en-original", "techwire.example", GPT5_EN),
        ("zh-original", "keji.example.cn", GPT5_ZH),
        ("unrelated", "news.example.com", GPT5_EN_OTHER_STORY),
        ("en-copy", "aggregator.example", copy_en),
        ("zh-copy", "aggregator.example.cn", copy_zh),
    ]
    found = find_near_duplicates(docs)
    assert [(d.story_key, d.copy_of) for d in found] == [
        ("en-copy", "en-original"),
        ("zh-copy", "zh-original"),
    ]
    assert all(d.similarity >= 0.8 for d in found)


def test_same_topic_different_stories_are_not_near_duplicates():
    docs = [
        ("en-a", "a.example", GPT5_EN),
        ("en-b", "b.example", GPT5_EN_OTHER_STORY),
        ("zh-a", "a.example.cn", GPT5_ZH),
        ("zh-b", "b.example.cn", GPT5_ZH_OTHER_STORY),
    ]
    assert find_near_duplicates(docs, threshold=0.5) == []
    for first, second in [(GPT5_EN, GPT5_EN_OTHER_STORY), (GPT5_ZH, GPT5_ZH_OTHER_STORY)]:
        a, b = set(shingle_hashes(first)), set(shingle_hashes(second))
        assert len(a & b) / len(a | b) < 0.2


def test_the_later_story_is_the_copy_and_versions_of_one_story_are_not_pairs():
    docs = [
        ("first", "a.example", GPT5_EN),
        ("first", "a.example", GPT5_EN + " Updated with Microsoft's statement."),
        ("second", "b.example", GPT5_EN),
        ("first", "a.example", GPT5_EN),  # a later version does not make `first` the copy
    ]
    [duplicate] = find_near_duplicates(docs)
    assert (duplicate.story_key, duplicate.copy_of, duplicate.similarity) == (
        "second",
        "first",
        1.0,
    )


def test_mixed_text_gets_word_and_character_shingles():
    assert shingle_hashes("OpenAI GPT 5 发布新模型").size == 1 + 2
    assert shingle_hashes("").size == 0


def test_minhash_signature_is_datasketchs():
    """Stored LSH band keys are built from it: it must stay what datasketch computes."""
    import numpy as np
    from datasketch import MinHash

    from archive.stories.dedup.near import MINHASH_SEED, NUM_PERM, minhash_signature, shingle_hashes

    texts = ["A frontier lab released a smaller reasoning model.", "one",
             "一家前沿实验室发布了模型", " ".join(f"word{i}" for i in range(3000))]  # fmt: skip
    for text in texts:
        shingles = shingle_hashes(text)
        reference = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED, scheme="affine64", hashfunc=int)
        reference.update_batch(shingles.tolist())
        assert np.array_equal(minhash_signature(shingles), reference.hashvalues)
