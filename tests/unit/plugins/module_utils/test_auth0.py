# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The client (_auth0.py): its arguments, org_id/org_name, field selection and how Auth0's error answers read.

Paging and concurrent reads have files of their own: test_auth0_paging.py and test_auth0_concurrency.py.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from urllib.parse import quote

import pytest
from hypothesis import given, settings, strategies as st

from ansible_collections.community.auth0.plugins.module_utils._auth0 import (
    member_fields_query,
    roles_requested,
    validate_org_id,
    validate_org_name,
)
from ansible_collections.community.auth0.plugins.module_utils._auth0_errors import Auth0APIError, Auth0ConfigError
from ansible_collections.community.auth0.tests.unit.plugins.auth0_support import (
    BASE, DOMAIN, LISTING, MEMBERS_URL, ORG_BY_NAME_URL, ORG_ID, ORG_NAME, error_body, members_failure,
)


# -- organization id and name --------------------------------------------------------------------------

@settings(max_examples=300, deadline=None, database=None)
@given(st.one_of(st.text(), st.text(alphabet='org_aZ9/%.\n ')))
def test_an_accepted_org_id_or_name_needs_no_encoding(value):
    for validate in (validate_org_id, validate_org_name):
        try:
            validate(value)
        except Auth0ConfigError:
            continue
        assert quote(value, safe='') == value


@pytest.mark.parametrize('org_id', [ORG_ID, 'org_1', 'org_ABCdef123'])
def test_validate_org_id_accepts(org_id):
    assert validate_org_id(org_id) == org_id


@pytest.mark.parametrize('org_id', [
    '', None, 12, 'org_', 'ORG_abc', 'org-abc', 'rol_abc', 'abc', ' org_abc', 'org_abc ', 'org_ab c',
    'org_abc\n', 'org_abc\r\n', 'org_abc/../../users', 'org_abc?fields=x', 'org_abc#x', 'org_abc%2f', 'org_\u00e4bc',
    'org_ab_c', 'org_abc.json',
])
def test_validate_org_id_refuses(org_id):
    with pytest.raises(Auth0ConfigError) as failure:
        validate_org_id(org_id)
    assert failure.value.message.startswith('org_id ')
    assert 'org_ followed by letters and digits' in failure.value.message


def test_validate_org_id_clips_long_values():
    with pytest.raises(Auth0ConfigError) as failure:
        validate_org_id('org_' + 'x' * 500 + '!')
    assert len(failure.value.message) < 250


@pytest.mark.parametrize('org_name', [ORG_NAME, 'a', '0', 'a_b-c', 'x' * 50])
def test_validate_org_name_accepts(org_name):
    assert validate_org_name(org_name) == org_name


@pytest.mark.parametrize('org_name', [
    '', None, 'Travel0', 'x' * 51, 'a b', 'a/b', 'a%2fb', '../admin', 'acme\n', 'acme ', 'b\u00fccher', 'a.b',
])
def test_validate_org_name_refuses(org_name):
    with pytest.raises(Auth0ConfigError) as failure:
        validate_org_name(org_name)
    assert failure.value.message.startswith('org_name ')
    assert 'lowercase' in failure.value.message


# -- member field selection ----------------------------------------------------------------------------

@pytest.mark.parametrize('fields, include_fields, include_roles, query', [
    (None, True, False, {}),
    ([], True, False, {}),
    ([], False, False, {}),
    (['email'], True, False, {'fields': 'email', 'include_fields': 'true'}),
    (['user_id', 'email'], True, False, {'fields': 'user_id,email', 'include_fields': 'true'}),
    (['email', 'name'], False, False, {'fields': 'email,name', 'include_fields': 'false'}),
    (['roles'], False, False, {'fields': 'roles', 'include_fields': 'false'}),
    (None, True, True, {'fields': 'user_id,email,name,picture,roles', 'include_fields': 'true'}),
    ([], False, True, {'fields': 'user_id,email,name,picture,roles', 'include_fields': 'true'}),
    (['email'], True, True, {'fields': 'email,roles', 'include_fields': 'true'}),
    (['roles', 'email'], True, True, {'fields': 'email,roles', 'include_fields': 'true'}),
    (['roles'], True, True, {'fields': 'roles', 'include_fields': 'true'}),
    # an exclusion list cannot carry roles (Auth0 returns roles only when included): it is inverted
    (['email'], False, True, {'fields': 'user_id,name,picture,roles', 'include_fields': 'true'}),
    (['picture', 'name'], False, True, {'fields': 'user_id,email,roles', 'include_fields': 'true'}),
    (['roles'], False, True, {'fields': 'user_id,email,name,picture,roles', 'include_fields': 'true'}),
])
def test_member_fields_query(fields, include_fields, include_roles, query):
    assert member_fields_query(fields, include_fields, include_roles) == query


@pytest.mark.parametrize('fields, include_fields, include_roles, expected', [
    (None, True, False, False),
    (['email'], True, False, False),
    (['email', 'roles'], True, False, True),
    (['roles'], False, False, False),
    (None, True, True, True),
    (['roles'], False, True, True),
])
def test_roles_requested(fields, include_fields, include_roles, expected):
    assert roles_requested(fields, include_fields, include_roles) is expected


# -- client arguments ----------------------------------------------------------------------------------

