# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The connection options (_connection_options.py): domain, credentials and settings from options and environment,
and the limits the client checks before any request."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

import pytest
from hypothesis import given, settings, strategies as st

from ansible_collections.community.auth0.plugins.module_utils._auth0_errors import Auth0ConfigError
from ansible_collections.community.auth0.plugins.module_utils._connection_options import (
    parse_domain,
    resolve_connection,
)
from ansible_collections.community.auth0.tests.unit.plugins.auth0_support import (
    CLIENT_ID, CLIENT_SECRET, DOMAIN, TOKEN,
)


# -- domain -----------------------------------------------------------------------------------

@pytest.mark.parametrize('domain, base_url', [
    ('travel0.us.auth0.com', 'https://travel0.us.auth0.com'),
    ('Travel0.US.Auth0.com', 'https://travel0.us.auth0.com'),
    ('travel0.us.auth0.com/', 'https://travel0.us.auth0.com'),
    ('travel0.us.auth0.com:8443', 'https://travel0.us.auth0.com:8443'),
    ('https://travel0.us.auth0.com', 'https://travel0.us.auth0.com'),
    ('https://travel0.us.auth0.com/', 'https://travel0.us.auth0.com'),
    ('HTTPS://travel0.us.auth0.com:443', 'https://travel0.us.auth0.com:443'),
    ('login.example-corp.com', 'https://login.example-corp.com'),
    ('xn--bcher-kva.example', 'https://xn--bcher-kva.example'),
    ('localhost', 'https://localhost'),
    ('10.1.2.3:65535', 'https://10.1.2.3:65535'),
    ('http://localhost:3000', 'http://localhost:3000'),
    ('http://LOCALHOST:3000/', 'http://localhost:3000'),
    ('http://127.0.0.1:8080', 'http://127.0.0.1:8080'),
    ('http://127.200.3.4', 'http://127.200.3.4'),
    ('http://[::1]:8443', 'http://[::1]:8443'),
    ('http://[::1]', 'http://[::1]'),
    ('[::1]', 'https://[::1]'),
    ('[2001:DB8::1]:443', 'https://[2001:db8::1]:443'),
    ('https://[2001:db8::1]/', 'https://[2001:db8::1]'),
])
def test_parse_domain_accepts(domain, base_url):
    assert parse_domain(domain) == base_url


@pytest.mark.parametrize('domain, complaint', [
    ('', 'domain is required'),
    (None, 'domain is required'),
    ('http://travel0.us.auth0.com', 'clear text'),
    ('http://10.0.0.1:8080', 'clear text'),
    ('http://[2001:db8::1]', 'clear text'),
    ('http://localhost.attacker.example', 'clear text'),
    ('http://127.0.0.1.nip.io', 'clear text'),
    ('ftp://travel0.us.auth0.com', "scheme 'ftp'"),
    ('https:/travel0.us.auth0.com', 'without a path'),
    ('travel0.us.auth0.com/api/v2', 'without a path'),
    ('https://travel0.us.auth0.com/api/v2/', 'without a path'),
    ('travel0.us.auth0.com//', 'without a path'),
    ('travel0.us.auth0.com?x=1', 'without a path, query'),
    ('travel0.us.auth0.com#top', 'fragment'),
    ('admin:pw@travel0.us.auth0.com', 'user-info'),
    ('https://admin@travel0.us.auth0.com', 'user-info'),
    ('travel0.us.auth0.com\\evil.com', 'without a path'),
    ('travel0%2eus.auth0.com', 'without a path'),
    ('https://', 'without a path'),
    (' travel0.us.auth0.com', 'whitespace'),
    ('travel0.us.auth0.com ', 'whitespace'),
    ('travel0 .us.auth0.com', 'whitespace'),
    ('travel0.us.auth0.com\t', 'whitespace'),
    ('travel0.us.auth0.com\r\nX-Injected: 1', 'whitespace or control'),
    ('travel0.us.auth0.com\x00', 'control characters'),
    ('travel0.us.auth0.com\u200b', 'control characters'),
    ('b\u00fccher.example', 'not a valid host name'),
    ('travel0.us.auth0.\u0441om', 'not a valid host name'),
    ('-travel0.auth0.com', 'not a valid host name'),
    ('travel0..auth0.com', 'not a valid host name'),
    ('travel0_us.auth0.com', 'not a valid host name'),
    (':8443', 'not a valid host name'),
    ('::1', 'not a valid host name'),
    ('travel0.us.auth0.com:', 'invalid port'),
    ('travel0.us.auth0.com:0', 'invalid port'),
    ('travel0.us.auth0.com:65536', 'invalid port'),
    ('travel0.us.auth0.com:https', 'invalid port'),
    ('travel0.us.auth0.com:-1', 'invalid port'),
    ('travel0.us.auth0.com:80:80', 'invalid port'),
    ('travel0.us.auth0.com:\u00b2', 'invalid port'),
    ('travel0.us.auth0.com:\u0663', 'invalid port'),
    ('[::1', 'malformed IPv6'),
    ('[::1]8443', 'malformed IPv6'),
    ('[::1]:', 'invalid port'),
    ('[fe80::1%eth0]', 'without a path'),
    ('[not:an:address]', 'invalid IPv6'),
    ('[127.0.0.1]', 'invalid IPv6'),
])
def test_parse_domain_refuses(domain, complaint):
    with pytest.raises(Auth0ConfigError) as failure:
        parse_domain(domain)
    assert complaint in failure.value.message
    assert failure.value.status is None and failure.value.error_code is None


