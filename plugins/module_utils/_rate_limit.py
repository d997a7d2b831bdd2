# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Auth0's rate limits as the client sees them: one view per bucket, and one waiting budget per task.

For internal collection use only: names here may change in any release.

Auth0 answers every request with X-RateLimit-Remaining and X-RateLimit-Reset for the endpoint's
bucket. Several requests may be in flight at once (tenant-wide reads), and their answers may come
back in any order, so a bucket keeps only what the answers prove about Auth0's count (see
RateLimitBucket), and pacing waits for the reset as soon as they no longer prove that Auth0 has
room for the next request.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import random
import threading

# A single wait never exceeds this, so one bad Reset header cannot park a job for an hour.
MAX_WAIT_SECONDS = 60
# After a 429 several runs (a play over many hosts, parallel CI jobs) wait for the same reset;
# spreading their retries over a second keeps them from all hitting the refilled bucket at once.
RETRY_JITTER_SECONDS = 1.0
# A pacing wait only has to keep this task's own requests apart; a little jitter is enough there,
# and more would cost throughput on every refill of a busy bucket.
PACING_JITTER_SECONDS = 0.1


def int_header(headers, name):
    value = headers.get(name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def jittered(seconds, jitter):
    """`seconds` (capped at MAX_WAIT_SECONDS) plus a random share of `jitter`."""
    return min(max(seconds, 0), MAX_WAIT_SECONDS) + random.uniform(0, jitter)


class RateLimitBucket:
    """What Auth0's X-RateLimit-* headers said about one endpoint group, shared by concurrent requests.

    `remaining` is a lower bound of what Auth0 has left for the next request (None: not known, go
    ahead). Answers to concurrent requests can come back in another order than Auth0 counted the
    requests, so each admitted request gets a ticket (its rank among the admissions) and an answer
    is read as what it can prove: Auth0 had `Remaining` left after counting that request, and may
    since have counted every request admitted after it, and every one still in flight when it was
    admitted. An answer that proves more than the bound raises it; older news never does.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self.remaining = None
        self.reset_at = None
        self._admitted = 0
        # ticket -> how many requests were in flight when it was admitted (Auth0 may count those after it)
        self._in_flight = {}

    @property
    def in_flight(self):
        return len(self._in_flight)

    def admit(self, now):
        """Let one request through: (ticket, 0); or (None, seconds to wait before asking again)."""
        with self._lock:
            if self.remaining is not None and self.remaining <= 0:
                if self.reset_at is not None and self.reset_at > now:
                    return None, self.reset_at - now
                # Past the reset Auth0 has refilled the bucket; the next answer says by how much.
                self.remaining = None
            if self.remaining is not None:
                self.remaining -= 1
            self._admitted += 1
            self._in_flight[self._admitted] = len(self._in_flight)
            return self._admitted, 0

    def answered(self, ticket, headers):
        """Record the answer's headers for an admitted request (headers None: no answer came)."""
        with self._lock:
            overtakers_in_flight = self._in_flight.pop(ticket)
            if headers is None:
                return
            remaining = int_header(headers, 'X-RateLimit-Remaining')
            reset_at = int_header(headers, 'X-RateLimit-Reset')
            if remaining is not None:
                proven = remaining - (self._admitted - ticket) - overtakers_in_flight
                self.remaining = proven if self.remaining is None else max(self.remaining, proven)
            # Every request Auth0 counts moves the reset later: the latest reset is the newest news.
            if reset_at is not None and (self.reset_at is None or reset_at > self.reset_at):
                self.reset_at = reset_at

    def waited_for_reset(self):
        """A retry already waited for the reset: the next request need not wait for it again."""
        with self._lock:
            self.remaining = None


class RateLimitBudget:
    """How long one task may wait, in total, on Auth0's rate limit (rate_limit_timeout).

    Concurrent requests that wait for the same reset wait side by side: overlapping waits are
    charged once, so the budget bounds the task's wall time spent waiting, not a sum over threads.
    """

    def __init__(self, seconds, clock):
        self.seconds = seconds
        self._clock = clock
        self._lock = threading.Lock()
        self.spent = 0.0
        self._covered_until = None

    def charge(self, wait):
        """Book a wait of `wait` seconds from now; False, booking nothing, when it would overrun the budget."""
        with self._lock:
            now = self._clock()
            until = now + wait
            start = now if self._covered_until is None else max(now, self._covered_until)
            added = max(0.0, until - start)
            if self.spent + added > self.seconds:
                return False
            self.spent += added
            self._covered_until = until if self._covered_until is None else max(self._covered_until, until)
            return True