def test_client_defaults(make_client):
    client = make_client()
    assert client.base_url == BASE
    assert client.host == DOMAIN
    assert client.audience == BASE + '/api/v2/'
    assert (client.timeout, client.max_retries) == (30, 5)
    assert make_client(timeout=None, max_retries=None).max_retries == 5
    assert make_client(domain='http://127.0.0.1:8443').audience == 'http://127.0.0.1:8443/api/v2/'
    assert make_client(audience='https://travel0.us.auth0.com/api/v2/').audience == BASE + '/api/v2/'


@pytest.mark.parametrize('arguments, complaint', [
    (dict(org_id='org_abc/../x'), 'org_id '),
    (dict(org_id=None), 'org_id '),
    (dict(org_name='Travel0 Partners'), 'org_name '),
    (dict(org_id=ORG_ID, page=-1), 'page must be 0 or more'),
    (dict(org_id=ORG_ID, per_page=0), 'per_page must be between 1 and 100'),
    (dict(org_id=ORG_ID, per_page=101), 'per_page must be between 1 and 100'),
    (dict(org_name=ORG_NAME, per_page=101), 'per_page must be between 1 and 100'),
])
def test_organization_members_checks_every_option_before_any_request(api, make_client, arguments, complaint):
    with pytest.raises(Auth0ConfigError) as failure:
        make_client().organization_members(**arguments)
    assert complaint in failure.value.message
    assert not api.calls


# -- Auth0's error answers (_api_error) ----------------------------------------------------------------

@pytest.mark.parametrize('status, body, error_code, fragments', [
    (400, error_body(400, "Query validation error: 'x' on property fields", 'invalid_query_string', 'Bad Request'),
     'invalid_query_string',
     ['Auth0 refused ' + LISTING, 'HTTP 400 invalid_query_string', "Query validation error: 'x' on property fields"]),
    (400, error_body(400, 'Bad things'), None, ['HTTP 400: Bad things']),
    (401, error_body(401, 'Expired token received for JSON Web Token validation', error='Unauthorized'), None,
     ['rejected the access token', 'HTTP 401: Expired token received', 'The token has expired',
      'client_id and client_secret']),
    (401, error_body(401, 'Invalid signature received for JSON Web Token validation'), None,
     ['rejected the access token', 'Invalid signature received', 'not signed by this tenant']),
    (401, error_body(401, 'Bad audience: https://other.example/api/v2/'), None,
     ['Bad audience', 'issued for another API', 'https://travel0.us.auth0.com/api/v2/']),
    (401, error_body(401, 'Invalid token'), None, ['HTTP 401: Invalid token', 'Check the token']),
    (401, error_body(401, 'Client is not global'), None, ['Client is not global', 'Check the token']),
    (403, error_body(403, 'Insufficient scope, expected any of: read:organization_members', 'insufficient_scope',
                     'Forbidden'), 'insufficient_scope',
     ['Auth0 refused ' + LISTING + ' for lack of a scope', 'HTTP 403: Insufficient scope', 'needs the scope read:organization_members on the']),
    (403, error_body(403, 'Forbidden'), None, ['needs the scope read:organization_members on the']),
    (404, error_body(404, 'No organization found by that id or name', error='Not Found'), None,
     ["Organization 'org_W30Ft8gJJmwlnOHU' was not found in tenant travel0.us.auth0.com",
      'HTTP 404: No organization found']),
    (409, {'message': 'conflict'}, None, ['HTTP 409: conflict']),
])
def test_api_errors(api, make_client, clock, status, body, error_code, fragments):
    api.get(MEMBERS_URL, status=status, json=body)
    error = members_failure(make_client)
    assert error.__class__ is Auth0APIError
    assert (error.status, error.error_code) == (status, error_code)
    for fragment in fragments:
        assert fragment in error.message
    assert len(api.calls) == 1, '4xx answers are never retried'
    assert clock.sleeps == []


def test_403_with_roles_names_both_scopes(api, make_client):
    api.get(MEMBERS_URL, status=403, json=error_body(403, 'Insufficient scope', 'insufficient_scope'))
    with pytest.raises(Auth0APIError) as failure:
        make_client().organization_members(org_id=ORG_ID, include_roles=True)
    assert 'read:organization_members and read:organization_member_roles' in failure.value.message


def test_403_prefers_the_scope_auth0_names(api, make_client):
    api.get(MEMBERS_URL, status=403,
            json=error_body(403, 'Insufficient scope, expected all of: read:organization_member_roles',
                            'insufficient_scope'))
    with pytest.raises(Auth0APIError) as failure:
        make_client().organization_members(org_id=ORG_ID, include_roles=True)
    assert 'needs the scope read:organization_member_roles on' in failure.value.message


def test_403_on_the_name_lookup_names_read_organizations(api, make_client):
    api.get(ORG_BY_NAME_URL, status=403, json=error_body(403, 'Insufficient scope', 'insufficient_scope'))
    with pytest.raises(Auth0APIError) as failure:
        make_client().organization_members(org_name=ORG_NAME)
    assert "reading organization 'travel0-partners'" in failure.value.message
    assert 'read:organizations' in failure.value.message
    assert failure.value.status == 403


def test_redirects_are_not_followed(api, make_client):
    api.get(MEMBERS_URL, status=302, headers={'Location': 'https://attacker.example/collect'})
    error = members_failure(make_client)
    assert error.__class__ is Auth0APIError
    assert error.status == 302
    assert 'redirect (HTTP 302)' in error.message and 'not followed' in error.message
    assert len(api.calls) == 1
