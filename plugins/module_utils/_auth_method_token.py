# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Authentication with a Management API token the user already has (option token, AUTH0_API_TOKEN).

For internal collection use only: names here may change in any release.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.community.auth0.plugins.module_utils._auth0_errors import Auth0ConfigError
from ansible_collections.community.auth0.plugins.module_utils._credential_method import (
    CredentialMethod,
    CredentialOption,
)


class StaticTokenMethod(CredentialMethod):
    """A token used as given: never minted, so never refreshed either."""

    NAME = 'token'
    OPTIONS = (CredentialOption('token', 'AUTH0_API_TOKEN', secret=True),)
    mints_tokens = False

    def __init__(self, settings, clock=None):  # pylint: disable=unused-argument
        token = settings['token']
        if any(char.isspace() or not char.isprintable() for char in token):
            # requests would refuse the header with an error quoting it, escaped past no_log's masking.
            raise Auth0ConfigError('token contains whitespace or control characters (e.g. a trailing newline from a '
                                   'file or a YAML block scalar); give the bare token.')
        self.token = token

    def secret_values(self):
        return (self.token,)
