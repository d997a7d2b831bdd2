#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: auth0_org_members
short_description: Manage the members of an Auth0 Organization and their roles
version_added: 1.0.0
description:
  - Adds members to an Auth0 Organization, removes them, and grants or revokes their roles in it, the managing twin of
    M(community.auth0.auth0_org_members_info).
  - Run in check mode with C(--diff), it is a compliance report. Check mode does every read, reports exactly what a real
    run would change, and writes nothing; the diff lists the members concerned, each as its email and user id with its
    role names, sorted.
  - Every email and role is resolved, and every entry checked, before the first write, so a task with one bad entry
    changes nothing.
  - Writes go in the fewest requests Auth0 allows, paced on its rate-limit headers; nothing is sent for what already
    holds, so a second run reports C(changed=false) and writes nothing.
  - If a write fails part-way, the task fails with a message naming what was not applied, and its result still lists
    exactly what was (RV(added), RV(removed), RV(roles_granted), RV(roles_revoked), with RV(changed=true) when anything
    was). Running the task again applies only what is missing.
  - Needs the Management API scopes C(read:organization_members) and C(read:organization_member_roles) to read the
    members, C(read:organizations) (with O(org_name), and to check a few users' memberships in a large
    organization), C(read:users) for emails, C(read:roles) for roles, and to write C(create:organization_members),
    C(delete:organization_members), C(create:organization_member_roles) and C(delete:organization_member_roles) as the
    changes need them.
author:
  - community.auth0 maintainers (@ansible-collections)
extends_documentation_fragment:
  - community.auth0.auth0
  - community.auth0.auth0.token
  - community.auth0.auth0.concurrency
  - community.auth0.auth0.actiongroup_auth0
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: Check mode reads everything a real run reads and writes nothing.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
    details: The members concerned before and after, one line each, C(email (user id) role, role), sorted.
options:
  org_id:
    description:
      - The Organization id, V(org_) followed by letters and digits.
      - Exactly one of O(org_id) and O(org_name) is required.
    type: str
  org_name:
    description:
      - The Organization name, resolved to its id with C(GET /api/v2/organizations/name/{name}).
    type: str
  members:
    description:
      - The members, each a string or a dictionary.
      - A string is a user, given by its user id when it contains V(|) (V(auth0|64f1c2...)), otherwise by its email address, resolved
        with C(GET /api/v2/users-by-email). An email that matches no user, or several (one per connection), fails the
        task, naming every match; give the user id then.
      - A dictionary has the keys V(user) (the same rule) and V(roles), a list of role names (matched exactly) or role
        ids (V(rol_...)).
      - A user listed twice is managed once, with the roles of both entries.
    type: list
    elements: raw
    required: true
  roles:
    description:
      - Roles for the entries of O(members) that give none of their own, as role names or ids.
    type: list
    elements: str
  state:
    description:
      - V(present) adds the listed users that are not members and grants them their roles.
      - V(absent) removes the listed members; an entry with roles (its own or O(roles)) keeps its membership and loses
        those roles instead. Removing a user who is not a member, or revoking a role not held, changes nothing.
    type: str
    choices: [present, absent]
    default: present
  purge_members:
    description:
      - With O(state=present), also remove every member that O(members) does not list, so that the membership is
        exactly the list. This reads the whole organization.
    type: bool
    default: false
  purge_roles:
    description:
      - With O(state=present), an entry with roles keeps exactly those roles, and roles it holds beyond them are revoked.
        Entries without roles keep theirs.
    type: bool
    default: false
notes:
  - Auth0 applies each write at once but may show it in member lists only after a few seconds; a run right after
    another may read the older list.
  - A user given by id is not looked up before it is added (emails are); an id that is no user of the tenant fails
    its batch of additions, and the result lists what was applied before it.
seealso:
  - module: community.auth0.auth0_org_members_info
