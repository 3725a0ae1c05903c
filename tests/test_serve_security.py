"""The Prefect API that `newsarc serve` starts answers only clients that hold the data directory's
auth string, and a web page of another origin (a hostile page rendered by the crawler's browser,
or any tab) can neither read its deployments nor start a flow run."""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from flows.local_server import free_port
from flows.prefect_env import AUTH_STRING_FILE

pytestmark = [pytest.mark.slow, pytest.mark.browser]

NEWSARC = str(Path(sys.executable).parent / "newsarc")
CHROMIUM = "/usr/bin/chromium"
PAGE_ORIGIN_HOST = "127.0.0.3"  # another loopback origin than the API's 127.0.0.1


class Served:
    def __init__(self, port: int, data: Path) -> None:
        self.api_url = f"http://127.0.0.1:{port}/api"
        self.data = data

    @property
    def auth_string(self) -> str:
        return (self.data / AUTH_STRING_FILE).read_text(encoding="utf-8").strip()

    def call(self, path: str, body: dict | None = None, auth: str | None = None):
        """POST to the API as a plain HTTP client; (status, decoded JSON body)."""
        headers = {"Content-Type": "application/json"}
        if auth is not None:
            headers["Authorization"] = "Basic " + base64.b64encode(auth.encode()).decode()
        request = urllib.request.Request(
            self.api_url + path, data=json.dumps(body or {}).encode(), headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as refused:
            return refused.code, json.loads(refused.read() or b"null")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`newsarc serve` as an operator starts it, once for the module (~35 s of Prefect start)."""
    work = tmp_path_factory.mktemp("serve")
    data = work / "data"
    profile = work / "quiet.toml"
    profile.write_text(  # never crawled: nothing here may start a run
        'name = "quiet-site"\nallowed_domains = ["127.0.0.1"]\nstart_urls = ["http://127.0.0.1:9/"]\n',
        encoding="utf-8",
    )
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API_")}
    log = work / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [NEWSARC, "serve", str(profile), "--data", str(data), "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Served(port, data)
    try:
        deadline = time.monotonic() + 240
        while True:  # served once its deployments are registered (with the auth string)
            assert process.poll() is None, log.read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, log.read_text(errors="replace")[-3000:]
            try:
                status, deployments = server.call("/deployments/filter", {}, server.auth_string)
                if status == 200 and len(deployments) == 6:
                    break
            except (OSError, ValueError):
                pass
            time.sleep(0.5)
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


def test_the_api_answers_only_the_data_directorys_auth_string(served):
    assert (served.data / AUTH_STRING_FILE).stat().st_mode & 0o777 == 0o600

    assert served.call("/deployments/filter")[0] == 401
    assert served.call("/deployments/filter", auth="newsarc:guessed")[0] == 401
    status, deployments = served.call("/deployments/filter", auth=served.auth_string)

    assert status == 200
    assert {d["name"] for d in deployments} >= {"quiet-site", "archive", "all-sites"}


ATTACK = """
<!doctype html><title>news</title>
<script>
const API = "%(api)s";
async function attempt(name, url, options) {
  try {
    const answer = await fetch(url, options);
    return [name, {type: answer.type, status: answer.status, body: await answer.text()}];
  } catch (error) {
    return [name, {error: String(error)}];
  }
}
window.attack = Promise.all([
  // a preflighted JSON request, as the issue's service worker did
  attempt("read", API + "/deployments/filter",
          {method: "POST", headers: {"Content-Type": "application/json"}, body: "{}"}),
  // "simple" requests: no preflight, so the server itself must refuse them
  attempt("read-simple", API + "/deployments/filter",
          {method: "POST", headers: {"Content-Type": "text/plain"}, body: "{}"}),
  attempt("start-simple", API + "/deployments/%(deployment)s/create_flow_run",
          {method: "POST", headers: {"Content-Type": "text/plain"},
           body: JSON.stringify({parameters: {out: "/tmp/chosen-by-the-page"}})}),
  attempt("start-blind", API + "/deployments/%(deployment)s/create_flow_run",
          {method: "POST", mode: "no-cors", body: JSON.stringify({parameters: {}})}),
]).then(Object.fromEntries);
</script>
"""


def serve_page(html: str) -> ThreadingHTTPServer:
    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            body = html.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer((PAGE_ORIGIN_HOST, 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_a_page_of_another_origin_can_neither_read_deployments_nor_start_a_run(served):
    from playwright.sync_api import sync_playwright

    _, deployments = served.call("/deployments/filter", auth=served.auth_string)
    [export] = [d for d in deployments if d["entrypoint"].endswith("export_flow")]
    page_server = serve_page(ATTACK % {"api": served.api_url, "deployment": export["id"]})
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
            )
            try:
                page = browser.new_page()
                page.goto(f"http://{PAGE_ORIGIN_HOST}:{page_server.server_address[1]}/")
                result = page.evaluate("window.attack")
            finally:
                browser.close()
    finally:
        page_server.shutdown()

    # the browser shows the page nothing: CORS refuses the preflight, auth the simple requests
    for name in ("read", "read-simple", "start-simple"):
        assert "error" in result[name], (name, result[name])
    assert result["start-blind"] == {"type": "opaque", "status": 0, "body": ""}
    assert "quiet-site" not in json.dumps(result)
    # and the server did nothing: none of its deployments has a flow run (the test process's
    # shared PREFECT_HOME, tests/conftest.py, may hold other tests' runs without a deployment)
    ids = [d["id"] for d in deployments]
    status, runs = served.call(
        "/flow_runs/filter", {"flow_runs": {"deployment_id": {"any_": ids}}}, served.auth_string
    )
    assert (status, runs) == (200, [])
