# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Management API token of one client: chosen method, minted once, shared by concurrent requests.

For internal collection use only: names here may change in any release.

Each way to authenticate is one `_auth_method_*.py` module declaring its options (see
_credential_method.py); AUTH_METHODS lists them, in the order the environment prefers them. Every
rule about credentials is derived here from those declarations: the argument spec, which options
exclude or require each other, the late binding of the AUTH0_* variables, the choice of a method
and the messages that explain a refusal.
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

# When the environment holds several complete kinds of credentials, the first wins (an AWX credential with
# every field filled in): the static token is the narrower, explicit choice.
AUTH_METHODS = (StaticTokenMethod, ClientCredentialsMethod, PrivateKeyJwtMethod)


def minting_methods(methods=AUTH_METHODS):
    """The methods that request tokens from /oauth/token (what the management_token lookup can use)."""
    return tuple(method for method in methods if method.mints_tokens)


def credential_options(methods=AUTH_METHODS):
    """Every option of these methods, once each, in the order declared."""
    options = {}
    for method in methods:
        for option in method.OPTIONS:
            options.setdefault(option.name, option)
    return tuple(options.values())


def secret_option_names(methods=AUTH_METHODS):
    return tuple(option.name for option in credential_options(methods) if option.secret)


def credential_argument_spec(methods=AUTH_METHODS):
    return dict((option.name, option.argument_spec()) for option in credential_options(methods))


def _required_names(methods):
    return tuple(option.name for option in credential_options(methods) if option.required)


def _shared(first, second, methods):
    return any(first in method.option_names() and second in method.option_names() for method in methods)


def exclusive_options(methods=AUTH_METHODS):
    """Pairs of credential options that no method takes together."""
    names = _required_names(methods)
    return [(first, second) for index, first in enumerate(names) for second in names[index + 1:]
            if not _shared(first, second, methods)]


def options_required_by(methods=AUTH_METHODS):
    """{option: the options it needs}, for options that identify a single method (client_secret needs client_id)."""
    required_by = {}
    for name in _required_names(methods):
        owners = [method for method in methods if name in method.required_options()]
        if len(owners) == 1 and len(owners[0].required_options()) > 1:
            required_by[name] = [other for other in owners[0].required_options() if other != name]
    return required_by


def _groups(methods):
    """[(anchor option or None, [(method, its other required options)])]: methods that share an option go together."""
    groups = []
    for method in methods:
        required = [option for option in method.OPTIONS if option.required]
        anchor = next((option for option in required if any(
            other is not method and option.name in other.required_options() for other in methods)), None)
        rest = [option for option in required if option is not anchor]
        for group_anchor, members in groups:
            if group_anchor is anchor and anchor is not None:
                members.append((method, rest))
                break
        else:
            groups.append((anchor, [(method, rest)]))
    return groups


def _spelled(anchor, members, attribute):
    """'client_id with client_secret or client_assertion_private_key' (attribute 'name'), or the same with env names."""
    alternatives = ' or '.join(' with '.join(getattr(option, attribute) for option in rest) for _method, rest in members)
    return '%s with %s' % (getattr(anchor, attribute), alternatives) if anchor else alternatives


def no_credentials_error(methods=AUTH_METHODS):
    ways = ', or '.join('%s (or %s)' % (_spelled(anchor, members, 'name'), _spelled(anchor, members, 'env'))
                        for anchor, members in _groups(methods))
    return Auth0ConfigError('No credentials: give %s.' % ways)


def _incomplete_error(name, methods):
    """What is missing beside `name`; only methods that share an option (client_id) can be half given."""
    for anchor, members in _groups(methods):
        if anchor is not None and any(name in method.required_options() for method, _rest in members):
            return Auth0ConfigError('%s must be given together with %s (options, or the %s environment variable with %s).'
                                    % (anchor.name, _spelled(None, members, 'name'), anchor.env,
                                       _spelled(None, members, 'env')))
    return no_credentials_error(methods)


def _exclusive_error(first, second, methods, from_environment):
    if from_environment:
        envs = dict((option.name, option.env) for option in credential_options(methods))
        return Auth0ConfigError('%s and %s are mutually exclusive: give one way to authenticate (the %s and %s '
                                'environment variables: unset one).' % (first, second, envs[first], envs[second]))
    partners = [other for pair in exclusive_options(methods) if first in pair for other in pair if other != first]
    listed = partners[0] if len(partners) == 1 else '%s and %s' % (', '.join(partners[:-1]), partners[-1])
    return Auth0ConfigError('%s is mutually exclusive with %s: give one way to authenticate.' % (first, listed))


def _chosen(values, methods, from_environment):
    """The method these credential values make; raise Auth0ConfigError saying what is missing or clashes."""
    present = [name for name in _required_names(methods) if values.get(name)]
    if not present:
        raise no_credentials_error(methods)
    for first, second in exclusive_options(methods):
        if values.get(first) and values.get(second):
            raise _exclusive_error(first, second, methods, from_environment)
    for method in methods:
        if all(values.get(name) for name in method.required_options()):
            return method
    raise _incomplete_error(present[0], methods)


def resolve_credentials(get_option, environ, methods=AUTH_METHODS):
    """The credential settings: explicit options of any kind win; the AUTH0_* variables are read only without them.

    From the environment, only the chosen method's variables are taken (the signing algorithm goes
    with its key); of several complete methods the first of `methods` wins, unless two ways of one
    application (a secret and a private key for the same client_id) are both set.
    """
    options = credential_options(methods)
    given = dict((option.name, get_option(option.name) or None) for option in options)
    if any(given[name] for name in _required_names(methods)):
        _chosen(given, methods, from_environment=False)
        return given
    found = dict((option.name, environ.get(option.env) or None) for option in options)
    complete = [method for method in methods if all(found[name] for name in method.required_options())]
    values = found
    if complete:
        for rival in complete[1:]:
            common = set(rival.required_options()) & set(complete[0].required_options())
            if common:
                first = next(name for name in complete[0].required_options() if name not in common)
                second = next(name for name in rival.required_options() if name not in common)
                raise _exclusive_error(first, second, methods, from_environment=True)
        values = dict((option.name, found[option.name] if option.name in complete[0].option_names() else None)
                      for option in options)
    for option in options:
        if not option.required and given[option.name]:
            values[option.name] = given[option.name]
    _chosen(values, methods, from_environment=True)
    return values


def auth_method(credentials, clock=time.time, methods=AUTH_METHODS):
    """The method for these credential settings (as resolve_credentials() returns them), made and checked."""
    unknown = set(credentials) - set(option.name for option in credential_options(methods))
    if unknown:
        raise TypeError('unknown credential settings: %s' % ', '.join(sorted(unknown)))
    method = _chosen(credentials, methods, from_environment=False)
    return method(dict((name, credentials.get(name)) for name in method.option_names()), clock)


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
