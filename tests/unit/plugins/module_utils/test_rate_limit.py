# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A rate-limit bucket shared by requests in flight, and the waiting budget of one task (_rate_limit.py)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import random

import pytest

from ansible_collections.community.auth0.plugins.module_utils._rate_limit import RateLimitBucket, RateLimitBudget
from ansible_collections.community.auth0.tests.unit.plugins.auth0_support import NOW, SimulatedBucket


def admitted(bucket, now=NOW):
    ticket, wait = bucket.admit(now)
    assert ticket is not None and wait == 0, 'the bucket held back a request it should have let through'
    return ticket


def rate_limit(remaining, reset_in):
    return {'X-RateLimit-Remaining': str(remaining), 'X-RateLimit-Reset': str(int(NOW) + reset_in)}


def test_a_bucket_counts_requests_in_flight_against_what_auth0_said():
    bucket = RateLimitBucket()
    bucket.answered(admitted(bucket), rate_limit(3, 10), NOW)
    in_flight = [admitted(bucket) for _request in range(3)]
    assert bucket.admit(NOW) == (None, 10), 'three requests in flight have used what was left'
    # An answer to one of them cannot know of the two sent after it: they still count.
    bucket.answered(in_flight[0], rate_limit(2, 10), NOW)
    assert bucket.in_flight == 2
    assert bucket.remaining == 0
    assert bucket.admit(NOW + 10)[1] == 0, 'past the reset the bucket has refilled'


def test_a_bucket_without_headers_never_waits():
    bucket = RateLimitBucket()
    for _request in range(100):
        bucket.answered(admitted(bucket), {}, NOW)
    bucket.answered(admitted(bucket), None, NOW)
    assert bucket.in_flight == 0


def test_overlapping_waits_are_charged_once():
    now = [NOW]
    budget = RateLimitBudget(10, lambda: now[0])
    assert budget.charge(6) and budget.charge(6) and budget.charge(5), 'three requests waiting for the same reset'
    assert budget.spent == 6
    now[0] += 5
    assert budget.charge(1), 'a wait inside one already booked costs nothing more'
    assert budget.spent == 6
    now[0] += 1
    assert budget.charge(4)
    assert budget.spent == 10
    now[0] += 4
    assert not budget.charge(1), 'the budget is spent'
    assert budget.spent == 10


def test_the_last_answer_to_arrive_can_be_the_oldest_news():
    bucket = RateLimitBucket()
    first, second, third, fourth = [admitted(bucket) for _request in range(4)]
    # Auth0 counted them in order, leaving 3, 2, 1, 0; the answers come back in another order.
    bucket.answered(fourth, rate_limit(0, 5), NOW)
    bucket.answered(second, rate_limit(2, 5), NOW)
    bucket.answered(first, rate_limit(3, 5), NOW)
    assert bucket.remaining == 0
    # Nothing else is in flight, and this answer has the same reset second as the newest one:
    # it still cannot prove room that Auth0 no longer has.
    bucket.answered(third, rate_limit(1, 5), NOW)
    assert bucket.in_flight == 0
    assert bucket.remaining == 0
    assert bucket.admit(NOW) == (None, 5)


def test_an_answer_counts_only_the_room_it_proves():
    bucket = RateLimitBucket()
    first, second, third = [admitted(bucket) for _request in range(3)]
    # Auth0 counted them in reverse order, leaving 5, 4, 3.
    bucket.answered(first, rate_limit(3, 5), NOW)
    assert bucket.remaining == 1, 'Auth0 may have counted the two requests admitted after it since'
    bucket.answered(third, rate_limit(5, 5), NOW)
    assert bucket.remaining == 3, 'only the two requests in flight when it was admitted could have come after it'
    bucket.answered(second, rate_limit(4, 5), NOW)
    assert bucket.remaining == 3
    assert [bucket.admit(NOW)[1] for _request in range(3)] == [0, 0, 0]
    assert bucket.admit(NOW) == (None, 5)


@pytest.mark.parametrize('seed', range(40))
def test_pacing_never_provokes_a_429_whatever_order_auth0_counts_and_answers_in(seed):
    shuffle = random.Random(seed)
    # Auth0's published buckets (members reads 40 at 500 a minute, writes 20 at 200) and smaller ones.
    auth0 = SimulatedBucket(burst=shuffle.choice([5, 10, 20, 40]), per_second=shuffle.choice([0.5, 2, 10 / 3, 25 / 3]),
                            now=NOW)
    bucket = RateLimitBucket()
    sent, counted = [], []
    served = throttled = 0
    while served < 300:
        step = shuffle.random()
        if step < 0.4 and len(sent) + len(counted) < 4:
            ticket, wait = bucket.admit(auth0.now)
            if ticket is None:
                if not sent and not counted:
                    auth0.advance(wait)
                continue
            sent.append(ticket)
        elif step < 0.7 and sent:
            ticket = sent.pop(shuffle.randrange(len(sent)))
            taken, headers = auth0.count()
            served += taken
            throttled += not taken
            counted.append((ticket, headers))
        elif counted:
            bucket.answered(*counted.pop(shuffle.randrange(len(counted))), now=auth0.now)
        bound = bucket.bound(auth0.now)
        assert bound is None or bound <= auth0.tokens - len(sent) + 1e-9
        auth0.advance(shuffle.uniform(0, 0.05))
    assert throttled == 0