'''

EXAMPLES = r'''
- name: Onboard the contractors with their roles; members given without roles get the viewer role
  community.auth0.auth0_org_members:
    domain: travel0.us.auth0.com
    client_id: "{{ auth0_client_id }}"
    client_secret: "{{ auth0_client_secret }}"
    org_name: travel0-contractors
    members:
      - user: alice.contractor@example.com
        roles: [admin]
      - user: auth0|64f1c2e5a9b7c3d2e1f0a9b8
        roles: [admin, editor]
      - bob.contractor@example.com
    roles: [viewer]
  register: onboarding

# approved_members: a list in the same form as members, kept in the inventory or a vars file.
# Credentials from the AUTH0_* environment variables from here on.
- name: The membership is exactly the approved list; each member keeps exactly the roles given
  community.auth0.auth0_org_members:
    org_name: travel0-contractors
    members: "{{ approved_members }}"
    purge_members: true
    purge_roles: true

- name: Offboard a user (no change if she is not a member)
  community.auth0.auth0_org_members:
    org_name: travel0-contractors
    members: [carol.contractor@example.com]
    state: absent

- name: Take the admin role away from Bob, who stays a member
  community.auth0.auth0_org_members:
    org_name: travel0-contractors
    members:
      - user: bob.contractor@example.com
        roles: [admin]
    state: absent

- name: Compliance check in CI, which writes nothing; the drift is shown as the task's diff
  community.auth0.auth0_org_members:
    org_name: travel0-contractors
    members: "{{ approved_members }}"
    purge_members: true
  check_mode: true
  diff: true
  register: drift

# Not failed_when on the task above: Ansible shows a task's diff only when the task does not fail.
- name: Fail the pipeline on drift
  ansible.builtin.assert:
    that: not drift.changed
    fail_msg: "to add: {{ drift.added }}, to remove: {{ drift.removed }}"
'''

RETURN = r'''
changed:
  description: Whether anything was (or, in check mode, would be) changed.
  returned: always
  type: bool
added:
  description: The user ids added as members (in check mode, that would be added).
  returned: success, and on a failure part-way
  type: list
  elements: str
  sample: ["auth0|64f1c2e5a9b7c3d2e1f0a9b8"]
removed:
  description: The user ids removed from the organization.
  returned: success, and on a failure part-way
  type: list
  elements: str
  sample: ["auth0|5f1c2e"]
roles_granted:
  description: The role names granted, by user id.
  returned: success, and on a failure part-way
  type: dict
  sample: {"auth0|64f1c2e5a9b7c3d2e1f0a9b8": ["admin", "editor"]}
roles_revoked:
  description: The role names revoked, by user id.
  returned: success, and on a failure part-way
  type: dict
  sample: {"auth0|5f1c2e": ["admin"]}
organization:
  description: The organization; with O(org_name) also its name and display name.
  returned: success, and on a failure part-way
  type: dict
  sample: {"id": "org_W30Ft8gJJmwlnOHU", "name": "travel0-partners", "display_name": "Travel0 Partners"}
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
from ansible_collections.community.auth0.plugins.module_utils._auth0_module import auth0_module_kwargs, run_module


def main():
    options = dict(
        org_id=dict(type='str'),
        org_name=dict(type='str'),
        members=dict(type='list', elements='raw', required=True),
        roles=dict(type='list', elements='str'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        purge_members=dict(type='bool', default=False),
        purge_roles=dict(type='bool', default=False),
    )
    module = AnsibleModule(**auth0_module_kwargs(
        options,
        mutually_exclusive=[('org_id', 'org_name')],
        required_one_of=[('org_id', 'org_name')],
    ))
    params = module.params
    run_module(module, lambda client: client.manage_members(
        org_id=params['org_id'], org_name=params['org_name'], members=params['members'], roles=params['roles'],
        state=params['state'], purge_members=params['purge_members'], purge_roles=params['purge_roles'],
        check_mode=module.check_mode, diff=module._diff))


if __name__ == '__main__':
    main()
