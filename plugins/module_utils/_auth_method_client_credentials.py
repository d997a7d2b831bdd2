# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Authentication with a machine-to-machine application's client id and secret (client-credentials grant).

For internal collection use only: names here may change in any release.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ClientCredentialsMethod:
    """Mints Management API tokens with `client_secret`; the authenticator sends the form to /oauth/token."""

    mints_tokens = True

    def __init__(self, client_id, client_secret):
        self.client_id = client_id
        self._client_secret = client_secret

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
