# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Authentication with a machine-to-machine application's client id and secret (client-credentials grant).

For internal collection use only: names here may change in any release.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.community.auth0.plugins.module_utils._credential_method import (
    CredentialMethod,
    CredentialOption,
)

CLIENT_ID = CredentialOption('client_id', 'AUTH0_CLIENT_ID')


class ClientCredentialsMethod(CredentialMethod):
    """Mints Management API tokens with `client_secret`; the authenticator sends the form to /oauth/token."""

    NAME = 'client_secret'
    OPTIONS = (CLIENT_ID, CredentialOption('client_secret', 'AUTH0_CLIENT_SECRET', secret=True))
    mints_tokens = True

    def __init__(self, settings, clock=None):  # pylint: disable=unused-argument
        self.client_id = settings['client_id']
        self._client_secret = settings['client_secret']

    def token_form(self, audience, base_url):  # pylint: disable=unused-argument
        return {
            'grant_type': 'client_credentials',
            'client_id': self.client_id,
            'client_secret': self._client_secret,
            'audience': audience,
        }

    def secret_values(self):
        return (self._client_secret,)

    @staticmethod
    def refusal_hint(status, error_code):  # pylint: disable=unused-argument
        if status == 401:
            return 'Check client_id and client_secret.'
        return 'Check the client credentials and audience.'
