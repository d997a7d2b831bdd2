# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What every credential method declares (_credential_method.py): its options and their argument spec."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.community.auth0.plugins.module_utils._credential_method import (
    CredentialMethod,
    CredentialOption,
)


class TwoOptionMethod(CredentialMethod):
    NAME = 'two_options'
    OPTIONS = (CredentialOption('key', 'AUTH0_KEY', secret=True),
               CredentialOption('key_alg', 'AUTH0_KEY_ALG', required=False, choices=('RS256', 'PS256')))


def test_an_option_is_required_and_not_secret_unless_declared():
    option = CredentialOption('client_id', 'AUTH0_CLIENT_ID')
    assert (option.name, option.env, option.secret, option.required, option.choices) == (
        'client_id', 'AUTH0_CLIENT_ID', False, True, None)


@pytest.mark.parametrize('option, spec', [
    (CredentialOption('client_id', 'AUTH0_CLIENT_ID'), dict(type='str', no_log=False)),
    (CredentialOption('client_secret', 'AUTH0_CLIENT_SECRET', secret=True), dict(type='str', no_log=True)),
    (CredentialOption('alg', 'AUTH0_ALG', required=False, choices=('RS256', 'PS256')),
     dict(type='str', no_log=False, choices=['RS256', 'PS256'])),
])
def test_argument_spec_masks_secrets_and_has_no_environment_fallback(option, spec):
    assert option.argument_spec() == spec


def test_a_method_names_its_options_and_the_required_ones():
    assert TwoOptionMethod.option_names() == ('key', 'key_alg')
    assert TwoOptionMethod.required_options() == ('key',)
    assert CredentialMethod.option_names() == () and CredentialMethod.mints_tokens is False


def test_a_method_must_say_which_values_are_secret():
    with pytest.raises(NotImplementedError):
        TwoOptionMethod().secret_values()
