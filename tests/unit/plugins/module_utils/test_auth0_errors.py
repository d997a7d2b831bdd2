# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every Auth0 error answer and transport failure becomes a message a person can act on."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import socket
import ssl

import pytest
import requests
from urllib3.exceptions import MaxRetryError, NameResolutionError, NewConnectionError, ReadTimeoutError

from ansible_collections.community.auth0.plugins.module_utils._auth0_errors import (
    Auth0APIError,
    Auth0ConfigError,
    Auth0ConnectionError,
    Auth0Error,
    Auth0RateLimitError,
    Auth0ResponseError,
)
from ansible_collections.community.auth0.tests.unit.plugins.auth0_support import (
    CLIENT_ID, CLIENT_SECRET, DOMAIN, MEMBERS_URL, NOW, ORG_BY_NAME_URL, ORG_ID, ORG_NAME, TOKEN, TOKEN_URL,
    error_body,
)

LISTING = "listing members of organization 'org_W30Ft8gJJmwlnOHU' (page 1)"


def members_failure(make_client, **client_options):
    with pytest.raises(Auth0Error) as failure:
        make_client(**client_options).organization_members(org_id=ORG_ID)
    return failure.value


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


# -- Auth0's error answers -------------------------------------------------------------------------

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


# -- bodies that cannot be trusted -------------------------------------------------------------------

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


@pytest.mark.parametrize('body', [None, [], {'members': []}, {'access_token': ''}, {'access_token': 42}])
def test_token_answer_without_an_access_token(api, make_client, body):
    api.post(TOKEN_URL, json=body)
    error = members_failure(make_client, token=None, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    assert error.__class__ is Auth0ResponseError
    assert "requesting a Management API token for client 'cli_M2Mapplication'" in error.message


# -- transport failures ---------------------------------------------------------------------------------

def _name_resolution_error():
    cause = NameResolutionError(DOMAIN, None, socket.gaierror(-2, 'Name or service not known'))
    return requests.exceptions.ConnectionError(MaxRetryError(None, MEMBERS_URL, cause))


def _refused_error():
    cause = NewConnectionError(None, 'Failed to establish a new connection: [Errno 111] Connection refused')
    return requests.exceptions.ConnectionError(MaxRetryError(None, MEMBERS_URL, cause))


def _tls_error():
    cause = ssl.SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed '
                                            'certificate in certificate chain (_ssl.c:1006)')
    return requests.exceptions.SSLError(MaxRetryError(None, MEMBERS_URL, cause))


def _timeout_error():
    cause = ReadTimeoutError(None, MEMBERS_URL, 'Read timed out. (read timeout=30)')
    return requests.exceptions.ReadTimeout(cause)


@pytest.mark.parametrize('exception, attempts, fragments', [
    (_refused_error, 3, ['Could not connect to travel0.us.auth0.com while ' + LISTING + ' (2 retries)',
                         '[Errno 111] Connection refused', 'Check domain']),
    (_timeout_error, 3, ['Timed out after 30 seconds while ' + LISTING + ' at travel0.us.auth0.com (2 retries)',
                         'Raise timeout or max_retries']),
    (requests.exceptions.ConnectTimeout, 3, ['Timed out after 30 seconds']),
    (_tls_error, 1, ['TLS failed while ' + LISTING + ' at travel0.us.auth0.com', 'CERTIFICATE_VERIFY_FAILED',
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


# -- secrets never reach a message ------------------------------------------------------------------------

STATIC = dict(token=TOKEN)
MINTING = dict(token=None, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
API_ANSWERS = [
    dict(status=401, json=error_body(401, 'Invalid token')),
    dict(status=403, json=error_body(403, 'Insufficient scope', 'insufficient_scope')),
    dict(status=404, json=error_body(404, 'No organization found by that id or name')),
    dict(status=429, json=error_body(429, 'Global limit has been reached')),
    dict(status=500, body='<html/>'),
    dict(status=302, headers={'Location': 'https://x.example/'}),
    dict(body='not json'),
    dict(body=_refused_error()),
    dict(body=_tls_error()),
    dict(body=_timeout_error()),
]
TOKEN_ANSWERS = [
    dict(status=401, json={'error': 'access_denied', 'error_description': 'Unauthorized'}),
    dict(status=403, json={'error': 'access_denied', 'error_description': 'Service not enabled within domain'}),
    dict(status=200, json={'token_type': 'Bearer'}),
    dict(status=200, body='not json'),
    dict(body=_refused_error()),
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
