# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
name: org_members
short_description: Members of Auth0 Organizations, for templates and loops
version_added: 1.0.0
description:
  - Returns the members of each Auth0 Organization given as a term, on the controller.
  - Same paging, retries, errors and options as the M(community.auth0.auth0_org_members_info) module. All terms share
    one HTTP session and one token, and several terms are read at once (O(max_concurrent_requests)); the lists come
    back in the order of the terms.
  - With one term the result is that organization's list of members; with several, one list per term.
author:
  - community.auth0 maintainers (@ansible-collections)
extends_documentation_fragment:
  - community.auth0.auth0
  - community.auth0.auth0.token
  - community.auth0.auth0.concurrency
  - community.auth0.auth0.plugins
  - community.auth0.auth0.member_fields
  - community.auth0.auth0.member_paging
options:
  _terms:
    description:
      - The organizations, each an id (V(org_) followed by letters and digits) or a name, as in the
        P(community.auth0.organizations#inventory) inventory's O(community.auth0.organizations#inventory:organizations).
    type: list
    elements: str
    required: true
  by_name:
    description:
      - Read every term as a name, even one that looks like an id (an organization named V(org_sales)).
    type: bool
    default: false
'''

EXAMPLES = r'''
- name: Emails of every member of one organization (credentials from AUTH0_* environment variables)
  ansible.builtin.debug:
    msg: "{{ lookup('community.auth0.org_members', 'org_W30Ft8gJJmwlnOHU', domain='travel0.us.auth0.com') | map(attribute='email') }}"

- name: Member counts of several organizations, looked up by name with one token
  ansible.builtin.debug:
    msg: "{{ item.0 }}: {{ item.1 | length }} members"
  loop: "{{ names | zip(query('community.auth0.org_members', *names, by_name=true, fields=['user_id'])) }}"
  vars:
    names: [travel0-partners, travel0-staff]
'''

RETURN = r'''
_raw:
  description:
    - One list of member dictionaries per term, each as Auth0 returns it (V(user_id), V(email), V(name), V(picture),
      and V(roles) when asked).
  type: list
  elements: list
'''

from ansible_collections.community.auth0.plugins.plugin_utils._auth0_lookup import Auth0LookupBase


class LookupModule(Auth0LookupBase):

    def lookup(self, client, terms):
        # fields' choices are checked by Ansible's plugin configuration, from the shared doc fragment.
        return client.members_of(terms, by_name=self.get_option('by_name'), fields=self.get_option('fields'),
                                 include_fields=self.get_option('include_fields'),
                                 include_roles=self.get_option('include_roles'), per_page=self.get_option('per_page'))
