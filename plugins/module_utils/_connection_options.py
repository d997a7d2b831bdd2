# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Connection options shared by every module and plugin: their checks and their environment variables.

For internal collection use only: names here may change in any release.

Modules read options from module.params, plugins from get_option(); both hand a `get_option(name)`
callable to resolve_connection(), which binds the AUTH0_* environment variables last.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ipaddress
import os
import re

from ansible_collections.community.auth0.plugins.module_utils._auth0_errors import Auth0ConfigError, clip

ENV_DOMAIN = 'AUTH0_DOMAIN'
ENV_TOKEN = 'AUTH0_API_TOKEN'
ENV_CLIENT_ID = 'AUTH0_CLIENT_ID'
ENV_CLIENT_SECRET = 'AUTH0_CLIENT_SECRET'
# The Auth0 Terraform provider's names for Private Key JWT.
ENV_CLIENT_ASSERTION_PRIVATE_KEY = 'AUTH0_CLIENT_ASSERTION_PRIVATE_KEY'
ENV_CLIENT_ASSERTION_SIGNING_ALG = 'AUTH0_CLIENT_ASSERTION_SIGNING_ALG'
ENV_AUDIENCE = 'AUTH0_AUDIENCE'

DEFAULT_TIMEOUT_SECONDS = 30
# Far larger values overflow the socket layer (OverflowError, a traceback) instead of waiting.
MAX_TIMEOUT_SECONDS = 3600
DEFAULT_MAX_RETRIES = 5
DEFAULT_RATE_LIMIT_TIMEOUT_SECONDS = 300
DEFAULT_MAX_CONCURRENT_REQUESTS = 4
# Auth0's largest members burst is 40 and its sustained rate a few requests a second: more
# requests in flight than this only queue at Auth0 and trade pacing for 429s.
MAX_CONCURRENT_REQUESTS = 16

_HOST_LABEL = re.compile(r'^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$')


def parse_domain(domain):
    """Return the base URL (scheme://host[:port]) for a `domain` option value.

    A bare host[:port] means https. http:// is only allowed for loopback hosts: the token would
    otherwise cross the network in clear text.
    """
    if not isinstance(domain, str) or not domain:
        raise Auth0ConfigError('domain is required: the tenant or custom domain, e.g. travel0.us.auth0.com '
                               '(or set %s).' % ENV_DOMAIN)
    shown = domain if len(domain) <= 100 else domain[:100] + '...'
    if any(char.isspace() or not char.isprintable() for char in domain):
        raise Auth0ConfigError('domain %r contains whitespace or control characters; give only the host name, '
                               'e.g. travel0.us.auth0.com.' % shown)
    scheme, separator, rest = domain.partition('://')
    if not separator:
        scheme, rest = 'https', domain
    scheme = scheme.lower()
    if scheme not in ('https', 'http'):
        raise Auth0ConfigError('domain %r uses the scheme %r; only https:// (or http:// for a loopback test '
                               'tenant) is accepted.' % (shown, scheme))
    if rest.endswith('/'):
        rest = rest[:-1]
    if not rest or any(char in rest for char in '/?#@\\%'):
        raise Auth0ConfigError('domain %r must be a host name with an optional port, without a path, query, '
                               'fragment or user-info, e.g. travel0.us.auth0.com.' % shown)
    host, port = _split_host_port(rest, shown)
    if scheme == 'http' and not _is_loopback(host):
        raise Auth0ConfigError('domain %r uses http://, which would send the token in clear text; http:// is '
                               'only allowed for loopback hosts (127.0.0.1, ::1, localhost). Use https://.' % shown)
    return '%s://%s%s' % (scheme, host, ':%d' % port if port is not None else '')


def _split_host_port(netloc, shown):
    if netloc.startswith('['):
        host, bracket, port_text = netloc[1:].partition(']')
        if not bracket or (port_text and not port_text.startswith(':')):
            raise Auth0ConfigError('domain %r has a malformed IPv6 address; write it as [::1]:8443.' % shown)
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise Auth0ConfigError('domain %r has an invalid IPv6 address.' % shown)
        host = '[%s]' % host
        port_text = port_text[1:] if port_text else None
    else:
        host, colon, port_text = netloc.partition(':')
        port_text = port_text if colon else None
        if not host or not all(_HOST_LABEL.match(label) for label in host.split('.')):
            raise Auth0ConfigError('domain %r is not a valid host name: use letters, digits, hyphens and dots '
                                   '(internationalized names in their xn-- form).' % shown)
    if port_text is None:
        return host.lower(), None
    # isdigit() alone also accepts non-ASCII digits such as '\u00b2', which int() rejects.
    if not (port_text.isascii() and port_text.isdigit()) or not 0 < int(port_text) < 65536:
        raise Auth0ConfigError('domain %r has an invalid port; it must be a number from 1 to 65535.' % shown)
    return host.lower(), int(port_text)


