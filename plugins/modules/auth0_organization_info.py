#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: auth0_organization_info
short_description: Read one or every Auth0 Organization
version_added: 1.0.0
description:
  - Returns one Auth0 Organization by O(org_id) or O(org_name), or, with neither, every organization of the tenant
    through checkpoint paging (no 1000-record cap).
  - With O(include_members=true) each organization also carries its members, read for the whole tenant in one task
    with one HTTP session and at most one token, several organizations at once (O(max_concurrent_requests)), each in
    the fewest requests (see M(community.auth0.auth0_org_members_info)) and paced on Auth0's rate-limit headers.
  - Needs the Management API scope C(read:organizations); with members also C(read:organization_members), and
    C(read:organization_member_roles) with roles.
author:
  - community.auth0 maintainers (@ansible-collections)
extends_documentation_fragment:
  - community.auth0.auth0
  - community.auth0.auth0.token
  - community.auth0.auth0.concurrency
  - community.auth0.auth0.actiongroup_auth0
  - community.auth0.auth0.info_module
  - community.auth0.auth0.member_fields
options:
  org_id:
    description:
      - Read only this organization, by id (V(org_) followed by letters and digits).
    type: str
  org_name:
    description:
      - Read only this organization, by name.
    type: str
  per_page:
    description:
      - Organizations per request when listing all of them, from V(1) to V(100).
    type: int
    default: 100
  include_members:
    description:
      - Give each organization its V(members) and V(member_count).
      - O(fields), O(include_fields) and O(include_roles) select the members' fields exactly as in
        M(community.auth0.auth0_org_members_info). O(fields) and O(include_roles) are refused without
        O(include_members=true); O(include_fields) has no effect without it.
      - A failure reading any organization fails the task, naming that organization; no partial list is returned.
    type: bool
    default: false
'''

EXAMPLES = r'''
- name: Every organization of the tenant
  community.auth0.auth0_organization_info:
    domain: travel0.us.auth0.com
    client_id: "{{ auth0_client_id }}"
    client_secret: "{{ auth0_client_secret }}"
  register: tenant_orgs

- name: Member count of each organization, in one task (not a loop of auth0_org_members_info)
  community.auth0.auth0_organization_info:
    domain: travel0.us.auth0.com
    client_id: "{{ auth0_client_id }}"
    client_secret: "{{ auth0_client_secret }}"
    include_members: true
    fields: [user_id]
  register: counted

- name: Show the member count of each organization by name
  ansible.builtin.debug:
    msg: "{{ counted.organizations | items2dict(key_name='name', value_name='member_count') }}"

- name: One organization by name
  community.auth0.auth0_organization_info:
    domain: travel0.us.auth0.com
    client_id: "{{ auth0_client_id }}"
    client_secret: "{{ auth0_client_secret }}"
    org_name: travel0-partners

- name: Every organization with its members and their roles, in one task
  community.auth0.auth0_organization_info:
    domain: travel0.us.auth0.com
    client_id: "{{ auth0_client_id }}"
    client_secret: "{{ auth0_client_secret }}"
    include_members: true
    include_roles: true
    fields: [user_id, email]
  register: tenant

- name: Nobody outside the company's domain holds a role, in any organization
  ansible.builtin.assert:
    that: outsiders | length == 0
    fail_msg: "Members with roles outside example.com: {{ outsiders }}"
  vars:
    outsiders: "{{ tenant.organizations | map(attribute='members') | flatten | selectattr('roles')
                   | rejectattr('email', 'search', '@example\\.com$') | map(attribute='email') | list }}"
'''

RETURN = r'''
organizations:
  description: The organizations as Auth0 returns them; one element when O(org_id) or O(org_name) is given.
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: The organization's id.
      type: str
      returned: always
      sample: org_W30Ft8gJJmwlnOHU
    name:
      description: The organization's name.
      type: str
      returned: always
      sample: travel0-partners
    display_name:
      description: The organization's display name.
      type: str
      returned: when set
      sample: Travel0 Partners
    branding:
      description: Logo and colours shown on the organization's login pages.
      type: dict
      returned: when set
      sample: {"logo_url": "https://example.com/logo.png"}
    metadata:
      description: The organization's metadata.
      type: dict
      returned: when set
      sample: {"tier": "gold"}
    members:
      description:
        - The organization's members, exactly as M(community.auth0.auth0_org_members_info) returns them.
      type: list
      elements: dict
      returned: with O(include_members=true)
      sample: [{"user_id": "auth0|5f1c2e", "email": "jane@travel0.com", "name": "Jane", "picture": "https://example.com/j.png"}]
    member_count:
      description: How many members the organization has.
      type: int
      returned: with O(include_members=true)
      sample: 5
count:
  description: How many organizations were returned.
  returned: success
  type: int
  sample: 12
status:
  description: HTTP status of Auth0's answer, on failure when there was one.
  returned: failure
  type: int
  sample: 404
error_code:
  description: Auth0's C(errorCode), on failure when Auth0 gave one.
  returned: failure
  type: str
  sample: insufficient_scope
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.community.auth0.plugins.module_utils._auth0_module import (
    auth0_module_kwargs,
    member_fields_argument_spec,
    member_fields_of,
    page_size_argument_spec,
    run_module,
)


def main():
    options = dict(
        org_id=dict(type='str'),
        org_name=dict(type='str'),
        include_members=dict(type='bool', default=False),
    )
    options.update(page_size_argument_spec())
    options.update(member_fields_argument_spec())
    module = AnsibleModule(**auth0_module_kwargs(options, mutually_exclusive=[('org_id', 'org_name')]))
    params = module.params
    if not params['include_members'] and (params['fields'] or params['include_roles']):
        module.fail_json(msg='fields and include_roles select the members\' fields; they need include_members=true.')

    def read_organizations(client):
        if params['org_id'] or params['org_name']:
            organizations = [client.organization(org_id=params['org_id'], org_name=params['org_name'])]
            if params['include_members']:
                organizations = client.with_members(organizations, **member_fields_of(params))
        elif params['include_members']:
            organizations = client.organizations_with_members(per_page=params['per_page'], **member_fields_of(params))
        else:
            organizations = client.organizations(per_page=params['per_page'])
        return dict(organizations=organizations, count=len(organizations))

    run_module(module, read_organizations)


if __name__ == '__main__':
    main()
