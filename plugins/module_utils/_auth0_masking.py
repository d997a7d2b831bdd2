# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Tell ansible-core which values are secrets, so that it masks them in everything it prints.

For internal collection use only. ansible-core 2.22 and later keep a registry of secrets and mask
them in all output (results shown by callbacks, warnings, errors, logs); before 2.22 there is no
registry and registering does nothing (modules rely on no_log and module.no_log_values there).
Values ansible-core does not register by itself need this: credentials read from AUTH0_* variables
(a token, a client secret or a private key), and the token the management_token lookup returns. Documenting `secret: true` on the lookups'
options would register those options, but ansible-test sanity 2.17 and 2.18 refuse that key.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.community.auth0.plugins.module_utils._authenticator import secret_option_names

try:
    from ansible.module_utils.secrets import register_secrets
except ImportError:
    register_secrets = None


def register_for_masking(secrets):
    """Register these values (empty ones are skipped) with ansible-core's secret masking; return them as a list."""
    secrets = [secret for secret in secrets if secret]
    if register_secrets:
        register_secrets(secrets)
    return secrets


def register_connection_secrets(settings):
    """Register the credentials of resolve_connection()'s settings for masking; return them as a list."""
    return register_for_masking(settings.get(name) for name in secret_option_names())
