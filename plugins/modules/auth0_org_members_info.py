#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: auth0_org_members_info
short_description: List the members of an Auth0 Organization
version_added: 1.0.0
description:
  - Returns the members of one Auth0 Organization, optionally with their directly assigned roles.
  - Without O(page), every member is returned in the fewest requests, one request up to O(per_page) members, one
    per O(per_page) members up to Auth0's 1000-record offset cap, and past it checkpoint paging (two requests more),
    so organizations of any size come back whole. A membership that changes between offset pages is read again by
    checkpoint; paging that repeats a cursor or a member fails the task rather than returning a partial list.
  - Needs the Management API scope C(read:organization_members); C(read:organization_member_roles) with roles;
    C(read:organizations) with O(org_name).
author:
  - community.auth0 maintainers (@ansible-collections)
extends_documentation_fragment:
  - community.auth0.auth0
  - community.auth0.auth0.token
  - community.auth0.auth0.concurrency
  - community.auth0.auth0.actiongroup_auth0
  - community.auth0.auth0.info_module
  - community.auth0.auth0.member_fields
  - community.auth0.auth0.member_paging
options:
  org_id:
    description:
      - The Organization id, V(org_) followed by letters and digits. Anything else is refused before any request.
      - Exactly one of O(org_id) and O(org_name) is required.
    type: str
  org_name:
    description:
      - The Organization name, resolved to its id with C(GET /api/v2/organizations/name/{name}).
    type: str
  page:
    description:
      - Return only this offset page (first page is V(0)) of O(per_page) members.
      - Auth0 refuses offset pages past the first 1000 records; omit O(page) to get every member.
    type: int
'''

EXAMPLES = r'''
- name: List every member of an organization
  community.auth0.auth0_org_members_info:
    domain: travel0.us.auth0.com
    client_id: "{{ auth0_client_id }}"
    client_secret: "{{ auth0_client_secret }}"
    org_id: org_W30Ft8gJJmwlnOHU
  register: org

- name: Members with their roles, by organization name, credentials from AUTH0_* environment variables
  community.auth0.auth0_org_members_info:
    org_name: travel0-partners
    include_roles: true
  register: partners

- name: Email addresses of the members holding the admin role
  ansible.builtin.debug:
    msg: "{{ partners.members | subelements('roles') | selectattr('1.name', 'equalto', 'admin') | map(attribute='0.email') }}"

- name: Only user ids and emails
  community.auth0.auth0_org_members_info:
    org_id: org_W30Ft8gJJmwlnOHU
    fields: [user_id, email]

- name: One offset page of 50 members
  community.auth0.auth0_org_members_info:
    org_id: org_W30Ft8gJJmwlnOHU
    page: 0
    per_page: 50
'''

RETURN = r'''
members:
  description: The organization's members as Auth0 returns them, in Auth0's order.
  returned: success
  type: list
  elements: dict
  contains:
    user_id:
      description: The user's id.
      type: str
      returned: unless excluded by O(fields)
      sample: auth0|6410784d38b3e02b77fdd65f
    email:
      description: The user's email address.
      type: str
      returned: unless excluded by O(fields)
      sample: chuck@example.com
    name:
      description: The user's name.
      type: str
      returned: unless excluded by O(fields)
      sample: Chuck Sanchez
    picture:
      description: URL of the user's picture.
      type: str
      returned: unless excluded by O(fields)
      sample: https://example.com/chuck.png
    roles:
      description: Roles assigned to the member in this organization.
      type: list
      elements: dict
      returned: with O(include_roles=true) or V(roles) in O(fields)
      sample: [{"id": "rol_0ZrHUcCTLnWfPqWl", "name": "admin"}]
count:
  description: How many members were returned.
  returned: success
  type: int
  sample: 2500
organization:
  description: The organization the members belong to.
  returned: success
  type: dict
  contains:
    id:
      description: The organization's id.
      type: str
      returned: always
      sample: org_W30Ft8gJJmwlnOHU
    name:
      description: The organization's name.
      type: str
      returned: when looked up by O(org_name)
      sample: travel0-partners
    display_name:
      description: The organization's display name.
      type: str
      returned: when looked up by O(org_name) and set
      sample: Travel0 Partners
status:
  description: HTTP status of Auth0's answer, on failure when there was one.
  returned: failure
  type: int
  sample: 403
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
        page=dict(type='int'),
    )
    options.update(page_size_argument_spec())
    options.update(member_fields_argument_spec())
    module = AnsibleModule(**auth0_module_kwargs(
        options,
        mutually_exclusive=[('org_id', 'org_name')],
        required_one_of=[('org_id', 'org_name')],
    ))
    params = module.params

    def list_members(client):
        organization, members = client.organization_members(
            org_id=params['org_id'], org_name=params['org_name'], page=params['page'], per_page=params['per_page'],
            **member_fields_of(params))
        return dict(members=members, count=len(members), organization=organization)

    run_module(module, list_members)


if __name__ == '__main__':
    main()
