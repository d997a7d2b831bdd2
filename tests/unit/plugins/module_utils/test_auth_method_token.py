# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The static token method (_auth_method_token.py): the token the user gives, used as given."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.community.auth0.plugins.module_utils._auth0_errors import Auth0ConfigError
from ansible_collections.community.auth0.plugins.module_utils._auth_method_token import StaticTokenMethod
from ansible_collections.community.auth0.tests.unit.plugins.auth0_support import TOKEN


def test_declares_one_secret_option_bound_to_auth0_api_token():
    assert StaticTokenMethod.NAME == 'token'
    assert [(option.name, option.env, option.secret) for option in StaticTokenMethod.OPTIONS] == [
        ('token', 'AUTH0_API_TOKEN', True)]
    assert StaticTokenMethod.mints_tokens is False


def test_the_token_is_used_as_given_and_is_secret():
    method = StaticTokenMethod({'token': TOKEN})
    assert method.token == TOKEN
    assert method.secret_values() == (TOKEN,)


@pytest.mark.parametrize('token', [TOKEN + '\n', TOKEN + ' ', ' ' + TOKEN, 'eyJ0eXAi.\tsig', TOKEN + '\r\n',
                                   'eyJ0eXAi.\x00sig', 'eyJ0eXAi.\u00a0sig'])
def test_refuses_whitespace_and_control_characters_without_quoting_the_token(token):
    with pytest.raises(Auth0ConfigError) as failure:
        StaticTokenMethod({'token': token})
    assert failure.value.message.startswith('token contains whitespace or control characters')
    assert 'give the bare token' in failure.value.message
    assert 'static-TOKEN' not in failure.value.message
