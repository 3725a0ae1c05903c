"""Thread-safe record of every request the demo sites received.

Crawler tests assert on what actually went over the wire (was robots.txt fetched first? did
the retry happen? was If-None-Match sent?), so each site server appends here in arrival
order and fills in the status once it is sent.  It reads like a list (iteration, len,
indexing, slicing all work on a snapshot) and ``clear()`` empties it between crawls.
"""

from __future__ import annotations

import threading
import time


class RequestLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[dict] = []

    def add(
        self, *, site: str, method: str, path: str, query: str, headers: dict, site_time: str
    ) -> dict:
        entry = {
            "site": site,
            "method": method,
            "path": path,
            "query": query,
            "headers": headers,
            "status": None,
            "time": time.time(),  # wall clock, epoch seconds (for timing assertions)
            "site_time": site_time,
        }
        with self._lock:
            self._entries.append(entry)
        return entry

    def set_status(self, entry: dict, status: int) -> None:
        with self._lock:
            entry["status"] = status

    def snapshot(self, since: int = 0) -> list[dict]:
        """Copies, so callers can keep them while the servers go on logging."""
        with self._lock:
            return [dict(entry, headers=dict(entry["headers"])) for entry in self._entries[since:]]

    def __iter__(self):
        return iter(self.snapshot())

    def __getitem__(self, index):
        return self.snapshot()[index]

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