def test_parse_domain_names_the_option_and_clips_long_values():
    domain = 'a' * 300 + '/path'
    with pytest.raises(Auth0ConfigError) as failure:
        parse_domain(domain)
    assert failure.value.message.startswith('domain ')
    assert 'a' * 100 + '...' in failure.value.message
    assert 'a' * 101 not in failure.value.message


_DOMAIN_PIECES = list('aZ09.-:[]/@%?#\\ fhtps') + ['\u00b2', '\u0663', '\u00fc', '\n', '::1', '127.0.0.1', 'http://', 'https://']
_DOMAINISH = st.lists(st.sampled_from(_DOMAIN_PIECES), max_size=12).map(''.join)


@settings(max_examples=400, deadline=None, database=None)
@given(st.one_of(_DOMAINISH, st.text()))
def test_parse_domain_either_returns_a_clean_base_url_or_refuses(domain):
    try:
        base_url = parse_domain(domain)
    except Auth0ConfigError as error:
        assert error.message.startswith('domain ')
        return
    assert re.match(r'^https?://([a-z0-9.-]+|\[[0-9a-f:.]+\])(:[0-9]{1,5})?\Z', base_url), base_url
    if base_url.startswith('http://'):
        assert re.match(r'^http://(localhost|127\.[0-9.]+|\[::1\])(:|\Z)', base_url), base_url


# -- credentials and connection settings: explicit options first, environment last --------------

_NO_OPTIONS = {}
_ENV_TOKEN = {'AUTH0_API_TOKEN': 'env-token'}
_ENV_CLIENT = {'AUTH0_CLIENT_ID': 'env-id', 'AUTH0_CLIENT_SECRET': 'env-secret'}


@pytest.mark.parametrize('options, environ, expected', [
    ({'token': TOKEN}, {}, (TOKEN, None, None)),
    (_NO_OPTIONS, _ENV_TOKEN, ('env-token', None, None)),
    (_NO_OPTIONS, _ENV_CLIENT, (None, 'env-id', 'env-secret')),
    ({'client_id': CLIENT_ID, 'client_secret': CLIENT_SECRET}, {}, (None, CLIENT_ID, CLIENT_SECRET)),
    # explicit credentials of either kind beat the environment, whatever it holds
    ({'token': TOKEN}, _ENV_CLIENT, (TOKEN, None, None)),
    ({'token': TOKEN}, _ENV_TOKEN, (TOKEN, None, None)),
    ({'client_id': CLIENT_ID, 'client_secret': CLIENT_SECRET}, _ENV_TOKEN, (None, CLIENT_ID, CLIENT_SECRET)),
    ({'client_id': CLIENT_ID, 'client_secret': CLIENT_SECRET}, _ENV_CLIENT, (None, CLIENT_ID, CLIENT_SECRET)),
    # both kinds in the environment: the static token wins
    (_NO_OPTIONS, dict(_ENV_TOKEN, **_ENV_CLIENT), ('env-token', None, None)),
    # empty variables count as unset
    (_NO_OPTIONS, dict(_ENV_CLIENT, AUTH0_API_TOKEN=''), (None, 'env-id', 'env-secret')),
    ({'token': '', 'client_id': None}, _ENV_TOKEN, ('env-token', None, None)),
])
def test_resolve_connection_credentials(options, environ, expected):
    settings = resolve_connection(dict(options, domain=DOMAIN).get, environ)
    assert (settings['token'], settings['client_id'], settings['client_secret']) == expected


