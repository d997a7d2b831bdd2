# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Test data and a tiny in-memory Auth0 Management API served through `responses` callbacks."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import base64
import json
import re
import ssl
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError, ReadTimeoutError

from ansible_collections.community.auth0.plugins.module_utils._auth0_errors import Auth0Error

DOMAIN = 'travel0.us.auth0.com'
BASE = 'https://' + DOMAIN
TOKEN = 'eyJ0eXAi.static-TOKEN-s3cr3t.sig'
MINTED_TOKEN = 'eyJ0eXAi.minted-TOKEN-s3cr3t.sig'
CLIENT_ID = 'cli_M2Mapplication'
CLIENT_SECRET = 'CLIENT-SECRET-d0-not-leak'
ORG_ID = 'org_W30Ft8gJJmwlnOHU'
ORG_NAME = 'travel0-partners'
NOW = 1700000000.0

ORG_URL = BASE + '/api/v2/organizations/' + ORG_ID
ORG_BY_NAME_URL = BASE + '/api/v2/organizations/name/' + ORG_NAME
MEMBERS_URL = ORG_URL + '/members'
TOKEN_URL = BASE + '/oauth/token'
ROLES_URL = re.compile(re.escape(MEMBERS_URL) + r'/[^/]+/roles')

ORGANIZATION = {'id': ORG_ID, 'name': ORG_NAME, 'display_name': 'Travel0 Partners',
                'branding': {'logo_url': 'https://example.com/logo.png'}}


def member(number):
    return {'user_id': 'auth0|%06d' % number, 'email': 'user%d@example.com' % number,
            'name': 'User %d' % number, 'picture': 'https://example.com/%d.png' % number}


def make_members(count):
    return [member(number) for number in range(count)]


def error_body(status, message, error_code=None, error=None):
    """An Auth0 error body as the Management API sends it."""
    body = {'statusCode': status, 'error': error or 'Error', 'message': message}
    if error_code:
        body['errorCode'] = error_code
    return body


def query_of(call):
    """The query of a recorded `responses` call as a dict of single values."""
    return dict((key, values[-1]) for key, values in parse_qs(urlsplit(call.request.url).query).items())


def path_of(call):
    return urlsplit(call.request.url).path


def calls_to(mock, path):
    return [call for call in mock.calls if path_of(call) == path]


class FakeClock:
    """Replaces time.time and time.sleep: sleeping only records the wait and moves the clock."""

    def __init__(self, now=NOW):
        self.now = now
        self.sleeps = []

    def time(self):
        return self.now

    def sleep(self, seconds):
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds


class FakeOrganization:
    """GET .../members (checkpoint, and offset with or without totals) and .../members/{user_id}/roles, like Auth0.

    Checkpoint quirk reproduced: `next` comes with every non-empty page, even the last, short one;
    only the final empty page comes without it. Offset paging refuses pages past 1000 records.
    """

    def __init__(self, members, roles=None, inline_roles=True, headers=None):
        self.members = members
        self.roles = roles if roles is not None else {}
        self.inline_roles = inline_roles
        self.headers = headers or {}

    def register(self, mock):
        mock.add_callback('GET', MEMBERS_URL, callback=self.members_callback)
        if not self.inline_roles:
            mock.add_callback('GET', ROLES_URL, callback=self.roles_callback)

    def _shape(self, record, query):
        record = dict(record)
        record['roles'] = [dict(role) for role in self.roles.get(record['user_id'], [])]
        fields = query.get('fields')
        if fields is None:
            del record['roles']
            return record
        listed = fields.split(',')
        if query.get('include_fields', 'true') == 'true':
            if not self.inline_roles and 'roles' in listed:
                listed.remove('roles')
            return dict((key, value) for key, value in record.items() if key in listed)
        listed.append('roles')
        return dict((key, value) for key, value in record.items() if key not in listed)

    def members_callback(self, request):
        query = dict((key, values[-1]) for key, values in parse_qs(urlsplit(request.url).query).items())
        if 'take' in query or 'from' in query:
            start = int(base64.b64decode(query['from']).decode()) if 'from' in query else 0
            chunk = self.members[start:start + int(query.get('take', 50))]
            body = {'members': [self._shape(record, query) for record in chunk]}
            if chunk:
                body['next'] = base64.b64encode(str(start + len(chunk)).encode()).decode()
            return 200, self.headers, json.dumps(body)
        page, per_page = int(query.get('page', 0)), int(query.get('per_page', 50))
        if (page + 1) * per_page > 1000:
            message = ('Requesting page %d exceeds the allowed maximum of 1000 records. To fetch results beyond 1000, '
                       'use the checkpoint pagination method.' % page)
            return 400, {}, json.dumps(error_body(400, message, 'invalid_paging', 'Bad Request'))
        chunk = [self._shape(record, query) for record in self.members[page * per_page:(page + 1) * per_page]]
        if query.get('include_totals') == 'true':
            body = {'start': page * per_page, 'limit': per_page, 'total': len(self.members), 'members': chunk}
            return 200, self.headers, json.dumps(body)
        return 200, self.headers, json.dumps(chunk)

    def roles_callback(self, request):
        parts = urlsplit(request.url)
        user_id = unquote(parts.path.split('/')[-2])
        query = dict((key, values[-1]) for key, values in parse_qs(parts.query).items())
        page, per_page = int(query['page']), int(query['per_page'])
        roles = [dict(role, description='extra') for role in self.roles.get(user_id, [])]
        body = {'start': page * per_page, 'limit': per_page, 'total': len(roles),
                'roles': roles[page * per_page:(page + 1) * per_page]}
        return 200, {}, json.dumps(body)


