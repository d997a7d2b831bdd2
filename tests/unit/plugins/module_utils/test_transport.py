# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Retries, rate-limit pacing, the client-credentials token and the transport settings of every request.

Time is a FakeClock: waits are recorded, never slept.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import random
from email.utils import formatdate
from urllib.parse import parse_qs

import pytest
import requests

from ansible_collections.community.auth0.plugins.module_utils import _transport
from ansible_collections.community.auth0.plugins.module_utils._rate_limit import MAX_WAIT_SECONDS
from ansible_collections.community.auth0.plugins.module_utils._auth0_errors import (
    Auth0APIError,
    Auth0ConnectionError,
    Auth0RateLimitError,
)
from ansible_collections.community.auth0.tests.unit.plugins.auth0_support import (
    BASE, CLIENT_ID, CLIENT_SECRET, DOMAIN, MEMBERS_URL, MINTED_TOKEN, NOW, ORG_ID, TOKEN, TOKEN_URL,
    FakeOrganization, error_body, make_members, member, path_of,
)

RATE_LIMITED = error_body(429, 'Global limit has been reached', 'too_many_requests', 'Too Many Requests')
UNAVAILABLE = error_body(503, 'Service Unavailable', error='Service Unavailable')
ONE_PAGE = {'members': [member(0)], 'total': 1}


def limit_headers(remaining, reset_in, limit=50):
    return {'X-RateLimit-Limit': str(limit), 'X-RateLimit-Remaining': str(remaining),
            'X-RateLimit-Reset': str(int(NOW + reset_in))}


def list_members(make_client, per_page=100, **options):
    return make_client(**options).organization_members(org_id=ORG_ID, per_page=per_page)[1]


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
    api.get(MEMBERS_URL, json={'members': [member(0)], 'total': 3}, headers=limit_headers(0, 6))
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
    api.get(MEMBERS_URL, json={'members': [member(0)], 'total': 3}, headers=limit_headers(0, 5))
    api.get(MEMBERS_URL, json={'members': [member(1)], 'total': 3}, headers=limit_headers(49, 60))
    api.get(MEMBERS_URL, json={'members': [member(2)], 'total': 3}, headers=limit_headers(48, 60))
    assert list_members(make_client, per_page=1) == make_members(3)
    assert clock.sleeps == [5]
    assert len(api.calls) == 3, 'pacing avoids the 429 instead of provoking it'


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
    api.get(MEMBERS_URL, json={'members': [member(0)], 'total': 2}, headers=limit_headers(0, 900))
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


# -- client-credentials token ----------------------------------------------------------------------------

MINTING = dict(token=None, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)


def token_answer(access_token=MINTED_TOKEN):
    return {'access_token': access_token, 'token_type': 'Bearer', 'expires_in': 86400,
            'scope': 'read:organization_members'}


def authorizations(api):
    return [call.request.headers.get('Authorization') for call in api.calls if call.request.method == 'GET']


def test_exactly_one_token_request_for_many_pages(api, make_client):
    api.post(TOKEN_URL, json=token_answer())
    FakeOrganization(make_members(1000)).register(api)
    assert len(list_members(make_client, **MINTING)) == 1000
    token_calls = [call for call in api.calls if call.request.method == 'POST']
    assert len(token_calls) == 1
    assert api.calls[0] is token_calls[0]
    assert len(api.calls) == 11
    assert authorizations(api) == ['Bearer ' + MINTED_TOKEN] * 10
    form = dict((key, values[0]) for key, values in parse_qs(token_calls[0].request.body).items())
    assert form == {'grant_type': 'client_credentials', 'client_id': CLIENT_ID, 'client_secret': CLIENT_SECRET,
                    'audience': BASE + '/api/v2/'}
    assert 'Authorization' not in token_calls[0].request.headers


def test_custom_audience_is_requested(api, make_client):
    api.post('https://login.travel0.com/oauth/token', json=token_answer())
    api.get(MEMBERS_URL.replace(DOMAIN, 'login.travel0.com'), json=ONE_PAGE)
    list_members(make_client, audience='https://travel0.us.auth0.com/api/v2/', domain='login.travel0.com', **MINTING)
    assert parse_qs(api.calls[0].request.body)['audience'] == ['https://travel0.us.auth0.com/api/v2/']
    assert api.calls[0].request.url == 'https://login.travel0.com/oauth/token'


def test_wrong_client_secret(api, make_client, clock):
    api.post(TOKEN_URL, status=401, json={'error': 'access_denied', 'error_description': 'Unauthorized'})
    with pytest.raises(Auth0APIError) as failure:
        list_members(make_client, **MINTING)
    error = failure.value
    assert (error.status, error.error_code) == (401, 'access_denied')
    assert "Auth0 refused requesting a Management API token for client 'cli_M2Mapplication'" in error.message
    assert '(HTTP 401 access_denied: Unauthorized). Check client_id and client_secret.' in error.message
    assert len(api.calls) == 1
    assert clock.sleeps == []


