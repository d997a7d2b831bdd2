# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the collection's controller-side plugins (lookups, inventory) share: one way to build the client.

For internal collection use only.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.community.auth0.plugins.module_utils._auth0 import Auth0Client
from ansible_collections.community.auth0.plugins.module_utils._auth0_errors import Auth0Error
from ansible_collections.community.auth0.plugins.module_utils._auth0_masking import register_connection_secrets
from ansible_collections.community.auth0.plugins.module_utils._authenticator import AUTH_METHODS
from ansible_collections.community.auth0.plugins.module_utils._connection_options import resolve_connection


def run_with_client(options, operation, error_class, methods=AUTH_METHODS):
    """operation(client), with a client built from a plugin's options (AUTH0_* environment variables last).

    `options` is the plugin's option dictionary (get_options()): an option the plugin does not
    document reads as unset. `methods` are the credential methods the plugin accepts.
    The credentials are registered for ansible-core 2.22+'s secret masking, wherever they came from.
    A failure of the client becomes error_class (AnsibleLookupError, AnsibleParserError, ...) carrying
    its message, which says what was attempted and holds no credential.
    """
    try:
        settings = resolve_connection(options.get, methods=methods)
        register_connection_secrets(settings)
        return operation(Auth0Client(**settings))
    except Auth0Error as error:
        failure = error.message
    # Raised outside the except block so no chained traceback reaches the user.
    raise error_class(failure)
