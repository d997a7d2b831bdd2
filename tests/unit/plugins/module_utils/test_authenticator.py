# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The credential rules derived from the methods' declarations, and the token of one run (_authenticator.py)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from urllib.parse import parse_qs

import pytest

from ansible_collections.community.auth0.plugins.module_utils._auth0_errors import Auth0APIError, Auth0ResponseError
from ansible_collections.community.auth0.tests.unit.plugins.auth0_support import (
    BASE, CLIENT_ID, CLIENT_SECRET, DOMAIN, MEMBERS_URL, MINTED_TOKEN, MINTING, ONE_PAGE, TOKEN, TOKEN_URL,
    FakeOrganization, authorizations, error_body, list_members, make_members, member, members_failure, path_of,
    token_answer,
)


# -- the token of one run: minted once, reminted once --------------------------------------------------

@pytest.mark.parametrize('body', [None, [], {'members': []}, {'access_token': ''}, {'access_token': 42}])
def test_token_answer_without_an_access_token(api, make_client, body):
    api.post(TOKEN_URL, json=body)
    error = members_failure(make_client, token=None, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    assert error.__class__ is Auth0ResponseError
    assert "requesting a Management API token for client 'cli_M2Mapplication'" in error.message


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
