# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The errors of the collection (_auth0_errors.py): classes, result fields, error bodies and secrets redacted.

How the client words each answer of Auth0 is tested with it (test_auth0.py, test_transport.py).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.community.auth0.plugins.module_utils._auth0_errors import (
    Auth0APIError,
    Auth0ConfigError,
    Auth0ConnectionError,
    Auth0Error,
    Auth0RateLimitError,
    Auth0ResponseError,
)
from ansible_collections.community.auth0.tests.unit.plugins.auth0_support import (
    CLIENT_SECRET, MEMBERS_URL, MINTING, ORG_ID, TOKEN, TOKEN_URL, error_body, members_failure, refused_error,
    timeout_error, tls_error,
)


# -- the error hierarchy and result fields ----------------------------------------------------------

def test_error_classes():
    assert issubclass(Auth0RateLimitError, Auth0APIError)
    for error_class in (Auth0ConfigError, Auth0ConnectionError, Auth0APIError, Auth0ResponseError):
        assert issubclass(error_class, Auth0Error)
    assert issubclass(Auth0Error, Exception)


@pytest.mark.parametrize('error, fields', [
    (Auth0Error('boom'), {'msg': 'boom'}),
    (Auth0APIError('denied', status=403), {'msg': 'denied', 'status': 403}),
    (Auth0APIError('denied', status=403, error_code='insufficient_scope'),
     {'msg': 'denied', 'status': 403, 'error_code': 'insufficient_scope'}),
    (Auth0APIError('odd', status=0, error_code=''), {'msg': 'odd', 'status': 0}),
    (Auth0ConfigError('bad'), {'msg': 'bad'}),
])
def test_result_fields(error, fields):
    assert error.result_fields() == fields
    assert str(error) == error.message == fields['msg']


# -- error bodies that are not Auth0's (error_body, describe_body) -----------------------------------

@pytest.mark.parametrize('status, body, content_type, fragment', [
    (400, '<html><body>Bad Request</body></html>', 'text/html', 'HTTP 400: Bad Request, 37 bytes of text/html'),
    (403, '', 'text/plain', 'HTTP 403: Forbidden, empty body'),
    (404, 'not json', 'text/plain', 'Not Found, 8 bytes of text/plain'),
    (400, '["a list"]', 'application/json', 'Bad Request, 10 bytes of application/json'),
])
def test_error_status_with_a_body_that_is_not_an_auth0_error(api, make_client, status, body, content_type, fragment):
    api.get(MEMBERS_URL, status=status, body=body, content_type=content_type)
    error = members_failure(make_client)
    assert error.__class__ is Auth0APIError
    assert (error.status, error.error_code) == (status, None)
    assert fragment in error.message


# -- secrets never reach a message ------------------------------------------------------------------------

STATIC = dict(token=TOKEN)
API_ANSWERS = [
    dict(status=401, json=error_body(401, 'Invalid token')),
    dict(status=403, json=error_body(403, 'Insufficient scope', 'insufficient_scope')),
    dict(status=404, json=error_body(404, 'No organization found by that id or name')),
    dict(status=429, json=error_body(429, 'Global limit has been reached')),
    dict(status=500, body='<html/>'),
    dict(status=302, headers={'Location': 'https://x.example/'}),
    dict(body='not json'),
    dict(body=refused_error()),
    dict(body=tls_error()),
    dict(body=timeout_error()),
]
TOKEN_ANSWERS = [
    dict(status=401, json={'error': 'access_denied', 'error_description': 'Unauthorized'}),
    dict(status=403, json={'error': 'access_denied', 'error_description': 'Service not enabled within domain'}),
    dict(status=200, json={'token_type': 'Bearer'}),
    dict(status=200, body='not json'),
    dict(body=refused_error()),
]
SCENARIOS = ([(STATIC, 'GET', MEMBERS_URL, answer) for answer in API_ANSWERS]
             + [(MINTING, 'GET', MEMBERS_URL, answer) for answer in API_ANSWERS]
             + [(MINTING, 'POST', TOKEN_URL, answer) for answer in TOKEN_ANSWERS])


@pytest.mark.parametrize('credentials, method, url, answer', SCENARIOS)
def test_secrets_never_appear_in_error_messages(api, make_client, credentials, method, url, answer):
    if method == 'GET' and 'client_id' in credentials:
        api.post(TOKEN_URL, json={'access_token': TOKEN, 'token_type': 'Bearer'})
    api.add(method, url, **answer)
    with pytest.raises(Auth0Error) as failure:
        make_client(max_retries=0, **credentials).organization_members(org_id=ORG_ID, page=0)
    for secret in (TOKEN, CLIENT_SECRET):
        assert secret not in str(failure.value)
        assert secret not in repr(failure.value.args)
        assert secret not in repr(failure.value.result_fields())


@pytest.mark.parametrize('credentials', [STATIC, MINTING])
@pytest.mark.parametrize('echo', [
    lambda secret: 'Invalid token: ' + secret,
    lambda secret: 'bad header Authorization: Bearer ' + secret[:20],
    lambda secret: secret.upper() + ' is fine, but ' + secret,
])
def test_credentials_echoed_back_by_auth0_are_masked(api, make_client, credentials, echo):
    """A proxy or Auth0 quoting a credential must not carry it into the message (lookups have no no_log)."""
    if 'client_id' in credentials:
        api.post(TOKEN_URL, json={'access_token': TOKEN, 'token_type': 'Bearer'})
    secret = TOKEN if 'token' in credentials and credentials['token'] else CLIENT_SECRET
    api.get(MEMBERS_URL, status=400, json=error_body(400, echo(TOKEN) + ' / ' + echo(secret), 'invalid_request'))
    with pytest.raises(Auth0Error) as failure:
        make_client(max_retries=0, **credentials).organization_members(org_id=ORG_ID, page=0)
    message = failure.value.message
    for leaked in (TOKEN, CLIENT_SECRET):
        assert leaked[:12] not in message
        assert leaked[:12] not in str(failure.value)
    assert '********' in message
