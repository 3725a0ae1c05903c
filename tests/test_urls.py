from crawlers.urls import clean_link

STRIP = ["utm_*", "fbclid"]


def test_tracking_parameters_and_fragments_are_dropped():
    url = "http://127.0.0.1:1/story/x?utm_source=nl&id=7&utm_medium=email&fbclid=abc#comments"
    assert clean_link(url, STRIP) == "http://127.0.0.1:1/story/x?id=7"


def test_an_untouched_query_keeps_its_exact_spelling():
    url = "http://127.0.0.1:1/search?q=%E4%BA%BA%E5%B7%A5+AI&page=2"
    assert clean_link(url, STRIP) == url
