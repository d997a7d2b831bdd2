# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Base of the collection's lookups: options in, one client, Auth0 errors out as lookup errors.

For internal collection use only.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

from ansible_collections.community.auth0.plugins.module_utils._authenticator import AUTH_METHODS
from ansible_collections.community.auth0.plugins.plugin_utils._auth0_plugin import run_with_client


class Auth0LookupBase(LookupBase):
    """Subclasses implement lookup(client, terms) and return the lookup's list of values.

    AUTH_METHODS: the credential methods the lookup accepts (its documented options must match).
    """

    AUTH_METHODS = AUTH_METHODS

    def lookup(self, client, terms):
        raise NotImplementedError

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        return run_with_client(self.get_options(), lambda client: self.lookup(client, terms), AnsibleLookupError,
                               self.AUTH_METHODS)
