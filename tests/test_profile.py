"""Site profiles are data: validated once, with errors that name the file and the key."""

from pathlib import Path

import pytest

from archive.errors import BadProfile
from crawlers.profile import PageKind, load_profile

MINIMAL = """
name = "example-news"
allowed_domains = ["news.example.invalid"]
start_urls = ["https://news.example.invalid/"]
[patterns]
stories = ['/story/[^/]+$']
listings = ['/$', '/page/\\d+$']
browser = ['/live/']
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_profile_gets_polite_defaults(tmp_path):
    profile = load_profile(write(tmp_path, MINIMAL))
    assert profile.politeness.obey_robots is True
    assert profile.politeness.autothrottle is True
    assert "newsarc" in profile.politeness.user_agent
    assert profile.warc_prefix == "example-news"
    assert profile.warc.max_file_bytes == 1_000_000_000


def test_urls_are_classified_by_profile_patterns(tmp_path):
    profile = load_profile(write(tmp_path, MINIMAL))
    assert profile.classify("https://news.example.invalid/story/abc") is PageKind.STORY
    assert profile.classify("https://news.example.invalid/page/2") is PageKind.LISTING
    assert profile.classify("https://news.example.invalid/about") is PageKind.OTHER
    assert profile.needs_browser("https://news.example.invalid/live/x")


def test_scope_is_http_only_and_profile_hosts_only(tmp_path):
    profile = load_profile(write(tmp_path, MINIMAL))
    assert profile.in_scope("https://news.example.invalid/x")
    assert profile.in_scope("http://cdn.news.example.invalid/x")
    assert not profile.in_scope("https://evil.invalid/x")
    assert not profile.in_scope("ftp://news.example.invalid/x")
    assert not profile.in_scope("https://news.example.invalid.evil.invalid/x")


@pytest.mark.parametrize(
    "change, named",
    [
        (('name = "example-news"', 'name = "Bad Name!"'), "name"),
        (("stories = ['/story/[^/]+$']", "stories = ['/story/[']"), "patterns.stories"),
        (
            ('allowed_domains = ["news.example.invalid"]', 'allowed_domains = ["http://x/"]'),
            "allowed_domains",
        ),
        (("[patterns]", "colour = 'blue'\n[patterns]"), "colour"),
    ],
)
def test_bad_profile_error_names_file_and_key(tmp_path, change, named):
    path = write(tmp_path, MINIMAL.replace(*change))
    with pytest.raises(BadProfile) as error:
        load_profile(path)
    assert str(path) in str(error.value)
    assert named in str(error.value)


def test_broken_toml_is_a_bad_profile(tmp_path):
    with pytest.raises(BadProfile, match="not valid TOML"):
        load_profile(write(tmp_path, "name = "))
