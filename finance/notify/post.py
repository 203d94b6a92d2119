"""Posting to a robot: an HTTP POST of JSON, tried again with back-off when refused.

A robot that answers with an error code (its rate limit, a bad key or signature, a server
error) or does not answer at all is tried again after ``backoff`` seconds, then twice that, up
to ``retries`` more times, each time freshly signed (a signature carries its time). What it said
the last time is returned for the report.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from finance.notify.platforms import Answer, answer, signed

Poster = Callable[[str, bytes, float], tuple[int, bytes]]


def http_post(url: str, data: bytes, timeout: float) -> tuple[int, bytes]:
    """POST ``data`` as JSON; the status and body, error statuses included."""
    request = urllib.request.Request(
        url,
        data=data,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "finance"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@dataclass(frozen=True)
class Delivery:
    ok: bool
    attempts: int
    last: Answer


def deliver(
    platform: str,
    url: str,
    body: dict[str, Any],
    *,
    secret: str | None,
    retries: int,
    backoff: float,
    timeout: float,
    post: Poster = http_post,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
) -> Delivery:
    """Post until the robot accepts or ``retries`` more tries were refused."""
    last = Answer(False, "-", "")
    for attempt in range(retries + 1):
        if attempt:
            sleep(backoff * 2 ** (attempt - 1))
        address, signed_body = signed(platform, url, body, secret, clock())
        data = json.dumps(signed_body, ensure_ascii=False).encode()
        try:
            status, raw = post(address, data, timeout)
        except (OSError, ValueError) as error:  # refused, unreachable, timed out
            last = Answer(False, type(error).__name__, str(error) or type(error).__name__)
            continue
        last = answer(platform, status, raw)
        if last.ok:
            return Delivery(True, attempt + 1, last)
    return Delivery(False, retries + 1, last)
