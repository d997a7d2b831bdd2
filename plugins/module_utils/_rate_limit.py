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


class _Proof:
    """What one answer proved: `level` at `time`, `gain` more by the reset, less `spent` admitted since."""

    def __init__(self, level, time, gain):
        self.level = level
        self.time = time
        self.gain = gain
        self.spent = 0

    def bound(self, now, reset_at):
        return self.level + self.gain * self._progress(now, reset_at) - self.spent

    def _refills_by(self, reset_at):
        """Whether this proof counts on a refill before `reset_at` (None: refill not counted on)."""
        return self.gain > 0 and reset_at is not None and reset_at > self.time

    def _progress(self, now, reset_at):
        if not self._refills_by(reset_at):
            return 0
        return min(max(now - self.time, 0) / (reset_at - self.time), 1)

    def time_to_one(self, now, reset_at):
        """Seconds until this proof allows one more request (a millisecond over, for rounding).

        None when it does not before the reset.
        """
        missing = 1 + self.spent - self.level
        if not self._refills_by(reset_at) or missing > self.gain:
            return None
        arrival = self.time + (reset_at - self.time) * missing / self.gain
        return max(arrival - now, 0) + 0.001


class RateLimitBucket:
    """What Auth0's X-RateLimit-* headers said about one endpoint group, shared by concurrent requests.

    `bound(now)` is a lower bound of what Auth0 has left for the next request (None: not known, go
    ahead). Answers to concurrent requests can come back in another order than Auth0 counted the
    requests, so each admitted request gets a ticket (its rank among the admissions) and an answer
    is read as what it can prove: Auth0 had `Remaining` left after counting that request, and may
    since have counted every request admitted after it, and every one still in flight when it was
    admitted.

    Between answers the bound grows with Auth0's refill. Auth0's bucket refills steadily and is full
    again at X-RateLimit-Reset (whole seconds, rounded up), so from an answer saying Remaining `r` of
    Limit `l` the level runs at or above the straight line that gains `l - r` by the reset, less
    whatever was counted since; a request waits only for the one token it needs, not for the whole
    bucket. Two proofs are kept: the one that allows the most now, and the one that will allow the
    most by the reset (an answer with less left but a whole bucket's refill ahead). After a 429
    (another job draining the bucket, or a bucket that does not refill that way) requests wait for
    the full reset instead, for the rest of the task.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._now_best = None
        self._later_best = None
        self.reset_at = None
        self._refills_steadily = True
        self._admitted = 0
        # ticket -> how many requests were in flight when it was admitted (Auth0 may count those after it)
        self._in_flight = {}

    @property
    def in_flight(self):
        return len(self._in_flight)

    @property
    def remaining(self):
        """The bound when it was last proven, before any refill since (None: not known)."""
        proof = self._now_best
        return None if proof is None else proof.level - proof.spent

    def bound(self, now):
        with self._lock:
            return self._bound(now)

    def _proofs(self):
        """The proofs kept, each once (one answer can be the best both now and by the reset)."""
        proofs = [self._now_best] if self._now_best is not None else []
        if self._later_best is not None and self._later_best is not self._now_best:
            proofs.append(self._later_best)
        return proofs

    def _reset_for_refill(self):
        return self.reset_at if self._refills_steadily else None

    def _bound(self, now):
        proofs = self._proofs()
        if not proofs:
            return None
        return max(proof.bound(now, self._reset_for_refill()) for proof in proofs)

    def admit(self, now):
        """Let one request through: (ticket, 0); or (None, seconds to wait before asking again)."""
        with self._lock:
            bound = self._bound(now)
            if bound is not None and bound < 1:
                if self.reset_at is not None and self.reset_at > now:
                    return None, self._time_to_one(now)
                # Past the reset Auth0 has refilled the bucket; the next answer says by how much.
                self._now_best = self._later_best = None
            for proof in self._proofs():
                proof.spent += 1
            self._admitted += 1
            self._in_flight[self._admitted] = len(self._in_flight)
            return self._admitted, 0

    def _time_to_one(self, now):
        """Seconds until a proof allows one more request; at the latest the reset."""
        waits = [proof.time_to_one(now, self._reset_for_refill()) for proof in self._proofs()]
        return min([wait for wait in waits if wait is not None] + [self.reset_at - now])

    def answered(self, ticket, headers, now):
        """Record the answer's headers for an admitted request (headers None: no answer came)."""
        with self._lock:
            overtakers_in_flight = self._in_flight.pop(ticket)
            if headers is None:
                return
            remaining = int_header(headers, 'X-RateLimit-Remaining')
            reset_at = int_header(headers, 'X-RateLimit-Reset')
            limit = int_header(headers, 'X-RateLimit-Limit')
            # Every request Auth0 counts moves the reset later: the latest reset is the newest news.
            if reset_at is not None and (self.reset_at is None or reset_at > self.reset_at):
                self.reset_at = reset_at
            if remaining is None:
                return
            proof = _Proof(remaining - (self._admitted - ticket) - overtakers_in_flight, now,
                           max(limit - remaining, 0) if limit is not None else 0)
            refill_until = self._reset_for_refill()
            if self._now_best is None or proof.bound(now, refill_until) > self._now_best.bound(now, refill_until):
                self._now_best = proof
            later = self.reset_at if self.reset_at is not None else now
            best_later = None if self._later_best is None else self._later_best.bound(later, refill_until)
            if best_later is None or proof.bound(later, refill_until) > best_later:
                self._later_best = proof

    def waited_for_reset(self):
        """A retry already waited for the reset: the next request need not wait for it again."""
        with self._lock:
            self._now_best = self._later_best = None

    def throttled(self):
        """Auth0 answered 429: from now on wait for the full reset, not for a steady refill."""
        with self._lock:
            self._refills_steadily = False


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
