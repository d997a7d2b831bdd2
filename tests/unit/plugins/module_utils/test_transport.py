# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The transport (_transport.py): retries, rate-limit pacing, the settings of every request, failures and how they read.

Time is a FakeClock: waits are recorded, never slept.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import random
import socket
from email.utils import formatdate

import pytest
import requests
from urllib3.exceptions import MaxRetryError, NameResolutionError

from ansible_collections.community.auth0.plugins.module_utils import _transport
from ansible_collections.community.auth0.plugins.module_utils._auth0_errors import (
    Auth0APIError,
    Auth0ConnectionError,
    Auth0RateLimitError,
    Auth0ResponseError,
)
from ansible_collections.community.auth0.plugins.module_utils._rate_limit import MAX_WAIT_SECONDS
from ansible_collections.community.auth0.tests.unit.plugins.auth0_support import (
    DOMAIN, LISTING, MEMBERS_URL, MINTING, NOW, ONE_PAGE, ORG_ID, TOKEN, TOKEN_URL, FakeOrganization, authorizations,
    error_body, list_members, make_members, member, members_failure, refused_error, timeout_error, tls_error,
    token_answer,
)

RATE_LIMITED = error_body(429, 'Global limit has been reached', 'too_many_requests', 'Too Many Requests')
UNAVAILABLE = error_body(503, 'Service Unavailable', error='Service Unavailable')


def limit_headers(remaining, reset_in, limit=50):
    """Auth0's rate-limit headers; limit None leaves X-RateLimit-Limit out (the refill cannot be told)."""
    headers = {'X-RateLimit-Remaining': str(remaining), 'X-RateLimit-Reset': str(int(NOW + reset_in))}
    if limit is not None:
        headers['X-RateLimit-Limit'] = str(limit)
    return headers


@pytest.fixture
def upper_jitter(monkeypatch):
    """Jitter always at its upper bound, so backoff waits are exact."""
    monkeypatch.setattr(random, 'uniform', lambda low, high: high)


# -- retries -------------------------------------------------------------------------------------------

def test_429_waits_until_the_rate_limit_resets_then_retries(api, make_client, clock):
    api.get(MEMBERS_URL, status=429, json=RATE_LIMITED, headers=limit_headers(0, 7))
    api.get(MEMBERS_URL, json=ONE_PAGE)
    assert list_members(make_client) == [member(0)]
    assert clock.sleeps == [7]
    assert len(api.calls) == 2
    assert api.calls[0].request.url == api.calls[1].request.url


def test_retry_after_wins_over_the_reset_header(api, make_client, clock):
    api.get(MEMBERS_URL, status=429, json=RATE_LIMITED, headers=dict(limit_headers(0, 40), **{'Retry-After': '3'}))
    api.get(MEMBERS_URL, json=ONE_PAGE)
    list_members(make_client)
    assert clock.sleeps == [3]


def test_retry_after_as_an_http_date(api, make_client, clock):
    api.get(MEMBERS_URL, status=503, json=UNAVAILABLE, headers={'Retry-After': formatdate(NOW + 12, usegmt=True)})
    api.get(MEMBERS_URL, json=ONE_PAGE)
    list_members(make_client)
    assert clock.sleeps == [12]


@pytest.mark.parametrize('headers', [
    {'Retry-After': '3600'},
    {'Retry-After': formatdate(NOW + 7200, usegmt=True)},
    limit_headers(0, 3600),
    limit_headers(0, 10 ** 9),
])
def test_each_wait_is_capped(api, make_client, clock, headers):
    api.get(MEMBERS_URL, status=429, json=RATE_LIMITED, headers=headers)
    api.get(MEMBERS_URL, json=ONE_PAGE)
    list_members(make_client)
    assert clock.sleeps == [MAX_WAIT_SECONDS] == [60]


@pytest.mark.parametrize('headers', [
    {'Retry-After': '0'},
    {'Retry-After': formatdate(NOW - 30, usegmt=True)},
])
def test_retry_after_in_the_past_retries_at_once(api, make_client, clock, headers):
    api.get(MEMBERS_URL, status=429, json=RATE_LIMITED, headers=headers)
    api.get(MEMBERS_URL, json=ONE_PAGE)
    list_members(make_client)
    assert clock.sleeps == [0]