def test_wrong_audience(api, make_client):
    api.post(TOKEN_URL, status=403,
             json={'error': 'access_denied', 'error_description': 'Service not enabled within domain: https://x/api/v2/'})
    with pytest.raises(Auth0APIError) as failure:
        list_members(make_client, **MINTING)
    error = failure.value
    assert (error.status, error.error_code) == (403, 'access_denied')
    assert 'Service not enabled within domain' in error.message
    assert 'Check audience' in error.message and BASE + '/api/v2/' in error.message
    assert 'https://TENANT.REGION.auth0.com/api/v2/' in error.message


def test_other_token_refusals(api, make_client):
    api.post(TOKEN_URL, status=400, json={'error': 'invalid_request', 'error_description': 'Missing grant_type'})
    with pytest.raises(Auth0APIError) as failure:
        list_members(make_client, **MINTING)
    assert (failure.value.status, failure.value.error_code) == (400, 'invalid_request')
    assert 'Check the client credentials and audience.' in failure.value.message


def test_token_request_is_retried_on_429(api, make_client, clock):
    api.post(TOKEN_URL, status=429, json={'error': 'too_many_requests', 'error_description': 'Rate limit'},
             headers={'Retry-After': '4'})
    api.post(TOKEN_URL, json=token_answer())
    api.get(MEMBERS_URL, json=ONE_PAGE)
    assert list_members(make_client, **MINTING) == [member(0)]
    assert clock.sleeps == [4]


def test_an_expired_minted_token_is_reminted_once_and_paging_continues(api, make_client, clock):
    api.post(TOKEN_URL, json=token_answer('token-one'))
    api.post(TOKEN_URL, json=token_answer('token-two'))
    api.get(MEMBERS_URL, json={'members': [member(0)], 'total': 3})
    api.get(MEMBERS_URL, status=401, json=error_body(401, 'Expired token received for JSON Web Token validation'))
    api.get(MEMBERS_URL, json={'members': [member(1)], 'total': 3})
    api.get(MEMBERS_URL, json={'members': [member(2)], 'total': 3})
    assert list_members(make_client, per_page=1, **MINTING) == make_members(3)
    assert [path_of(call) for call in api.calls] == ['/oauth/token'] + [path_of(api.calls[1])] * 2 + [
        '/oauth/token'] + [path_of(api.calls[1])] * 2
    assert authorizations(api) == ['Bearer token-one'] * 2 + ['Bearer token-two'] * 2
    assert [call.request.params.get('page') for call in api.calls if call.request.method == 'GET'] == [
        '0', '1', '1', '2']
    assert clock.sleeps == []


def test_a_freshly_minted_token_that_is_refused_is_not_minted_again(api, make_client):
    # Refused before it ever worked: a second token would be refused the same way and cost quota.
    api.post(TOKEN_URL, json=token_answer('token-one'))
    api.get(MEMBERS_URL, status=401, json=error_body(401, 'Invalid signature received for JSON Web Token validation'))
    with pytest.raises(Auth0APIError) as failure:
        list_members(make_client, **MINTING)
    assert failure.value.status == 401
    assert 'not signed by this tenant' in failure.value.message
    assert 'freshly issued' not in failure.value.message
    assert [call.request.method for call in api.calls] == ['POST', 'GET']


def test_only_one_remint_per_run(api, make_client):
    api.post(TOKEN_URL, json=token_answer('token-one'))
    api.post(TOKEN_URL, json=token_answer('token-two'))
    api.get(MEMBERS_URL, json={'members': [member(0)], 'total': 2})
    api.get(MEMBERS_URL, status=401, json=error_body(401, 'Expired token received for JSON Web Token validation'))
    api.get(MEMBERS_URL, status=401, json=error_body(401, 'Expired token received for JSON Web Token validation'))
    with pytest.raises(Auth0APIError) as failure:
        list_members(make_client, per_page=1, **MINTING)
    assert failure.value.status == 401
    assert 'The token has expired' in failure.value.message
    assert 'A freshly issued token was rejected too.' in failure.value.message
    assert [call.request.method for call in api.calls] == ['POST', 'GET', 'GET', 'POST', 'GET']


def test_a_static_token_rejected_fails_without_minting(api, make_client):
    api.get(MEMBERS_URL, status=401, json=error_body(401, 'Expired token received for JSON Web Token validation'))
    with pytest.raises(Auth0APIError) as failure:
        list_members(make_client)
    assert failure.value.status == 401
    assert 'freshly issued' not in failure.value.message
    assert len(api.calls) == 1
    assert authorizations(api) == ['Bearer ' + TOKEN]


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
