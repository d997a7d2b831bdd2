# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""run_with_client: how lookups and the inventory plugin build their client and report its failures."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible.errors import AnsibleLookupError, AnsibleParserError

from ansible_collections.community.auth0.plugins.plugin_utils._auth0_plugin import run_with_client
from ansible_collections.community.auth0.tests.unit.plugins.auth0_support import (
    CLIENT_ID, CLIENT_SECRET, DOMAIN, MINTED_TOKEN, TOKEN_URL,
)


def options(**given):
    return given


def test_the_client_is_built_from_the_options_with_the_environment_last(monkeypatch):
    monkeypatch.setenv('AUTH0_DOMAIN', 'elsewhere.eu.auth0.com')
    monkeypatch.setenv('AUTH0_CLIENT_ID', CLIENT_ID)
    monkeypatch.setenv('AUTH0_CLIENT_SECRET', CLIENT_SECRET)
    client = run_with_client(options(domain=DOMAIN, max_concurrent_requests=7), lambda built: built,
                             AnsibleLookupError)
    assert client.host == DOMAIN
    assert client._auth.method.mints_tokens  # pylint: disable=protected-access
    assert client._transport.max_concurrent_requests == 7  # pylint: disable=protected-access


@pytest.mark.parametrize('error_class', [AnsibleLookupError, AnsibleParserError])
def test_a_client_failure_becomes_the_plugins_error_with_its_message(api, error_class):
    api.add('POST', TOKEN_URL, status=401, json={'error': 'access_denied', 'error_description': 'Unauthorized'})
    settings = options(domain=DOMAIN, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    with pytest.raises(error_class) as raised:
        run_with_client(settings, lambda client: client.access_token(), error_class)
    assert 'Check client_id and client_secret' in str(raised.value)
    assert CLIENT_SECRET not in str(raised.value) and MINTED_TOKEN not in str(raised.value)
    # No chained traceback of the client's exception.
    assert raised.value.__context__ is None and raised.value.__cause__ is None


def test_an_option_error_is_reported_before_any_request(api):
    with pytest.raises(AnsibleParserError) as raised:
        run_with_client(options(domain=DOMAIN), lambda client: client.organizations(), AnsibleParserError)
    assert str(raised.value).startswith('No credentials')
    assert len(api.calls) == 0


def test_other_exceptions_are_not_disguised():
    def broken(client):
        raise KeyError('a bug')
    with pytest.raises(KeyError):
        run_with_client(options(domain=DOMAIN, token='t'), broken, AnsibleParserError)
