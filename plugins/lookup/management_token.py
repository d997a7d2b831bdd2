# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
name: management_token
short_description: Get one Auth0 Management API token with client credentials
version_added: 1.0.0
description:
  - Requests a Management API access token once, with the client-credentials grant (a client secret or Private Key
    JWT), so a play can hand the same token to every community.auth0 task (for example through C(module_defaults))
    instead of each task requesting its own. Machine-to-machine tokens count against a monthly quota on many Auth0
    plans.
  - The lookup never prints the token. Mark tasks that display it with C(no_log).
  - Takes no terms.
author:
  - community.auth0 maintainers (@ansible-collections)
extends_documentation_fragment:
  - community.auth0.auth0
  - community.auth0.auth0.plugins
notes:
  - Give O(client_id) with O(client_secret) or O(client_assertion_private_key), or set E(AUTH0_CLIENT_ID) with
    E(AUTH0_CLIENT_SECRET) or E(AUTH0_CLIENT_ASSERTION_PRIVATE_KEY). A token in E(AUTH0_API_TOKEN) is not used,
    since the lookup's job is to request one.
'''

EXAMPLES = r'''
# Credentials from AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET. set_fact evaluates the lookup once; a lookup
# in play vars would run again every time the variable is used.
- name: Get one Management API token for the rest of the play
  ansible.builtin.set_fact:
    auth0_token: "{{ lookup('community.auth0.management_token', domain='travel0.us.auth0.com') }}"
  no_log: true

# An application that authenticates with Private Key JWT: no client secret, the private key from a vaulted file.
- name: Get one Management API token without a client secret
  ansible.builtin.set_fact:
    auth0_token: >-
      {{ lookup('community.auth0.management_token', domain='travel0.us.auth0.com', client_id=auth0_jwt_client_id,
                client_assertion_private_key=lookup('ansible.builtin.file', 'auth0-m2m.pem')) }}
  no_log: true

- name: Use it in every community.auth0 task
  community.auth0.auth0_org_members_info:
    domain: travel0.us.auth0.com
    token: "{{ auth0_token }}"
    org_name: travel0-partners
  register: partners
'''

RETURN = r'''
_raw:
  description:
    - A list with one element, the access token (a JWT).
  type: list
  elements: str
'''

from ansible_collections.community.auth0.plugins.module_utils._auth0_errors import Auth0ConfigError
from ansible_collections.community.auth0.plugins.module_utils._auth0_masking import register_for_masking
from ansible_collections.community.auth0.plugins.module_utils._authenticator import minting_methods
from ansible_collections.community.auth0.plugins.plugin_utils._auth0_lookup import Auth0LookupBase


class LookupModule(Auth0LookupBase):

    # Its job is to request a token: a token in AUTH0_API_TOKEN (an AWX credential with every field
    # filled in) must not stand in for the client credentials beside it.
    AUTH_METHODS = minting_methods()

    def lookup(self, client, terms):
        if terms:
            raise Auth0ConfigError('management_token takes no terms; give options such as domain=... instead.')
        # ansible-core 2.22+ then masks the token wherever it would print it; tasks still get the real value.
        return register_for_masking([client.access_token()])
