# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Several organizations read at once: order, one token, errors, and pacing with requests in flight."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import random
import re
import threading
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from ansible_collections.community.auth0.plugins.module_utils._auth0 import Auth0Client
from ansible_collections.community.auth0.plugins.module_utils._auth0_errors import Auth0APIError
from ansible_collections.community.auth0.tests.unit.plugins.auth0_support import (
    BASE, CLIENT_ID, CLIENT_SECRET, DOMAIN, MINTED_TOKEN, NOW, TOKEN, TOKEN_URL, SimulatedBucket, error_body,
    member,
)

MEMBERS_OF_ANY = re.compile(re.escape(BASE) + r'/api/v2/organizations/(org_[A-Za-z0-9]+)/members')


def org_id(number):
    return 'org_%04d' % number


class Tenant:
    """Organizations of different sizes served through `responses`, answering in a shuffled order in time."""

    def __init__(self, sizes, delay=0.0):
        self.members = dict((org_id(number), [member(number * 1000 + index) for index in range(size)])
                            for number, size in enumerate(sizes))
        self.delay = delay
        self.lock = threading.Lock()
        self.in_flight = 0
        self.most_in_flight = 0

    def register(self, api):
        api.add_callback('GET', MEMBERS_OF_ANY, callback=self.answer)

    def answer(self, request):
        with self.lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if self.delay:
                time.sleep(random.uniform(0, self.delay))
            identity = MEMBERS_OF_ANY.match(request.url).group(1)
            if identity not in self.members:
                return 404, {}, json.dumps(error_body(404, 'No organization found by that id or name'))
            query = dict((key, values[-1]) for key, values in parse_qs(urlsplit(request.url).query).items())
            page, per_page = int(query['page']), int(query['per_page'])
            everyone = self.members[identity]
            body = {'start': page * per_page, 'limit': per_page, 'total': len(everyone),
                    'members': everyone[page * per_page:(page + 1) * per_page]}
            return 200, {}, json.dumps(body)
        finally:
            with self.lock:
                self.in_flight -= 1


def client(**options):
    settings = dict(domain=DOMAIN, token=TOKEN)
    settings.update(options)
    return Auth0Client(**settings)


def test_results_keep_the_order_given_whatever_finishes_first(api):
    sizes = [random.randint(0, 250) for _number in range(24)]
    tenant = Tenant(sizes, delay=0.01)
    tenant.register(api)
    organizations = [{'id': org_id(number), 'name': 'org%d' % number} for number in range(len(sizes))]
    result = client().with_members(organizations)
    assert [entry['id'] for entry in result] == [entry['id'] for entry in organizations]
    assert [entry['members'] for entry in result] == [tenant.members[entry['id']] for entry in organizations]
    assert [entry['member_count'] for entry in result] == sizes
    assert all(entry['name'] == 'org%d' % number for number, entry in enumerate(result))
    assert organizations[0] == {'id': org_id(0), 'name': 'org0'}, 'the given dicts are left as they were'


@pytest.mark.parametrize('limit', [1, 2, 4])
def test_at_most_max_concurrent_requests_in_flight(api, limit):
    tenant = Tenant([5] * 12, delay=0.02)
    tenant.register(api)
    client(max_concurrent_requests=limit).members_of([org_id(number) for number in range(12)])
    assert tenant.most_in_flight <= limit
    if limit > 1:
        assert tenant.most_in_flight > 1, 'the reads overlapped'


def test_one_token_for_every_organization(api):
    minted = []

    def token_answer(request):
        minted.append(request)
        time.sleep(0.05)
        return 200, {}, json.dumps({'access_token': MINTED_TOKEN, 'token_type': 'Bearer', 'expires_in': 86400})

    api.add_callback('POST', TOKEN_URL, callback=token_answer)
    Tenant([3] * 10).register(api)
    lists = client(token=None, client_id=CLIENT_ID, client_secret=CLIENT_SECRET).members_of(
        [org_id(number) for number in range(10)])
    assert [len(members) for members in lists] == [3] * 10
    assert len(minted) == 1
    assert all(call.request.headers['Authorization'] == 'Bearer ' + MINTED_TOKEN
               for call in api.calls if call.request.method == 'GET')