@pytest.mark.parametrize('options, environ, complaint', [
    ({'token': TOKEN, 'client_id': CLIENT_ID}, {}, 'mutually exclusive'),
    ({'token': TOKEN, 'client_secret': CLIENT_SECRET}, {}, 'mutually exclusive'),
    ({'token': TOKEN, 'client_id': CLIENT_ID, 'client_secret': CLIENT_SECRET}, {}, 'mutually exclusive'),
    ({'client_id': CLIENT_ID}, {}, 'must be given together with client_secret or client_assertion_private_key'),
    ({'client_secret': CLIENT_SECRET}, {}, 'must be given together'),
    # an explicit client_id is not completed from the environment
    ({'client_id': CLIENT_ID}, {'AUTH0_CLIENT_SECRET': 'env-secret'}, 'must be given together'),
    ({'client_id': CLIENT_ID}, _ENV_TOKEN, 'must be given together'),
    (_NO_OPTIONS, {'AUTH0_CLIENT_ID': 'env-id'},
     'AUTH0_CLIENT_ID environment variable with AUTH0_CLIENT_SECRET or AUTH0_CLIENT_ASSERTION_PRIVATE_KEY'),
    (_NO_OPTIONS, {'AUTH0_CLIENT_SECRET': 'env-secret'}, 'must be given together'),
    (_NO_OPTIONS, {}, 'No credentials'),
    (_NO_OPTIONS, {'AUTH0_API_TOKEN': '', 'AUTH0_DOMAIN': DOMAIN}, 'AUTH0_API_TOKEN'),
])
def test_resolve_connection_refuses(options, environ, complaint):
    with pytest.raises(Auth0ConfigError) as failure:
        resolve_connection(dict(options, domain=DOMAIN).get, environ)
    assert complaint in failure.value.message
    for secret in (TOKEN, CLIENT_SECRET, 'env-secret'):
        assert secret not in failure.value.message


_KEY = '-----BEGIN PRIVATE KEY-----\noption-key\n-----END PRIVATE KEY-----\n'
_ENV_KEY = {'AUTH0_CLIENT_ID': 'env-id', 'AUTH0_CLIENT_ASSERTION_PRIVATE_KEY': 'env-key',
            'AUTH0_CLIENT_ASSERTION_SIGNING_ALG': 'PS256'}


@pytest.mark.parametrize('options, environ, expected', [
    ({'client_id': CLIENT_ID, 'client_assertion_private_key': _KEY}, {}, (None, CLIENT_ID, None, _KEY, None)),
    ({'client_id': CLIENT_ID, 'client_assertion_private_key': _KEY, 'client_assertion_signing_alg': 'RS384'}, {},
     (None, CLIENT_ID, None, _KEY, 'RS384')),
    (_NO_OPTIONS, _ENV_KEY, (None, 'env-id', None, 'env-key', 'PS256')),
    # the algorithm goes with the key: an explicit one wins, the environment's only comes with its key
    ({'client_assertion_signing_alg': 'RS384'}, _ENV_KEY, (None, 'env-id', None, 'env-key', 'RS384')),
    ({'client_id': CLIENT_ID, 'client_assertion_private_key': _KEY}, _ENV_KEY, (None, CLIENT_ID, None, _KEY, None)),
    ({'client_assertion_signing_alg': 'RS384'}, _ENV_CLIENT, (None, 'env-id', 'env-secret', None, 'RS384')),
    (_NO_OPTIONS, dict(_ENV_CLIENT, AUTH0_CLIENT_ASSERTION_SIGNING_ALG='PS256'), (None, 'env-id', 'env-secret', None, None)),
    # explicit credentials of any kind beat a key in the environment, and a static token beats it there
    ({'token': TOKEN}, _ENV_KEY, (TOKEN, None, None, None, None)),
    ({'client_id': CLIENT_ID, 'client_secret': CLIENT_SECRET}, _ENV_KEY, (None, CLIENT_ID, CLIENT_SECRET, None, None)),
    (_NO_OPTIONS, dict(_ENV_KEY, **_ENV_TOKEN), ('env-token', None, None, None, None)),
    (_NO_OPTIONS, dict(_ENV_KEY, AUTH0_CLIENT_ASSERTION_PRIVATE_KEY=''), None),
])
def test_resolve_connection_private_key_jwt(options, environ, expected):
    get_option = dict(options, domain=DOMAIN).get
    if expected is None:
        with pytest.raises(Auth0ConfigError, match='client_id must be given together'):
            resolve_connection(get_option, environ)
        return
    settings = resolve_connection(get_option, environ)
    assert (settings['token'], settings['client_id'], settings['client_secret'], settings['client_assertion_private_key'],
            settings['client_assertion_signing_alg']) == expected