@pytest.mark.parametrize('status, headers', [
    (503, {}),
    (500, {}),
    (429, {}),
    (429, limit_headers(0, -5)),
    (429, {'Retry-After': 'soon', 'X-RateLimit-Reset': 'tomorrow'}),
    # the reset time is about the rate limit: a 5xx still backs off
    (502, limit_headers(0, 30)),
])
def test_exponential_backoff_without_a_usable_header(api, make_client, clock, upper_jitter, status, headers):
    api.get(MEMBERS_URL, status=status, json=error_body(status, 'failure'), headers=headers)
    with pytest.raises(Auth0APIError):
        # 429s are bounded by the time spent waiting, 5xx by their count: both allow exactly four waits here
        list_members(make_client, max_retries=4, rate_limit_timeout=7.5)
    assert clock.sleeps == [0.5, 1, 2, 4]
    assert len(api.calls) == 5


def test_backoff_has_jitter_within_half_to_full_delay(api, make_client, clock):
    api.get(MEMBERS_URL, status=503, json=UNAVAILABLE)
    with pytest.raises(Auth0APIError):
        list_members(make_client, max_retries=5)
    for retry, wait in enumerate(clock.sleeps):
        ceiling = 0.5 * 2 ** retry
        assert ceiling / 2 <= wait <= ceiling


