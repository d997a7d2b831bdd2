# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the collection's controller-side plugins (lookups, inventory) share: one way to build the client.

For internal collection use only.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.community.auth0.plugins.module_utils._auth0 import Auth0Error, client_from_options


def run_with_client(get_option, operation, error_class):
    """operation(client), with a client built from a plugin's options (AUTH0_* environment variables last).

    A failure of the client becomes error_class (AnsibleLookupError, AnsibleParserError, ...) carrying
    its message, which says what was attempted and holds no credential.
    """
    try:
        return operation(client_from_options(get_option))
    except Auth0Error as error:
        failure = error.message
    # Raised outside the except block so no chained traceback reaches the user.
    raise error_class(failure)