@pytest.mark.parametrize('options, environ, complaint', [
    ({'token': TOKEN, 'client_assertion_private_key': _KEY}, {}, 'token is mutually exclusive'),
    ({'client_id': CLIENT_ID, 'client_secret': CLIENT_SECRET, 'client_assertion_private_key': _KEY}, {},
     'client_secret is mutually exclusive with token and client_assertion_private_key'),
    (_NO_OPTIONS, dict(_ENV_KEY, AUTH0_CLIENT_SECRET='env-secret'),
     'AUTH0_CLIENT_SECRET and AUTH0_CLIENT_ASSERTION_PRIVATE_KEY environment variables: unset one'),
    ({'client_assertion_private_key': _KEY}, {}, 'client_id must be given together'),
    ({'client_id': CLIENT_ID}, {'AUTH0_CLIENT_ASSERTION_PRIVATE_KEY': 'env-key'}, 'client_id must be given together'),
])
def test_resolve_connection_refuses_mixed_private_key_jwt(options, environ, complaint):
    with pytest.raises(Auth0ConfigError) as failure:
        resolve_connection(dict(options, domain=DOMAIN).get, environ)
    assert complaint in failure.value.message
    for secret in (_KEY, 'option-key', 'env-key', 'env-secret', CLIENT_SECRET):
        assert secret not in failure.value.message


@pytest.mark.parametrize('options, environ, domain, audience', [
    ({'domain': DOMAIN}, {}, DOMAIN, None),
    ({}, {'AUTH0_DOMAIN': 'env.eu.auth0.com'}, 'env.eu.auth0.com', None),
    ({'domain': DOMAIN}, {'AUTH0_DOMAIN': 'env.eu.auth0.com'}, DOMAIN, None),
    ({'domain': DOMAIN, 'audience': 'https://a/api/v2/'}, {}, DOMAIN, 'https://a/api/v2/'),
    ({'domain': DOMAIN}, {'AUTH0_AUDIENCE': 'https://env/api/v2/'}, DOMAIN, 'https://env/api/v2/'),
    ({'domain': DOMAIN, 'audience': 'https://a/api/v2/'}, {'AUTH0_AUDIENCE': 'https://env/api/v2/'}, DOMAIN,
     'https://a/api/v2/'),
    ({'domain': DOMAIN}, {'AUTH0_AUDIENCE': ''}, DOMAIN, None),
])
def test_resolve_connection_domain_and_audience(options, environ, domain, audience):
    settings = resolve_connection(dict(options, token=TOKEN).get, environ)
    assert settings['domain'] == domain
    assert settings['audience'] == audience


def test_resolve_connection_passes_transport_options_through():
    options = dict(domain=DOMAIN, token=TOKEN, timeout=7, max_retries=0, rate_limit_timeout=9,
                   max_concurrent_requests=2, validate_certs=False, ca_path='/ca.pem')
    settings = resolve_connection(options.get, {})
    assert settings == dict(domain=DOMAIN, token=TOKEN, client_id=None, client_secret=None,
                            client_assertion_private_key=None, client_assertion_signing_alg=None, audience=None,
                            timeout=7, max_retries=0, rate_limit_timeout=9, max_concurrent_requests=2,
                            validate_certs=False, ca_path='/ca.pem')


def test_resolve_connection_reads_the_environment_when_called(monkeypatch):
    options = dict(domain=None).get
    monkeypatch.setenv('AUTH0_DOMAIN', 'late.eu.auth0.com')
    monkeypatch.setenv('AUTH0_API_TOKEN', 'late-token')
    settings = resolve_connection(options)
    assert (settings['domain'], settings['token']) == ('late.eu.auth0.com', 'late-token')
    monkeypatch.setenv('AUTH0_API_TOKEN', 'later-token')
    assert resolve_connection(options)['token'] == 'later-token'


# -- client options checked before any request ---------------------------------------------------

@pytest.mark.parametrize('options, complaint', [
    (dict(domain='http://travel0.us.auth0.com'), 'clear text'),
    (dict(token=None), 'No credentials'),
    (dict(token=None, client_id=CLIENT_ID), 'client_id must be given together with client_secret'),
    (dict(timeout=0), 'timeout must be from 1 to 3600 seconds, not 0'),
    (dict(timeout=3601), 'timeout must be from 1 to 3600 seconds, not 3601'),
    (dict(max_retries=-1), 'max_retries must be 0 or more'),
    (dict(rate_limit_timeout=-1), 'rate_limit_timeout must be 0 or more seconds'),
    (dict(max_concurrent_requests=0), 'max_concurrent_requests must be from 1 to 16, not 0'),
    (dict(max_concurrent_requests=17), 'max_concurrent_requests must be from 1 to 16, not 17'),
    (dict(ca_path='/nonexistent/ca.pem'), "ca_path '/nonexistent/ca.pem' is not a readable file"),
])
def test_client_refuses_bad_options(api, make_client, options, complaint):
    with pytest.raises(Auth0ConfigError) as failure:
        make_client(**options)
    assert complaint in failure.value.message
    assert not api.calls
