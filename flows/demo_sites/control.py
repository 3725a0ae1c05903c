"""JSON control API so a demo server running in another process can be driven over HTTP.

Routes: GET /state, GET /log[?since=N], POST /advance {"seconds"|"hours"},
POST /edit {"op", "site", ...method args}, POST /reset-faults.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import parse_qs

from .httpcore import DemoHandler

log = logging.getLogger(__name__)

EDIT_OPS = {
    "publish",
    "edit_title",
    "edit_paragraph",
    "add_tldr",
    "append_correction",
    "touch_updated",
    "silent_edit",
    "remove",
    "restore",
}


class ControlApp:
    def __init__(self, sites) -> None:
        self.sites = sites  # a DemoSites

    def _reply(self, h: DemoHandler, status: int, data) -> None:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        h.send_simple(status, body, "application/json; charset=utf-8")

    def handle(self, h: DemoHandler) -> None:
        try:
            self._route(h)
        except (KeyError, ValueError, TypeError, IndexError) as exc:
            log.info("control request %s %s failed: %s", h.command, h.route, exc)
            self._reply(h, 400, {"error": f"{type(exc).__name__}: {exc}"})

    def _route(self, h: DemoHandler) -> None:
        route, method = h.route, h.command
        if method in ("GET", "HEAD") and route == "/state":
            self._reply(h, 200, self.sites.state())
        elif method in ("GET", "HEAD") and route == "/log":
            since = int(parse_qs(h.query).get("since", ["0"])[0])
            self._reply(h, 200, self.sites.request_log_since(since))
        elif method == "POST" and route in ("/advance", "/edit", "/reset-faults"):
            raw = h.read_body()
            args = json.loads(raw) if raw.strip() else {}
            if not isinstance(args, dict):
                raise ValueError("JSON object expected")
            if route == "/advance":
                now = self.sites.advance(
                    seconds=float(args.get("seconds", 0)), hours=float(args.get("hours", 0))
                )
                self._reply(h, 200, {"now": now.isoformat()})
            elif route == "/edit":
                op = args.pop("op", None)
                if op not in EDIT_OPS:
                    raise ValueError(f"unknown op {op!r}; one of {sorted(EDIT_OPS)}")
                getattr(self.sites, op)(**args)
                now = self.sites.clock.now().isoformat()
                self._reply(h, 200, {"ok": True, "op": op, "now": now})
            else:
                self.sites.reset_faults()
                self._reply(h, 200, {"ok": True})
        else:
            self._reply(h, 404, {"error": f"no route {method} {route}"})