def test_a_failing_organization_fails_the_read_and_is_named(api):
    Tenant([3] * 6).register(api)
    wanted = [org_id(number) for number in range(6)] + ['org_missing']
    with pytest.raises(Auth0APIError) as failure:
        client().members_of(wanted)
    assert failure.value.status == 404
    assert "Organization 'org_missing' was not found" in failure.value.message


def test_every_failure_is_counted_and_the_first_in_order_is_reported(api):
    # Slow answers: every read has started before the first failure comes back, so none is cancelled.
    slow = Tenant([3] * 4)
    slow.delay = 0
    answer = slow.answer
    slow.answer = lambda request: (time.sleep(0.1), answer(request))[1]
    slow.register(api)
    with pytest.raises(Auth0APIError) as failure:
        client(max_concurrent_requests=8).members_of([org_id(0), 'org_gone1', org_id(1), 'org_gone2', 'org_gone3'])
    assert "Organization 'org_gone1' was not found" in failure.value.message
    assert '(2 more reads failed as well.)' in failure.value.message


def test_one_organization_needs_no_thread(api, monkeypatch):
    from ansible_collections.community.auth0.plugins.module_utils import _auth0

    def no_pool(*args, **kwargs):
        raise AssertionError('a single read must not start a thread pool')

    monkeypatch.setattr(_auth0, 'ThreadPoolExecutor', no_pool)
    Tenant([7]).register(api)
    assert [len(members) for members in client().members_of([org_id(0)])] == [7]


# -- every organization: member reads while the listing goes on --------------------------------------------

ORGANIZATIONS_URL = BASE + '/api/v2/organizations'


class ListedTenant(Tenant):
    """A Tenant whose organizations are also listed by checkpoint, `per_page` a page, each page slow to come.

    Listing and member requests share one count of requests in flight, and every request is logged in
    the order it arrived.
    """

    def __init__(self, sizes, per_page, listing_delay=0.02, delay=0.01):
        super(ListedTenant, self).__init__(sizes, delay=delay)
        self.listing = [{'id': org_id(number), 'name': 'org%d' % number} for number in range(len(sizes))]
        self.per_page = per_page
        self.listing_delay = listing_delay
        self.failing_page = None
        self.log = []

    def register(self, api):
        super(ListedTenant, self).register(api)
        api.add_callback('GET', ORGANIZATIONS_URL, callback=self.list_page)

    def answer(self, request):
        with self.lock:
            self.log.append(MEMBERS_OF_ANY.match(request.url).group(1))
        return super(ListedTenant, self).answer(request)

    def list_page(self, request):
        with self.lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            self.log.append('listing')
        try:
            time.sleep(self.listing_delay)
            query = dict((key, values[-1]) for key, values in parse_qs(urlsplit(request.url).query).items())
            start = int(query.get('from', '0'))
            if start == self.failing_page:
                return 403, {}, json.dumps(error_body(403, 'Insufficient scope, expected any of: read:organizations',
                                                      'insufficient_scope', 'Forbidden'))
            body = {'organizations': self.listing[start:start + self.per_page]}
            if start + self.per_page < len(self.listing):
                body['next'] = str(start + self.per_page)
            return 200, {}, json.dumps(body)
        finally:
            with self.lock:
                self.in_flight -= 1


def test_every_organization_with_members_in_auth0_order(api):
    sizes = [random.randint(0, 250) for _number in range(23)]
    tenant = ListedTenant(sizes, per_page=5)
    tenant.register(api)
    result = client().organizations_with_members(per_page=5)
    assert [entry['id'] for entry in result] == [entry['id'] for entry in tenant.listing]
    assert [entry['members'] for entry in result] == [tenant.members[entry['id']] for entry in tenant.listing]
    assert [entry['member_count'] for entry in result] == sizes
    assert all(entry['name'] == 'org%d' % number for number, entry in enumerate(result))


