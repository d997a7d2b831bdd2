# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Management API endpoints the collection calls, each described once.

For internal collection use only: names here may change in any release.

An Endpoint says everything the client needs to call it and to explain a failure: the method and
path template, the scope Auth0 wants, the rate-limit bucket it counts against, what a request to it
does (for messages) and how a 404 reads, and for lists the key of the items and their identity.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from collections import namedtuple
from urllib.parse import quote


class Endpoint(namedtuple('Endpoint', 'method path scope bucket action not_found items identity')):

    __slots__ = ()

    def __new__(cls, method, path, scope, bucket, action, not_found, items=None, identity=None):
        return super(Endpoint, cls).__new__(cls, method, path, scope, bucket, action, not_found, items, identity)

    def with_scope(self, scope):
        """The same endpoint asked for more (roles inline need a second scope)."""
        return self._replace(scope=scope)

    def path_of(self, parts):
        """The path with each part percent-encoded (user ids hold '|')."""
        return self.path.format(**dict((name, quote(str(value), safe='')) for name, value in parts.items()))

    def describe(self, host, parts):
        """What a request to this endpoint does, for messages: 'listing members of organization 'org_1''."""
        return self.action.format(host=host, **parts)

    def not_found_message(self, host, parts):
        return self.not_found.format(host=host, **parts)


_ORGANIZATION_NOT_FOUND = 'Organization {org_id!r} was not found in tenant {host}.'
_MEMBER_NOT_FOUND = 'Member {user_id!r} of organization {org_id!r} was not found in tenant {host}.'
_USER_NOT_FOUND = 'User {user_id!r} was not found in tenant {host}.'

# -- reads ------------------------------------------------------------------------------------

ORGANIZATIONS = Endpoint('GET', '/api/v2/organizations', 'read:organizations', 'organizations',
                         'listing the organizations of tenant {host}', 'Tenant {host} has no organizations endpoint.',
                         items='organizations', identity='id')
ORGANIZATION = Endpoint('GET', '/api/v2/organizations/{org_id}', 'read:organizations', 'organizations',
                        'reading organization {org_id!r}', _ORGANIZATION_NOT_FOUND)
ORGANIZATION_BY_NAME = Endpoint('GET', '/api/v2/organizations/name/{org_name}', 'read:organizations', 'organizations',
                                'reading organization {org_name!r}',
                                'Organization {org_name!r} was not found in tenant {host}.')
MEMBERS = Endpoint('GET', '/api/v2/organizations/{org_id}/members', 'read:organization_members', 'members',
                   'listing members of organization {org_id!r}', _ORGANIZATION_NOT_FOUND,
                   items='members', identity='user_id')
MEMBERS_WITH_ROLES = MEMBERS.with_scope('read:organization_members and read:organization_member_roles')
MEMBER_ROLES = Endpoint('GET', '/api/v2/organizations/{org_id}/members/{user_id}/roles',
                        'read:organization_member_roles', 'member_roles',
                        'reading the roles of member {user_id!r} of organization {org_id!r}', _MEMBER_NOT_FOUND,
                        items='roles')
USERS_BY_EMAIL = Endpoint('GET', '/api/v2/users-by-email', 'read:users', 'users', 'looking up the users with email {email!r}',
                          'Tenant {host} has no users-by-email endpoint.')
USER = Endpoint('GET', '/api/v2/users/{user_id}', 'read:users', 'users', 'reading user {user_id!r}', _USER_NOT_FOUND)
USER_ORGANIZATIONS = Endpoint('GET', '/api/v2/users/{user_id}/organizations', 'read:organizations', 'users',
                              'reading the organizations of user {user_id!r}', _USER_NOT_FOUND,
                              items='organizations', identity='id')
ROLES_NAMED = Endpoint('GET', '/api/v2/roles', 'read:roles', 'roles', 'looking up the role named {name!r}',
                       'Tenant {host} has no roles endpoint.', items='roles', identity='id')
ROLE = Endpoint('GET', '/api/v2/roles/{role_id}', 'read:roles', 'roles', 'reading role {role_id!r}',
                'Role {role_id!r} was not found in tenant {host}.')

# -- writes: Auth0 answers each with 204 and no body; each kind counts against its own bucket ---------

ADD_MEMBERS = Endpoint('POST', '/api/v2/organizations/{org_id}/members', 'create:organization_members',
                       'member_writes', 'adding {count} members to organization {org_id!r}', _ORGANIZATION_NOT_FOUND)
REMOVE_MEMBERS = Endpoint('DELETE', '/api/v2/organizations/{org_id}/members', 'delete:organization_members',
                          'member_writes', 'removing {count} members from organization {org_id!r}',
                          _ORGANIZATION_NOT_FOUND)
GRANT_MEMBER_ROLES = Endpoint('POST', '/api/v2/organizations/{org_id}/members/{user_id}/roles',
                              'create:organization_member_roles', 'member_role_writes',
                              'granting {count} roles to member {user_id!r} of organization {org_id!r}', _MEMBER_NOT_FOUND)
REVOKE_MEMBER_ROLES = Endpoint('DELETE', '/api/v2/organizations/{org_id}/members/{user_id}/roles',
                               'delete:organization_member_roles', 'member_role_writes',
                               'revoking {count} roles of member {user_id!r} of organization {org_id!r}',
                               _MEMBER_NOT_FOUND)