class SimulatedBucket:
    """Auth0's token bucket: `burst` requests, refilled continuously at `per_second`, with its X-RateLimit-* headers."""

    def __init__(self, burst, per_second, now):
        self.burst, self.per_second = burst, per_second
        self.tokens = float(burst)
        self.now = now

    def advance(self, seconds):
        self.now += seconds
        self.tokens = min(self.burst, self.tokens + seconds * self.per_second)

    def count(self):
        """Count one request now: (taken, headers)."""
        taken = self.tokens >= 1
        if taken:
            self.tokens -= 1
        reset = int(self.now + (self.burst - self.tokens) / self.per_second + 0.999)
        return taken, {'X-RateLimit-Limit': str(self.burst), 'X-RateLimit-Remaining': str(int(self.tokens)),
                       'X-RateLimit-Reset': str(reset)}


# -- what the client tests share ------------------------------------------------------------------

# The description of the first members request, as messages quote it.
LISTING = "listing members of organization 'org_W30Ft8gJJmwlnOHU' (page 1)"


def members_failure(make_client, **client_options):
    """The Auth0Error that reading the members of ORG_ID raises."""
    with pytest.raises(Auth0Error) as failure:
        make_client(**client_options).organization_members(org_id=ORG_ID)
    return failure.value


ONE_PAGE = {'members': [member(0)], 'total': 1}


def list_members(make_client, per_page=100, **options):
    """The members of ORG_ID, read through a client made with these options."""
    return make_client(**options).organization_members(org_id=ORG_ID, per_page=per_page)[1]


# Client options that mint a token with the client-credentials grant.
MINTING = dict(token=None, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)


def token_answer(access_token=MINTED_TOKEN):
    return {'access_token': access_token, 'token_type': 'Bearer', 'expires_in': 86400,
            'scope': 'read:organization_members'}


def authorizations(api):
    """The Authorization header of every GET request, in order."""
    return [call.request.headers.get('Authorization') for call in api.calls if call.request.method == 'GET']


# -- transport failures as requests raises them ---------------------------------------------------

def refused_error():
    cause = NewConnectionError(None, 'Failed to establish a new connection: [Errno 111] Connection refused')
    return requests.exceptions.ConnectionError(MaxRetryError(None, MEMBERS_URL, cause))


def tls_error():
    cause = ssl.SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed '
                                            'certificate in certificate chain (_ssl.c:1006)')
    return requests.exceptions.SSLError(MaxRetryError(None, MEMBERS_URL, cause))


def timeout_error():
    cause = ReadTimeoutError(None, MEMBERS_URL, 'Read timed out. (read timeout=30)')
    return requests.exceptions.ReadTimeout(cause)
