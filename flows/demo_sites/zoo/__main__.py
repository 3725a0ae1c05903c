"""``python -m flows.demo_sites.zoo``: run the site zoo in the foreground until SIGTERM/SIGINT.

Prints one JSON line with every site's base URL (and, with --profiles-out, the filled-in
zoo-*.toml paths), so a person can point a browser or ``newsarc crawl`` at the zoo.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading

from .sites import ZooSites


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flows.demo_sites.zoo", description=__doc__)
    parser.add_argument("--profiles-out", help="write filled-in profile TOMLs here")
    parser.add_argument(
        "--hours", type=float, default=0.0,
        help="start the site clock this many hours later (3 puts the partner's copies out)",
    )  # fmt: skip
    parser.add_argument("--log-level", default="WARNING")
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr)

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())

    sites = ZooSites()
    sites.advance(hours=args.hours)
    sites.start()
    try:
        info: dict = {"urls": sites.urls(), "now": sites.clock.now().isoformat()}
        if args.profiles_out:
            written = sites.write_profiles(args.profiles_out)
            info["profiles"] = {name: str(path) for name, path in written.items()}
        sys.stdout.write(json.dumps(info) + "\n")
        sys.stdout.flush()
        while not stop.wait(0.5):
            pass
    finally:
        sites.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