def test_members_are_read_while_the_listing_goes_on(api):
    tenant = ListedTenant([3] * 20, per_page=5, listing_delay=0.05)
    tenant.register(api)
    client().organizations_with_members(per_page=5)
    assert tenant.log.count('listing') == 4
    last_listing = len(tenant.log) - 1 - tenant.log[::-1].index('listing')
    assert tenant.log.index(org_id(0)) < last_listing, 'the first page\'s members were read before the listing ended'


@pytest.mark.parametrize('limit', [1, 2, 4])
def test_the_listing_and_the_member_reads_share_the_requests_in_flight(api, limit):
    tenant = ListedTenant([5] * 30, per_page=4, listing_delay=0.02, delay=0.02)
    tenant.register(api)
    result = client(max_concurrent_requests=limit).organizations_with_members(per_page=4)
    assert [entry['member_count'] for entry in result] == [5] * 30
    assert tenant.most_in_flight <= limit
    if limit > 1:
        assert tenant.most_in_flight > 1, 'the reads overlapped'


def test_a_failed_listing_fails_the_read_with_nothing_returned(api):
    tenant = ListedTenant([3] * 12, per_page=4)
    tenant.failing_page = 8
    tenant.register(api)
    with pytest.raises(Auth0APIError) as failure:
        client().organizations_with_members(per_page=4)
    assert failure.value.status == 403
    assert 'listing the organizations of tenant travel0.us.auth0.com (page 3)' in failure.value.message
    assert 'read:organizations' in failure.value.message


def test_a_failed_member_read_stops_the_listing(api):
    tenant = ListedTenant([3] * 40, per_page=4, listing_delay=0.1)
    del tenant.members[org_id(1)]
    tenant.register(api)
    with pytest.raises(Auth0APIError) as failure:
        client().organizations_with_members(per_page=4)
    assert "Organization %r was not found" % org_id(1) in failure.value.message
    assert tenant.log.count('listing') < 10, 'the listing stopped once a member read had failed'


# -- pacing shared by requests in flight ------------------------------------------------------------------

class ThreadSafeClock:
    """A fake clock several threads share: a sleep moves time forward only up to the sleeper's wake-up time."""

    def __init__(self):
        self.lock = threading.Lock()
        self.now = NOW

    def time(self):
        with self.lock:
            return self.now

    def sleep(self, seconds):
        with self.lock:
            self.now = max(self.now, self.now + seconds)


class LimitedTenant(Tenant):
    """Auth0's token bucket on the fake clock: `burst` requests, refilled at `per_second`; 429 when empty."""

    def __init__(self, sizes, clock, burst, per_second):
        super(LimitedTenant, self).__init__(sizes)
        self.clock = clock
        self.bucket = SimulatedBucket(burst, per_second, clock.time())
        self.throttled = 0
        self.served = 0

    def answer(self, request):
        with self.lock:
            self.bucket.advance(self.clock.time() - self.bucket.now)
            allowed, headers = self.bucket.count()
            if not allowed:
                self.throttled += 1
                return 429, headers, json.dumps(error_body(429, 'Global limit has been reached', 'too_many_requests'))
            self.served += 1
        status, unused_headers, body = super(LimitedTenant, self).answer(request)
        return status, headers, body


def test_pacing_holds_with_several_requests_in_flight(api):
    clock = ThreadSafeClock()
    tenant = LimitedTenant([1] * 60, clock, burst=10, per_second=2)
    tenant.delay = 0.01  # answers come back while other requests are in flight, and out of order
    tenant.register(api)
    lists = client(sleep=clock.sleep, clock=clock.time, max_concurrent_requests=4).members_of(
        [org_id(number) for number in range(60)])
    assert [len(members) for members in lists] == [1] * 60
    assert tenant.throttled == 0, 'pacing must keep several requests in flight from provoking 429s'
    assert tenant.served == 60
