"""Poll feeds politely and hand on the articles not seen before.

Polite: one identifying User-Agent, timeouts, conditional requests (ETag, Last-Modified)
so an unchanged feed costs a 304, a pause between article fetches, and only new entries
fetched. What each feed sent and which entries were seen live in a small JSON state file,
so a restarted watcher stays as polite and fetches nothing twice.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.error import HTTPError

from dyad.errors import DyadError
from dyad.ingest.feeds import TIMEOUT, fetch_articles, http_get, parse_feed
from dyad.model import Document

log = logging.getLogger(__name__)

MAX_SEEN = 5000  # entry keys remembered per feed: far more than a feed lists at once
MAX_ATTEMPTS = 3  # an article that failed this many times is given up
UNITS = {"s": 1, "m": 60, "h": 3600}
EVERY = re.compile(r"(\d+(?:\.\d+)?)\s*([smh]?)")

Handle = Callable[[list[Document]], None]
OnError = Callable[[DyadError], None]


def parse_every(value: str) -> float:
    """Seconds in an interval such as "90s", "15m", "1.5h" (a bare number is seconds)."""
    match = EVERY.fullmatch(value.strip().lower())
    seconds = float(match[1]) * UNITS[match[2] or "s"] if match else 0.0
    if seconds <= 0:
        raise DyadError("E133", value=value)
    return seconds


def load_state(path: Path) -> dict:
    """The state of every feed by URL; a missing or unreadable file starts afresh."""
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as e:
        log.warning("%s: state not readable (%s); starting afresh", path, e)
        return {}
    return state if isinstance(state, dict) else {}


def save_state(path: Path, state: dict) -> None:
    # Written aside then renamed, so a watcher killed mid-write leaves the old state whole.
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(state, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def _log_error(error: DyadError) -> None:
    log.warning("%s", error)


def poll(
    url: str,
    feed: dict,
    handle: Handle,
    on_error: OnError = _log_error,
    timeout: float = TIMEOUT,
    delay: float = 1.0,
    stop: threading.Event | None = None,
) -> dict:
    """One poll of one feed: the new entries' Documents go to `handle`, failures to
    `on_error`. `feed` is this feed's state; the new state is returned once `handle` has
    returned, so a batch that `handle` did not take is fetched again next time."""
    headers = {"Accept": "application/rss+xml, application/atom+xml, */*"}
    if feed.get("etag"):
        headers["If-None-Match"] = feed["etag"]
    if feed.get("modified"):
        headers["If-Modified-Since"] = feed["modified"]
    try:
        data, reply = http_get(url, headers, timeout)
    except HTTPError as e:
        if e.code != 304:
            on_error(DyadError("E132", url, detail=e))
        return feed
    except (OSError, ValueError) as e:
        on_error(DyadError("E132", url, detail=e))
        return feed
    try:
        entries = parse_feed(data, url)
    except DyadError as e:
        on_error(e)
        return feed

    seen, failures = feed.get("seen", []), dict(feed.get("failures", {}))
    known = set(seen)
    new = list({e.key: e for e in entries if e.key not in known}.values())
    docs, done = [], []
    items = fetch_articles(new, timeout=timeout, delay=delay)  # one per entry, in order
    for entry, item in zip(new, items, strict=True):
        if isinstance(item, Document):
            docs.append(item)
            done.append(entry.key)
        else:
            on_error(item)
            failures[entry.key] = failures.get(entry.key, 0) + 1
            if failures[entry.key] >= MAX_ATTEMPTS:
                done.append(entry.key)
        if stop is not None and stop.is_set():
            break
    log.info("%s: %d new documents of %d new entries", url, len(docs), len(new))
    if docs:
        handle(docs)
    listed = {e.key for e in entries}
    finished = len(done) == len(new)
    # Validators are kept only when nothing is left to retry: a conditional request would
    # get a 304 and never give the failed or unfetched entries another try.
    return {
        "etag": reply.get("ETag") if finished else None,
        "modified": reply.get("Last-Modified") if finished else None,
        "seen": (seen + done)[-MAX_SEEN:],
        "failures": {k: n for k, n in failures.items() if k in listed and k not in done},
    }


def poll_feeds(
    feeds: list[str],
    handle: Handle,
    state_path: Path,
    on_error: OnError = _log_error,
    timeout: float = TIMEOUT,
    delay: float = 1.0,
    stop: threading.Event | None = None,
) -> None:
    """One round over the feeds; a feed that fails is logged and the others go on."""
    state = load_state(state_path)
    for url in feeds:
        if stop is not None and stop.is_set():
            return
        try:
            state[url] = poll(url, state.get(url, {}), handle, on_error, timeout, delay, stop)
        except Exception:  # a failing `handle` or a bad feed must not stop the other feeds
            log.exception("%s: poll failed", url)
            continue
        save_state(state_path, state)


def watch(
    feeds: list[str],
    every: float,
    handle: Handle,
    stop: threading.Event,
    state_path: Path,
    on_error: OnError = _log_error,
    timeout: float = TIMEOUT,
    delay: float = 1.0,
) -> None:
    """Poll every feed URL every `every` seconds until `stop` is set.

    New entries become Documents handed to `handle` in one list per feed and poll;
    failures (a feed or an article that could not be fetched or read) go to `on_error`,
    which logs them by default. `delay` seconds pass between article fetches.
    """
    while not stop.is_set():
        started = time.monotonic()
        poll_feeds(feeds, handle, state_path, on_error, timeout, delay, stop)
        stop.wait(max(0.0, every - (time.monotonic() - started)))