def test_backoff_is_capped(api, make_client, clock, upper_jitter):
    api.get(MEMBERS_URL, status=500, json=error_body(500, 'failure'))
    with pytest.raises(Auth0APIError) as failure:
        list_members(make_client, max_retries=10)
    assert clock.sleeps == [0.5, 1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert 'still after 10 retries' in failure.value.message


def test_429_retries_stop_when_rate_limit_timeout_is_spent(api, make_client, clock, upper_jitter):
    # the same reset time each answer: waited for once, then it is past and backoff takes over
    api.get(MEMBERS_URL, status=429, json=RATE_LIMITED, headers=limit_headers(0, 2))
    with pytest.raises(Auth0RateLimitError) as failure:
        list_members(make_client, max_retries=0, rate_limit_timeout=10)
    assert clock.sleeps == [2, 1, 2, 4]
    assert len(api.calls) == 5
    assert 'waiting up to rate_limit_timeout (10 s, 9 s spent) did not get through' in failure.value.message


def test_429_is_not_bounded_by_max_retries(api, make_client, clock):
    for _attempt in range(8):
        api.get(MEMBERS_URL, status=429, json=RATE_LIMITED, headers=limit_headers(0, 1))
    api.get(MEMBERS_URL, json=ONE_PAGE)
    assert list_members(make_client, max_retries=1) == [member(0)]
    assert len(api.calls) == 9


def test_rate_limit_timeout_zero_fails_on_the_first_429(api, make_client, clock):
    api.get(MEMBERS_URL, status=429, json=RATE_LIMITED, headers=limit_headers(0, 5))
    with pytest.raises(Auth0RateLimitError):
        list_members(make_client, rate_limit_timeout=0)
    assert len(api.calls) == 1
    assert clock.sleeps == []


def test_429_waits_get_up_to_a_second_of_jitter(api, make_client, clock, monkeypatch):
    monkeypatch.setattr(_transport, 'RETRY_JITTER_SECONDS', 1.0)
    for _attempt in range(20):
        api.get(MEMBERS_URL, status=429, json=RATE_LIMITED, headers={'Retry-After': '2'})
    api.get(MEMBERS_URL, json=ONE_PAGE)
    list_members(make_client)
    assert all(2 <= wait <= 3 for wait in clock.sleeps)
    assert len(set(clock.sleeps)) > 1, 'runs waiting for the same reset must not all retry at the same moment'


def test_pacing_waits_get_a_little_jitter(api, make_client, clock, monkeypatch):
    monkeypatch.setattr(_transport, 'PACING_JITTER_SECONDS', 0.1)
    for _attempt in range(2):
        api.get(MEMBERS_URL, json={'members': [member(0)], 'total': 1}, headers=limit_headers(0, 5))
    list_members(make_client)
    list_members(make_client)
    assert len(clock.sleeps) == 0, 'a new client knows nothing of the bucket'


def test_pacing_and_429_waits_share_one_budget(api, make_client, clock):
    api.get(MEMBERS_URL, json={'members': [member(0)], 'total': 3}, headers=limit_headers(0, 6, limit=None))
    api.get(MEMBERS_URL, status=429, json=RATE_LIMITED, headers=limit_headers(0, 6 + 5))
    with pytest.raises(Auth0RateLimitError) as failure:
        list_members(make_client, per_page=1, rate_limit_timeout=10)
    assert clock.sleeps == [6]
    assert 'rate_limit_timeout (10 s, 6 s spent)' in failure.value.message


def test_429_retries_wait_for_each_new_reset(api, make_client, clock):
    api.get(MEMBERS_URL, status=429, json=RATE_LIMITED, headers=limit_headers(0, 2))
    api.get(MEMBERS_URL, status=429, json=RATE_LIMITED, headers=limit_headers(0, 9))
    api.get(MEMBERS_URL, json=ONE_PAGE)
    list_members(make_client)
    assert clock.sleeps == [2, 7]


@pytest.mark.parametrize('status', [500, 502, 503])
def test_max_retries_zero_fails_on_the_first_answer(api, make_client, clock, status):
    api.get(MEMBERS_URL, status=status, json=error_body(status, 'failure'), headers=limit_headers(0, 5))
    with pytest.raises(Auth0APIError) as failure:
        list_members(make_client, max_retries=0)
    assert failure.value.status == status
    assert len(api.calls) == 1
    assert clock.sleeps == []


@pytest.mark.parametrize('status', [400, 401, 403, 404, 405, 409, 422])
def test_other_4xx_are_never_retried(api, make_client, clock, status):
    api.get(MEMBERS_URL, status=status, json=error_body(status, 'no'), headers=limit_headers(3, 5))
    with pytest.raises(Auth0APIError) as failure:
        list_members(make_client, max_retries=5)
    assert failure.value.status == status
    assert len(api.calls) == 1
    assert clock.sleeps == []


def test_connection_errors_are_retried_then_succeed(api, make_client, clock):
    api.get(MEMBERS_URL, body=requests.exceptions.ConnectionError('Connection reset by peer'))
    api.get(MEMBERS_URL, body=requests.exceptions.ReadTimeout('Read timed out.'))
    api.get(MEMBERS_URL, json=ONE_PAGE)
    assert list_members(make_client) == [member(0)]
    assert len(api.calls) == 3
    assert len(clock.sleeps) == 2
    assert 0.25 <= clock.sleeps[0] <= 0.5 and 0.5 <= clock.sleeps[1] <= 1


def test_connection_errors_are_retried_then_fail(api, make_client, clock):
    api.get(MEMBERS_URL, body=requests.exceptions.ConnectionError('Connection reset by peer'))
    with pytest.raises(Auth0ConnectionError) as failure:
        list_members(make_client, max_retries=3)
    assert len(api.calls) == 4
    assert len(clock.sleeps) == 3
    assert '(3 retries): Connection reset by peer' in failure.value.message


def test_connection_error_with_max_retries_zero(api, make_client, clock):
    api.get(MEMBERS_URL, body=requests.exceptions.ConnectionError('Connection reset by peer'))
    with pytest.raises(Auth0ConnectionError):
        list_members(make_client, max_retries=0)
    assert len(api.calls) == 1
    assert clock.sleeps == []


def test_tls_errors_are_not_retried(api, make_client, clock):
    api.get(MEMBERS_URL, body=requests.exceptions.SSLError('certificate verify failed'))
    with pytest.raises(Auth0ConnectionError):
        list_members(make_client, max_retries=5)
    assert len(api.calls) == 1
    assert clock.sleeps == []


def test_retries_of_a_later_page_keep_its_cursor(api, make_client, clock):
    api.get(MEMBERS_URL, json={'members': make_members(100), 'total': 1500})
    api.get(MEMBERS_URL, json={'members': [member(0)], 'next': 'c1'})
    api.get(MEMBERS_URL, status=503, json=UNAVAILABLE)
    api.get(MEMBERS_URL, json={'members': [member(1)], 'next': 'c2'})
    api.get(MEMBERS_URL, json={'members': []})
    assert list_members(make_client) == [member(0), member(1)]
    assert [call.request.params.get('from') for call in api.calls[1:]] == [None, 'c1', 'c1', 'c2']


# -- pacing on X-RateLimit-Remaining --------------------------------------------------------------------

def test_an_empty_bucket_waits_for_the_reset_before_the_next_request(api, make_client, clock):
    api.get(MEMBERS_URL, json={'members': [member(0)], 'total': 3}, headers=limit_headers(0, 5, limit=None))
    api.get(MEMBERS_URL, json={'members': [member(1)], 'total': 3}, headers=limit_headers(49, 60))
    api.get(MEMBERS_URL, json={'members': [member(2)], 'total': 3}, headers=limit_headers(48, 60))
    assert list_members(make_client, per_page=1) == make_members(3)
    assert clock.sleeps == [5]
    assert len(api.calls) == 3, 'pacing avoids the 429 instead of provoking it'


def test_an_empty_bucket_waits_only_for_the_refill_of_one_request(api, make_client, clock):
    # 50 requests refill in the 5 s to the reset: one is back after a tenth of a second.
    api.get(MEMBERS_URL, json={'members': [member(0)], 'total': 3}, headers=limit_headers(0, 5))
    api.get(MEMBERS_URL, json={'members': [member(1)], 'total': 3}, headers=limit_headers(0, 5))
    api.get(MEMBERS_URL, json={'members': [member(2)], 'total': 3}, headers=limit_headers(0, 5))
    assert list_members(make_client, per_page=1) == make_members(3)
    # The second answer, again with nothing left, refills 50 requests over what remains to the reset.
    assert clock.sleeps == [pytest.approx(0.101), pytest.approx((5 - 0.101) / 50 + 0.001)]


def test_after_a_429_pacing_waits_for_the_whole_reset(api, make_client, clock):
    api.get(MEMBERS_URL, status=429, json=RATE_LIMITED, headers=limit_headers(0, 5))
    api.get(MEMBERS_URL, json={'members': [member(0)], 'total': 2}, headers=limit_headers(0, 5 + 5))
    api.get(MEMBERS_URL, json={'members': [member(1)], 'total': 2})
    list_members(make_client, per_page=1)
    assert clock.sleeps == [5, 5], 'a bucket that answered 429 is not trusted to refill steadily'


def test_no_wait_while_the_bucket_has_requests_left(api, make_client, clock):
    FakeOrganization(make_members(500), headers=limit_headers(1, 60)).register(api)
    assert len(list_members(make_client)) == 500
    assert clock.sleeps == []


@pytest.mark.parametrize('headers', [
    limit_headers(0, 0),
    limit_headers(0, -10),
    {'X-RateLimit-Remaining': '0'},
    {'X-RateLimit-Remaining': 'none', 'X-RateLimit-Reset': str(int(NOW + 5))},
])
def test_no_wait_when_the_reset_is_past_or_unknown(api, make_client, clock, headers):
    api.get(MEMBERS_URL, json={'members': [member(0)], 'total': 2}, headers=headers)
    api.get(MEMBERS_URL, json={'members': [member(1)], 'total': 2})
    list_members(make_client, per_page=1)
    assert clock.sleeps == []


def test_pacing_wait_is_capped(api, make_client, clock):
    api.get(MEMBERS_URL, json={'members': [member(0)], 'total': 2}, headers=limit_headers(0, 900, limit=1))
    api.get(MEMBERS_URL, json={'members': [member(1)], 'total': 2})
    list_members(make_client, per_page=1)
    assert clock.sleeps == [60]


def test_no_wait_after_the_last_request(api, make_client, clock):
    api.get(MEMBERS_URL, json=ONE_PAGE, headers=limit_headers(0, 30))
    list_members(make_client)
    assert clock.sleeps == []


def test_a_429_wait_is_not_repeated_by_pacing(api, make_client, clock):
    api.get(MEMBERS_URL, status=429, json=RATE_LIMITED, headers=limit_headers(0, 5))
    api.get(MEMBERS_URL, json={'members': [member(0)], 'total': 2})
    api.get(MEMBERS_URL, json={'members': [member(1)], 'total': 2})
    list_members(make_client, per_page=1)
    assert clock.sleeps == [5]


# -- transport settings of every request --------------------------------------------------------------------

def transport(api):
    return [(call.request.req_kwargs['verify'], call.request.req_kwargs['timeout']) for call in api.calls]


@pytest.fixture
def ca_bundle(tmp_path):
    path = tmp_path / 'private-ca.pem'
    path.write_text('-----BEGIN CERTIFICATE-----\n')
    return str(path)


@pytest.fixture
def env_bundles(monkeypatch, tmp_path):
    """CA bundles in the environment that requests would let override a Session's own verify."""
    for name in ('REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE'):
        bundle = tmp_path / (name.lower() + '.pem')
        bundle.write_text('')
        monkeypatch.setenv(name, str(bundle))
    return str(tmp_path / 'requests_ca_bundle.pem')


def test_defaults_verify_with_the_system_store_and_a_30_second_timeout(api, make_client):
    api.post(TOKEN_URL, json=token_answer())
    api.get(MEMBERS_URL, json=ONE_PAGE)
    list_members(make_client, **MINTING)
    assert transport(api) == [(True, 30), (True, 30)]


def test_ca_path_holds_against_the_environment(api, make_client, ca_bundle, env_bundles):
    api.post(TOKEN_URL, json=token_answer())
    api.get(MEMBERS_URL, json=ONE_PAGE)
    list_members(make_client, ca_path=ca_bundle, timeout=7, **MINTING)
    assert transport(api) == [(ca_bundle, 7), (ca_bundle, 7)]


@pytest.mark.parametrize('use_ca_path', [False, True])
def test_validate_certs_false_holds_against_the_environment(api, make_client, ca_bundle, env_bundles, use_ca_path):
    api.post(TOKEN_URL, json=token_answer())
    api.get(MEMBERS_URL, json=ONE_PAGE)
    list_members(make_client, validate_certs=False, ca_path=ca_bundle if use_ca_path else None, **MINTING)
    assert transport(api) == [(False, 30), (False, 30)]


def test_without_ca_path_the_environment_bundle_applies(api, make_client, env_bundles):
    """The fixture is effective: requests does read the variables when verify is left at True."""
    api.get(MEMBERS_URL, json=ONE_PAGE)
    list_members(make_client)
    assert transport(api) == [(env_bundles, 30)]


def test_proxy_environment_is_read_once_and_honoured(api, make_client, monkeypatch):
    monkeypatch.setenv('HTTPS_PROXY', 'http://proxy.example:3128')
    client = make_client()
    monkeypatch.delenv('HTTPS_PROXY')
    assert client._transport._session.trust_env is False  # pylint: disable=protected-access
    assert client._transport._session.proxies == {'https': 'http://proxy.example:3128'}  # pylint: disable=protected-access


def test_no_proxy_excludes_the_tenant(make_client, monkeypatch):
    monkeypatch.setenv('HTTPS_PROXY', 'http://proxy.example:3128')
    monkeypatch.setenv('NO_PROXY', DOMAIN)
    assert make_client()._transport._session.proxies == {}  # pylint: disable=protected-access


def test_a_netrc_entry_never_replaces_the_bearer_token(api, make_client, monkeypatch, tmp_path):
    netrc = tmp_path / '.netrc'
    netrc.write_text('machine %s login someone password hunter2\n' % DOMAIN)
    netrc.chmod(0o600)
    monkeypatch.setenv('NETRC', str(netrc))
    monkeypatch.setenv('HOME', str(tmp_path))
    api.get(MEMBERS_URL, json=ONE_PAGE)
    list_members(make_client)
    assert authorizations(api) == ['Bearer ' + TOKEN]


def test_every_request_passes_verify_timeout_and_no_redirects_through_one_session(api, make_client, ca_bundle):
    session = requests.Session()
    seen = []
    original = session.send

    def recording_send(prepared, **kwargs):
        seen.append((prepared.method, prepared.url.split('?')[0], kwargs['verify'], kwargs['timeout'],
                     kwargs['allow_redirects']))
        return original(prepared, **kwargs)

    session.send = recording_send
    api.post(TOKEN_URL, json=token_answer())
    FakeOrganization(make_members(150)).register(api)
    list_members(make_client, session=session, ca_path=ca_bundle, timeout=9, **MINTING)
    assert seen == [('POST', TOKEN_URL, ca_bundle, 9, False)] + [('GET', MEMBERS_URL, ca_bundle, 9, False)] * 2


def test_one_session_per_client(api, make_client, created_sessions):
    FakeOrganization(make_members(250)).register(api)
    client = make_client()
    list_members(lambda **options: client)
    assert len(created_sessions) == 1
    assert client.request_count == len(api.calls) == 3


def test_the_domain_and_port_are_used_for_every_request(api, make_client):
    url = 'https://%s:8443/api/v2/organizations/%s/members' % (DOMAIN, ORG_ID)
    api.get(url, json=ONE_PAGE)
    list_members(make_client, domain=DOMAIN + ':8443')
    assert api.calls[0].request.url.startswith(url + '?')


# -- answers that carry no usable data, and errors left after the retries ------------------------------

@pytest.mark.parametrize('body, content_type, described', [
    ('<html>oops</html>', 'text/html; charset=utf-8', '17 bytes of text/html'),
    ('members: []', 'text/plain', '11 bytes of text/plain'),
    ('{"members": [', 'application/json', '13 bytes of application/json'),
    (b'\xff\xfe\x00', 'application/json', '3 bytes of application/json'),
    ('', 'application/json', 'empty body'),
])
def test_success_status_with_a_body_that_is_not_json(api, make_client, body, content_type, described):
    api.get(MEMBERS_URL, body=body, content_type=content_type)
    error = members_failure(make_client)
    assert error.__class__ is Auth0ResponseError
    assert error.status == 200
    assert 'HTTP 200 and a body that is not JSON (%s)' % described in error.message
    assert 'no data is returned' in error.message


def test_html_502_after_retries(api, make_client, clock):
    html = '<html><head><title>502 Bad Gateway</title></head></html>'
    api.get(MEMBERS_URL, status=502, body=html, content_type='text/html')
    error = members_failure(make_client, max_retries=2)
    assert error.__class__ is Auth0APIError
    assert (error.status, error.error_code) == (502, None)
    assert 'HTTP 502' in error.message and 'still after 2 retries' in error.message
    assert 'Bad Gateway, %d bytes of text/html' % len(html) in error.message
    assert 'Auth0 may be degraded' in error.message
    assert len(api.calls) == 3
    assert len(clock.sleeps) == 2


@pytest.mark.parametrize('status', [500, 503, 504])
def test_5xx_after_retries(api, make_client, status):
    api.get(MEMBERS_URL, status=status, json=error_body(status, 'Internal error', 'internal_error'))
    error = members_failure(make_client, max_retries=1)
    assert (error.status, error.error_code) == (status, 'internal_error')
    assert 'HTTP %d while %s, still after 1 retries: Internal error' % (status, LISTING) in error.message


def test_429_after_retries_says_when_the_limit_resets(api, make_client, clock):
    reset_at = int(NOW) + 30
    api.get(MEMBERS_URL, status=429, json=error_body(429, 'Global limit has been reached', 'too_many_requests'),
            headers={'X-RateLimit-Limit': '50', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': str(reset_at)})
    error = members_failure(make_client, rate_limit_timeout=0)
    assert error.__class__ is Auth0RateLimitError
    assert (error.status, error.error_code) == (429, 'too_many_requests')
    assert "rate limit was hit while " + LISTING in error.message
    assert ('waiting up to rate_limit_timeout (0 s, 0 s spent) did not get through (HTTP 429: Global limit has been '
            'reached)') in error.message
    assert 'The limit resets at 2023-11-14 22:13:50 UTC (in 30 s).' in error.message
    assert 'Raise rate_limit_timeout' in error.message
    assert clock.sleeps == []


def test_429_without_reset_header(api, make_client):
    api.get(MEMBERS_URL, status=429, json=error_body(429, 'Too Many Requests'))
    error = members_failure(make_client, max_retries=0)
    assert error.__class__ is Auth0RateLimitError
    assert 'resets at' not in error.message


# -- transport failures ---------------------------------------------------------------------------------

def _name_resolution_error():
    cause = NameResolutionError(DOMAIN, None, socket.gaierror(-2, 'Name or service not known'))
    return requests.exceptions.ConnectionError(MaxRetryError(None, MEMBERS_URL, cause))


@pytest.mark.parametrize('exception, attempts, fragments', [
    (refused_error, 3, ['Could not connect to travel0.us.auth0.com while ' + LISTING + ' (2 retries)',
                        '[Errno 111] Connection refused', 'Check domain']),
    (timeout_error, 3, ['Timed out after 30 seconds while ' + LISTING + ' at travel0.us.auth0.com (2 retries)',
                        'Raise timeout or max_retries']),
    (requests.exceptions.ConnectTimeout, 3, ['Timed out after 30 seconds']),
    (tls_error, 1, ['TLS failed while ' + LISTING + ' at travel0.us.auth0.com', 'CERTIFICATE_VERIFY_FAILED',
                    'ca_path', 'validate_certs: false']),
    (_name_resolution_error, 1, ['Could not resolve the host travel0.us.auth0.com while ' + LISTING,
                                 'check domain']),
    (requests.exceptions.ChunkedEncodingError, 3, ['Could not connect to travel0.us.auth0.com']),
])
def test_transport_failures(api, make_client, clock, exception, attempts, fragments):
    api.get(MEMBERS_URL, body=exception())
    error = members_failure(make_client, max_retries=2)
    assert error.__class__ is Auth0ConnectionError
    assert (error.status, error.error_code) == (None, None)
    for fragment in fragments:
        assert fragment in error.message
    assert '://' not in error.message, 'URLs are stripped from transport errors'
    assert len(api.calls) == attempts
    assert len(clock.sleeps) == attempts - 1


class _ClosedPort:
    """A loopback port nothing listens on: connecting is refused at once."""

    def __enter__(self):
        listener = socket.socket()
        listener.bind(('127.0.0.1', 0))
        self.port = listener.getsockname()[1]
        listener.close()
        return self.port

    def __exit__(self, *exc_info):
        return False


def test_real_connection_refused_on_loopback(make_client, clock):
    """The reason is dug out of urllib3's real exception chain, not just a mocked one."""
    with _ClosedPort() as port:
        with pytest.raises(Auth0ConnectionError) as failure:
            make_client(domain='http://127.0.0.1:%d' % port, max_retries=1, timeout=5).organization_members(org_id=ORG_ID)
    message = failure.value.message
    assert 'Could not connect to 127.0.0.1:%d while %s (1 retries)' % (port, LISTING) in message
    assert 'Connection refused' in message
    assert 'urllib3' not in message and 'object at 0x' not in message and '://' not in message
    assert len(clock.sleeps) == 1


def test_real_name_resolution_failure(make_client, clock, monkeypatch):
    def no_such_host(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, 'Name or service not known')
    monkeypatch.setattr(socket, 'getaddrinfo', no_such_host)
    with pytest.raises(Auth0ConnectionError) as failure:
        make_client(domain='no-such-tenant.us.auth0.com').organization_members(org_id=ORG_ID)
    assert failure.value.message == ("Could not resolve the host no-such-tenant.us.auth0.com while %s: check domain."
                                     % LISTING)
    assert clock.sleeps == [], 'DNS failures are not retried'
