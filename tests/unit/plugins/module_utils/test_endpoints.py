# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Management API endpoints, each described once (_endpoints.py): paths, scopes and how a request reads."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.community.auth0.plugins.module_utils import _endpoints as endpoints
from ansible_collections.community.auth0.tests.unit.plugins.auth0_support import DOMAIN, ORG_ID, ORG_NAME

USER = {'org_id': ORG_ID, 'user_id': 'auth0|abc'}


@pytest.mark.parametrize('endpoint, parts, path', [
    (endpoints.ORGANIZATIONS, {}, '/api/v2/organizations'),
    (endpoints.ORGANIZATION, {'org_id': ORG_ID}, '/api/v2/organizations/' + ORG_ID),
    (endpoints.ORGANIZATION_BY_NAME, {'org_name': ORG_NAME}, '/api/v2/organizations/name/' + ORG_NAME),
    (endpoints.MEMBERS, {'org_id': ORG_ID}, '/api/v2/organizations/%s/members' % ORG_ID),
    (endpoints.MEMBER_ROLES, USER, '/api/v2/organizations/%s/members/auth0%%7Cabc/roles' % ORG_ID),
    (endpoints.MEMBER_ROLES, {'org_id': ORG_ID, 'user_id': 'a/../b?c#d e'},
     '/api/v2/organizations/%s/members/a%%2F..%%2Fb%%3Fc%%23d%%20e/roles' % ORG_ID),
])
def test_path_of_percent_encodes_every_part(endpoint, parts, path):
    assert endpoint.path_of(parts) == path


@pytest.mark.parametrize('endpoint, parts, action, not_found', [
    (endpoints.ORGANIZATIONS, {}, 'listing the organizations of tenant ' + DOMAIN,
     'Tenant %s has no organizations endpoint.' % DOMAIN),
    (endpoints.ORGANIZATION, {'org_id': ORG_ID}, "reading organization '%s'" % ORG_ID,
     "Organization '%s' was not found in tenant %s." % (ORG_ID, DOMAIN)),
    (endpoints.ORGANIZATION_BY_NAME, {'org_name': ORG_NAME}, "reading organization '%s'" % ORG_NAME,
     "Organization '%s' was not found in tenant %s." % (ORG_NAME, DOMAIN)),
    (endpoints.MEMBERS, {'org_id': ORG_ID}, "listing members of organization '%s'" % ORG_ID,
     "Organization '%s' was not found in tenant %s." % (ORG_ID, DOMAIN)),
    (endpoints.MEMBER_ROLES, USER, "reading the roles of member 'auth0|abc' of organization '%s'" % ORG_ID,
     "Member 'auth0|abc' of organization '%s' was not found in tenant %s." % (ORG_ID, DOMAIN)),
])
def test_messages_quote_the_parts_as_given(endpoint, parts, action, not_found):
    assert endpoint.describe(DOMAIN, parts) == action
    assert endpoint.not_found_message(DOMAIN, parts) == not_found


@pytest.mark.parametrize('endpoint, method, scope, bucket, items, identity', [
    (endpoints.ORGANIZATIONS, 'GET', 'read:organizations', 'organizations', 'organizations', 'id'),
    (endpoints.ORGANIZATION, 'GET', 'read:organizations', 'organizations', None, None),
    (endpoints.ORGANIZATION_BY_NAME, 'GET', 'read:organizations', 'organizations', None, None),
    (endpoints.MEMBERS, 'GET', 'read:organization_members', 'members', 'members', 'user_id'),
    (endpoints.MEMBER_ROLES, 'GET', 'read:organization_member_roles', 'member_roles', 'roles', None),
])
def test_scope_bucket_and_items(endpoint, method, scope, bucket, items, identity):
    assert (endpoint.method, endpoint.scope, endpoint.bucket, endpoint.items, endpoint.identity) == (
        method, scope, bucket, items, identity)


def test_members_with_roles_differ_only_by_the_scope_they_need():
    assert endpoints.MEMBERS_WITH_ROLES.scope == 'read:organization_members and read:organization_member_roles'
    assert endpoints.MEMBERS.scope == 'read:organization_members', 'with_scope makes a new endpoint'
    same = ('method', 'path', 'bucket', 'action', 'not_found', 'items', 'identity')
    assert ([getattr(endpoints.MEMBERS_WITH_ROLES, name) for name in same]
            == [getattr(endpoints.MEMBERS, name) for name in same])
