# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The client-credentials method (_auth_method_client_credentials.py): client_id and client_secret for a token."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.community.auth0.plugins.module_utils._auth_method_client_credentials import (
    ClientCredentialsMethod,
)
from ansible_collections.community.auth0.tests.unit.plugins.auth0_support import BASE, CLIENT_ID, CLIENT_SECRET

AUDIENCE = BASE + '/api/v2/'


def method():
    return ClientCredentialsMethod({'client_id': CLIENT_ID, 'client_secret': CLIENT_SECRET})


def test_declares_client_id_and_a_secret_client_secret():
    assert ClientCredentialsMethod.NAME == 'client_secret'
    declared = [(option.name, option.env, option.secret, option.required) for option in ClientCredentialsMethod.OPTIONS]
    assert declared == [('client_id', 'AUTH0_CLIENT_ID', False, True),
                        ('client_secret', 'AUTH0_CLIENT_SECRET', True, True)]
    assert ClientCredentialsMethod.mints_tokens is True


def test_token_form_is_the_client_credentials_grant():
    assert method().token_form(AUDIENCE, BASE) == {'grant_type': 'client_credentials', 'client_id': CLIENT_ID,
                                                   'client_secret': CLIENT_SECRET, 'audience': AUDIENCE}


def test_only_the_secret_is_secret():
    assert method().client_id == CLIENT_ID
    assert method().secret_values() == (CLIENT_SECRET,)


@pytest.mark.parametrize('status, error_code, hint', [
    (401, 'access_denied', 'Check client_id and client_secret.'),
    (401, None, 'Check client_id and client_secret.'),
    (400, 'invalid_request', 'Check the client credentials and audience.'),
    (429, 'too_many_requests', 'Check the client credentials and audience.'),
])
def test_refusal_hints(status, error_code, hint):
    assert method().refusal_hint(status, error_code) == hint
