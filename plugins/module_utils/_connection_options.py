# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Connection options shared by every module and plugin: one table of their types, defaults, limits and variables.

For internal collection use only: names here may change in any release.

Modules read options from module.params, plugins from get_option(); both hand a `get_option(name)`
callable to resolve_connection(), which binds the AUTH0_* environment variables last. The modules'
argument spec and the client's defaults and checks come from CONNECTION_OPTIONS; the credential
options are declared by the credential methods (_authenticator.py). The doc fragment
(plugins/doc_fragments/auth0.py) is written by hand, and a unit test keeps it in step with both.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ipaddress
import os
import re
from collections import namedtuple

from ansible_collections.community.auth0.plugins.module_utils._auth0_errors import Auth0ConfigError, clip
from ansible_collections.community.auth0.plugins.module_utils._authenticator import AUTH_METHODS, resolve_credentials


class ConnectionOption(namedtuple('ConnectionOption', 'name type default env minimum maximum unit required')):
    """One connection option: type, default, limits and the environment variable bound last."""

    __slots__ = ()

    def __new__(cls, name, type_name, default=None, env=None, minimum=None, maximum=None, unit='', required=False):
        return super(ConnectionOption, cls).__new__(cls, name, type_name, default, env, minimum, maximum, unit, required)

    def check(self, value):
        """Refuse a number the client cannot honour; None means the default."""
        if value is None or self.minimum is None:
            return
        unit = ' ' + self.unit if self.unit else ''
        if self.maximum is not None and not self.minimum <= value <= self.maximum:
            raise Auth0ConfigError('%s must be from %d to %d%s, not %r.'
                                   % (self.name, self.minimum, self.maximum, unit, value))
        if value < self.minimum:
            raise Auth0ConfigError('%s must be %d or more%s, not %r.' % (self.name, self.minimum, unit, value))


CONNECTION_OPTIONS = (
    ConnectionOption('domain', 'str', env='AUTH0_DOMAIN', required=True),
    ConnectionOption('audience', 'str', env='AUTH0_AUDIENCE'),
    # Far larger timeouts overflow the socket layer (OverflowError, a traceback) instead of waiting.
    ConnectionOption('timeout', 'int', default=30, minimum=1, maximum=3600, unit='seconds'),
    ConnectionOption('max_retries', 'int', default=5, minimum=0),
    ConnectionOption('rate_limit_timeout', 'int', default=300, minimum=0, unit='seconds'),
    # Auth0's largest members burst is 40 and its sustained rate a few requests a second: more
    # requests in flight than 16 only queue at Auth0 and trade pacing for 429s.
    ConnectionOption('max_concurrent_requests', 'int', default=4, minimum=1, maximum=16),
    ConnectionOption('validate_certs', 'bool', default=True),
    ConnectionOption('ca_path', 'path'),
)
OPTIONS = dict((option.name, option) for option in CONNECTION_OPTIONS)

ENV_DOMAIN = OPTIONS['domain'].env
DEFAULT_TIMEOUT_SECONDS = OPTIONS['timeout'].default
DEFAULT_MAX_RETRIES = OPTIONS['max_retries'].default
DEFAULT_RATE_LIMIT_TIMEOUT_SECONDS = OPTIONS['rate_limit_timeout'].default
DEFAULT_MAX_CONCURRENT_REQUESTS = OPTIONS['max_concurrent_requests'].default

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


def check_limits(**values):
    """Refuse numbers the client cannot honour (keyword per option; None means the default)."""
    for name, value in values.items():
        OPTIONS[name].check(value)


def check_ca_path(ca_path):
    if ca_path and not os.path.isfile(ca_path):
        raise Auth0ConfigError('ca_path %r is not a readable file; give the path of a PEM CA bundle.'
                               % clip(ca_path, 200))


def resolve_connection(get_option, environ=None, methods=AUTH_METHODS):
    """Collect the client's keyword arguments from options, binding environment variables last.

    `get_option(name)` returns an option's value or None: module.params.get for modules, a
    plugin's option dictionary's get for lookups and inventories. Credentials follow the rules of
    the credential `methods` (resolve_credentials); every other option takes its environment
    variable only when it is not set.
    """
    environ = os.environ if environ is None else environ
    settings = resolve_credentials(get_option, environ, methods)
    for option in CONNECTION_OPTIONS:
        value = get_option(option.name)
        if option.env and not value:
            value = environ.get(option.env) or None
        settings[option.name] = value
    return settings
