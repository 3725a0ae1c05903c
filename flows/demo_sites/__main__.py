"""``python -m flows.demo_sites``: run the demo sites in the foreground until SIGTERM/SIGINT.

Prints one JSON line with the base URLs and control URL, so a parent process (or a human)
can point crawls at it and drive it through the control API.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading

from .demo import DemoSites


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flows.demo_sites", description=__doc__)
    parser.add_argument("--bulk-stories", type=int, default=0)
    parser.add_argument("--slow-seconds", type=float, default=3.0)
    parser.add_argument("--profiles-out", help="write filled-in profile TOMLs here")
    parser.add_argument("--log-level", default="WARNING")
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr)

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())

    sites = DemoSites(bulk_stories=args.bulk_stories, slow_seconds=args.slow_seconds)
    sites.start()
    try:
        info = {**sites.urls(), "control_url": sites.control_url}
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
