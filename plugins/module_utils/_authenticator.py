# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Management API token of one client: chosen method, minted once, shared by concurrent requests.

For internal collection use only: names here may change in any release.

Each way to authenticate is one `_auth_method_*.py` module. A method that mints tokens has
`token_form(audience, base_url)` (the form POSTed to /oauth/token, made again for every attempt),
`secret_values()` (what must never be shown) and `refusal_hint(status, error_code)` (what to check
when Auth0 refuses it).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import threading
import time

from ansible_collections.community.auth0.plugins.module_utils._auth0_errors import (
    Auth0APIError,
    Auth0ConfigError,
    Auth0ResponseError,
    error_body,
)
from ansible_collections.community.auth0.plugins.module_utils._auth_method_client_credentials import (
    ClientCredentialsMethod,
)
from ansible_collections.community.auth0.plugins.module_utils._auth_method_private_key_jwt import PrivateKeyJwtMethod
from ansible_collections.community.auth0.plugins.module_utils._auth_method_token import StaticTokenMethod


def auth_method(token=None, client_id=None, client_secret=None, client_assertion_private_key=None,
                client_assertion_signing_alg=None, clock=time.time):
    """The method for the credentials resolve_connection() chose."""
    if token:
        return StaticTokenMethod(token)
    if client_id and client_secret:
        return ClientCredentialsMethod(client_id, client_secret)
    if client_id and client_assertion_private_key:
        return PrivateKeyJwtMethod(client_id, client_assertion_private_key, client_assertion_signing_alg, clock)
    raise Auth0ConfigError('No credentials: give token, or client_id with client_secret or '
                           'client_assertion_private_key.')


class Authenticator:
    """Authorization headers for a transport: one token for every request, minted at most once per run.

    A minted token that Auth0 accepted and later rejects has expired mid-run: one more is minted,
    once. A token that was never accepted, or a static one, would only be rejected again.
    """

    def __init__(self, method, transport, audience):
        self.method = method
        self._transport = transport
        self.audience = audience
        self._lock = threading.Lock()
        self._token = None if method.mints_tokens else method.token
        self._minted = []
        self._token_worked = False
        self.refreshed = False

    def header(self):
        return {'Authorization': 'Bearer ' + self.token()}

    def token(self):
        with self._lock:
            if self._token is None:
                self._token = self._mint()
            return self._token

    def accepted(self):
        self._token_worked = True

    def retry_after_rejection(self, header):
        """After a 401 for `header`: True when the request is worth sending again with a new token."""
        with self._lock:
            if header['Authorization'] != 'Bearer %s' % self._token:
                return True
            if not self.method.mints_tokens or not self._token_worked or self.refreshed:
                return False
            self._token = None
            self.refreshed = True
            return True

    def secret_values(self):
        return tuple(self.method.secret_values()) + tuple(self._minted)

    def _mint(self):
        what = 'requesting a Management API token for client %r' % self.method.client_id

        def form():
            return self.method.token_form(self.audience, self._transport.base_url)
        response = self._transport.send('POST', '/oauth/token', None, what, 'token', make_form=form)
        if response.status_code >= 300:
            raise self._refusal(response, what)
        body = self._transport.decode(response, what)
        token = body.get('access_token') if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise Auth0ResponseError('Auth0 answered %s without an access_token.' % what)
        self._minted.append(token)
        return token

    def _refusal(self, response, what):
        status, error_code, message = error_body(response)
        if status == 403:
            hint = ('Check audience: it must be the tenant\'s Management API identifier, %s by default; with a '
                    'custom domain use https://TENANT.REGION.auth0.com/api/v2/.' % self.audience)
        else:
            hint = self.method.refusal_hint(status, error_code)
        return Auth0APIError('Auth0 refused %s (HTTP %d%s: %s). %s'
                             % (what, status, ' ' + error_code if error_code else '', message, hint),
                             status=status, error_code=error_code)
