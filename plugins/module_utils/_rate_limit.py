# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Auth0's rate limits as the client sees them: one view per bucket, and one waiting budget per task.

For internal collection use only: names here may change in any release.

Auth0 answers every request with X-RateLimit-Remaining and X-RateLimit-Reset for the endpoint's
bucket. Several requests may be in flight at once (tenant-wide reads), so a bucket counts the
requests it has let through whose answers have not come back, and trusts Auth0's Remaining only
after taking those off: an answer cannot know about requests Auth0 has not seen yet.
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
    """What Auth0's X-RateLimit-* headers said about one endpoint group, shared by concurrent requests."""

    def __init__(self):
        self._lock = threading.Lock()
        self.remaining = None
        self.reset_at = None
        self.in_flight = 0

    def admit(self, now):
        """Let one request through (return 0), or say how many seconds to wait before asking again."""
        with self._lock:
            if self.remaining is not None and self.remaining <= 0:
                if self.reset_at is not None and self.reset_at > now:
                    return self.reset_at - now
                # Past the reset Auth0 has refilled the bucket; the next answer says by how much.
                self.remaining = None
            if self.remaining is not None:
                self.remaining -= 1
            self.in_flight += 1
            return 0

    def answered(self, headers):
        """Record an answer's headers for a request admitted earlier (headers None: no answer came).

        Answers to concurrent requests can arrive in another order than Auth0 counted them. Each
        request Auth0 counts moves the bucket's reset later, so an answer with an earlier reset than
        one already seen is older news and must not raise the estimate; while other requests are in
        flight, an answer with the same (whole-second) reset can only lower it.
        """
        with self._lock:
            self.in_flight -= 1
            if headers is None:
                return
            remaining = int_header(headers, 'X-RateLimit-Remaining')
            reset_at = int_header(headers, 'X-RateLimit-Reset')
            if remaining is not None:
                estimate = remaining - self.in_flight
                if reset_at is None or self.reset_at is None or reset_at > self.reset_at or self.remaining is None:
                    self.remaining = estimate
                elif reset_at == self.reset_at:
                    self.remaining = min(self.remaining, estimate) if self.in_flight else estimate
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