def _is_loopback(host):
    if host == 'localhost':
        return True
    try:
        return ipaddress.ip_address(host.strip('[]')).is_loopback
    except ValueError:
        return False


def check_limits(timeout, max_retries, rate_limit_timeout, max_concurrent_requests):
    """Refuse numbers the client cannot honour; None means the default."""
    if timeout is not None and not 1 <= timeout <= MAX_TIMEOUT_SECONDS:
        raise Auth0ConfigError('timeout must be from 1 to %d seconds, not %r.' % (MAX_TIMEOUT_SECONDS, timeout))
    if max_retries is not None and max_retries < 0:
        raise Auth0ConfigError('max_retries must be 0 or more, not %r.' % max_retries)
    if rate_limit_timeout is not None and rate_limit_timeout < 0:
        raise Auth0ConfigError('rate_limit_timeout must be 0 or more seconds, not %r.' % rate_limit_timeout)
    if max_concurrent_requests is not None and not 1 <= max_concurrent_requests <= MAX_CONCURRENT_REQUESTS:
        raise Auth0ConfigError('max_concurrent_requests must be from 1 to %d, not %r.'
                               % (MAX_CONCURRENT_REQUESTS, max_concurrent_requests))


def check_ca_path(ca_path):
    if ca_path and not os.path.isfile(ca_path):
        raise Auth0ConfigError('ca_path %r is not a readable file; give the path of a PEM CA bundle.'
                               % clip(ca_path, 200))


def resolve_connection(get_option, environ=None):
    """Collect the client's keyword arguments from options, binding environment variables last.

    `get_option(name)` returns an option's value or None: module.params.get for modules, a
    plugin's get_option for lookups and inventories. Explicit credentials of any kind win over any
    in the environment; the environment is read only when the task gives none. The signing
    algorithm goes with the private key: AUTH0_CLIENT_ASSERTION_SIGNING_ALG is read only for a key
    from AUTH0_CLIENT_ASSERTION_PRIVATE_KEY.
    """
    environ = os.environ if environ is None else environ
    token = get_option('token')
    client_id = get_option('client_id')
    client_secret = get_option('client_secret')
    private_key = get_option('client_assertion_private_key')
    signing_alg = get_option('client_assertion_signing_alg')
    if not (token or client_id or client_secret or private_key):
        token = environ.get(ENV_TOKEN) or None
        client_id = environ.get(ENV_CLIENT_ID) or None
        client_secret = environ.get(ENV_CLIENT_SECRET) or None
        private_key = environ.get(ENV_CLIENT_ASSERTION_PRIVATE_KEY) or None
        if token and (client_id or client_secret or private_key):
            # Several kinds in the environment: a static token is the narrower, explicit choice.
            client_id = client_secret = private_key = None
        if private_key:
            signing_alg = signing_alg or environ.get(ENV_CLIENT_ASSERTION_SIGNING_ALG) or None
    if token and (client_id or client_secret or private_key):
        raise Auth0ConfigError('token is mutually exclusive with client_id, client_secret and '
                               'client_assertion_private_key: give one way to authenticate.')
    if client_secret and private_key:
        raise Auth0ConfigError('client_secret and client_assertion_private_key are mutually exclusive: an application '
                               'authenticates with one of them (options, or the %s and %s environment variables: unset '
                               'one).' % (ENV_CLIENT_SECRET, ENV_CLIENT_ASSERTION_PRIVATE_KEY))
    if bool(client_id) != bool(client_secret or private_key):
        raise Auth0ConfigError('client_id must be given together with client_secret or client_assertion_private_key '
                               '(options, or the %s environment variable with %s or %s).'
                               % (ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_CLIENT_ASSERTION_PRIVATE_KEY))
    if not (token or client_id):
        raise Auth0ConfigError('No credentials: give token (or %s), or client_id with client_secret or '
                               'client_assertion_private_key (or %s with %s or %s).'
                               % (ENV_TOKEN, ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_CLIENT_ASSERTION_PRIVATE_KEY))
    return dict(
        domain=get_option('domain') or environ.get(ENV_DOMAIN),
        token=token,
        client_id=client_id,
        client_secret=client_secret,
        client_assertion_private_key=private_key,
        client_assertion_signing_alg=signing_alg,
        audience=get_option('audience') or environ.get(ENV_AUDIENCE) or None,
        timeout=get_option('timeout'),
        max_retries=get_option('max_retries'),
        rate_limit_timeout=get_option('rate_limit_timeout'),
        max_concurrent_requests=get_option('max_concurrent_requests'),
        validate_certs=get_option('validate_certs'),
        ca_path=get_option('ca_path'),
    )
