# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Checkpoint and offset paging, organization lookup by name, roles inline and the per-member fallback."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest
from responses import matchers

from ansible_collections.community.auth0.plugins.module_utils._auth0_errors import (
    Auth0APIError,
    Auth0ConfigError,
    Auth0ResponseError,
)
from ansible_collections.community.auth0.tests.unit.plugins.auth0_support import (
    BASE, MEMBERS_URL, ORG_BY_NAME_URL, ORG_ID, ORG_NAME, ORG_URL, ORGANIZATION, TOKEN,
    FakeOrganization, calls_to, error_body, make_members, member, path_of, query_of,
)

MEMBERS_PATH = '/api/v2/organizations/%s/members' % ORG_ID


def claims_more_than_offset_paging_reaches(api, total=2500):
    """Register the first (offset) answer of an organization too large for offset paging."""
    api.get(MEMBERS_URL, json={'start': 0, 'limit': 100, 'total': total, 'members': make_members(100)},
            match=[matchers.query_param_matcher({'page': '0', 'per_page': '100', 'include_totals': 'true'})])


def test_past_the_1000_record_cap_members_are_read_by_checkpoint(api, make_client, clock):
    everyone = make_members(2500)
    FakeOrganization(everyone).register(api)
    organization, members = make_client().organization_members(org_id=ORG_ID)
    assert organization == {'id': ORG_ID}
    assert members == everyone
    # the offset request that tells the total, 25 full checkpoint pages, then the empty page without `next`
    assert len(api.calls) == 27
    assert query_of(api.calls[0]) == {'page': '0', 'per_page': '100', 'include_totals': 'true'}
    assert query_of(api.calls[1]) == {'take': '100'}
    previous_next = json.loads(api.calls[1].response.text)['next']
    for call in api.calls[2:]:
        query = query_of(call)
        assert query == {'take': '100', 'from': previous_next}
        assert path_of(call) == MEMBERS_PATH
        previous_next = json.loads(call.response.text).get('next')
    assert json.loads(api.calls[-1].response.text) == {'members': []}
    assert all(call.request.headers['Authorization'] == 'Bearer ' + TOKEN for call in api.calls)
    assert clock.sleeps == []


def ceil_div(numerator, denominator):
    return -(-numerator // denominator)


# The bound the client promises: 1 request up to per_page members, ceil(n/per_page) up to the offset cap,
# ceil(n/per_page) + 2 above it (the offset request that tells the total, and checkpoint's empty last page).
@pytest.mark.parametrize('total, per_page, requests, style', [
    (0, 100, 1, 'offset'),
    (1, 100, 1, 'offset'),
    (100, 100, 1, 'offset'),
    (101, 100, 2, 'offset'),
    (999, 100, 10, 'offset'),
    (1000, 100, 10, 'offset'),
    (1001, 100, ceil_div(1001, 100) + 2, 'checkpoint'),
    (7, 3, 3, 'offset'),
    (5, 1, 5, 'offset'),
    (1000, 30, ceil_div(1000, 30) + 2, 'checkpoint'),  # 34 pages of 30 would reach record 1020
    (990, 30, 33, 'offset'),
])
@pytest.mark.parametrize('include_roles', [False, True])
def test_fewest_requests_for_every_size(api, make_client, total, per_page, requests, style, include_roles):
    everyone = make_members(total)
    roles = dict((record['user_id'], [{'id': 'rol_1', 'name': 'admin'}]) for record in everyone)
    FakeOrganization(everyone, roles=roles).register(api)
    members = make_client().organization_members(org_id=ORG_ID, per_page=per_page, include_roles=include_roles)[1]
    expected = [dict(record, roles=roles[record['user_id']]) for record in everyone] if include_roles else everyone
    assert members == expected
    assert len(api.calls) == requests
    later = [query_of(call) for call in api.calls[1:]]
    assert all(('take' in query) == (style == 'checkpoint') for query in later)
    assert all(query.get('fields', '').endswith(',roles') == include_roles for query in map(query_of, api.calls))


class ChangingOrganization(FakeOrganization):
    """An organization whose membership changes after the first request the client sends."""

    def __init__(self, members, change):
        super(ChangingOrganization, self).__init__(members)
        self.change = change
        self.answered = 0

    def members_callback(self, request):
        answer = super(ChangingOrganization, self).members_callback(request)
        self.answered += 1
        if self.answered == 1:
            self.change(self.members)
        return answer


@pytest.mark.parametrize('change, final_count', [
    (lambda members: members.insert(0, member(9000)), 251),   # everyone shifts: a duplicate on the next page
    (lambda members: members.pop(0), 249),                    # everyone shifts back: one member skipped
    (lambda members: members.append(member(9000)), 251),      # the total changes
])
def test_membership_changing_between_offset_pages_is_read_again_by_checkpoint(api, make_client, change, final_count):
    organization = ChangingOrganization(make_members(250), change)
    organization.register(api)
    members = make_client().organization_members(org_id=ORG_ID)[1]
    assert members == organization.members
    assert len(members) == final_count
    assert 'take' in query_of(api.calls[-1])


def test_checkpoint_paging_stops_when_next_is_absent_even_on_a_full_page(api, make_client):
    claims_more_than_offset_paging_reaches(api)
    api.get(MEMBERS_URL, json={'members': make_members(100)})
    assert len(make_client().organization_members(org_id=ORG_ID)[1]) == 100
    assert len(api.calls) == 2


def test_checkpoint_paging_treats_an_empty_next_as_the_end(api, make_client):
    claims_more_than_offset_paging_reaches(api)
    api.get(MEMBERS_URL, json={'members': make_members(3), 'next': ''})
    assert len(make_client().organization_members(org_id=ORG_ID)[1]) == 3


def test_a_repeated_cursor_fails_instead_of_looping(api, make_client):
    claims_more_than_offset_paging_reaches(api)
    api.get(MEMBERS_URL, json={'members': make_members(2), 'next': 'c1'})
    api.get(MEMBERS_URL, json={'members': [member(2), member(3)], 'next': 'c2'})
    api.get(MEMBERS_URL, json={'members': [member(4)], 'next': 'c1'})
    with pytest.raises(Auth0ResponseError) as failure:
        make_client().organization_members(org_id=ORG_ID)
    assert 'same paging cursor twice' in failure.value.message
    assert len(api.calls) == 4


def test_a_page_repeating_members_fails(api, make_client):
    claims_more_than_offset_paging_reaches(api)
    api.get(MEMBERS_URL, json={'members': make_members(2), 'next': 'c1'})
    api.get(MEMBERS_URL, json={'members': [member(1), member(2)], 'next': 'c2'})
    with pytest.raises(Auth0ResponseError) as failure:
        make_client().organization_members(org_id=ORG_ID)
    assert "'auth0|000001' twice" in failure.value.message
    assert 'page 2' in failure.value.message


def test_an_empty_page_with_a_cursor_fails(api, make_client):
    claims_more_than_offset_paging_reaches(api)
    api.get(MEMBERS_URL, json={'members': make_members(2), 'next': 'c1'})
    api.get(MEMBERS_URL, json={'members': [], 'next': 'c2'})
    with pytest.raises(Auth0ResponseError) as failure:
        make_client().organization_members(org_id=ORG_ID)
    assert 'no members but a cursor' in failure.value.message


@pytest.mark.parametrize('body', [
    [member(0)],
    {'members': [member(0)]},
    {'members': [member(0)], 'total': None},
    {'members': [member(0)], 'total': '1'},
    {'members': [member(0), member(1)], 'total': 1},
])
def test_a_first_page_without_a_usable_total_fails(api, make_client, body):
    api.get(MEMBERS_URL, body=json.dumps(body), content_type='application/json')
    with pytest.raises(Auth0ResponseError) as failure:
        make_client().organization_members(org_id=ORG_ID)
    assert 'without a usable total' in failure.value.message


@pytest.mark.parametrize('body', [
    [member(0)],
    {'next': 'c1'},
    {'members': None},
    {'members': {'user_id': 'auth0|1'}},
    {'members': ['auth0|1']},
    None,
    'members',
])
def test_checkpoint_page_of_the_wrong_shape_fails(api, make_client, body):
    claims_more_than_offset_paging_reaches(api)
    api.get(MEMBERS_URL, body=json.dumps(body), content_type='application/json')
    with pytest.raises(Auth0ResponseError) as failure:
        make_client().organization_members(org_id=ORG_ID)
    assert 'listing members of organization %r' % ORG_ID in failure.value.message


def test_offset_page_returns_just_that_page(api, make_client):
    FakeOrganization(make_members(500)).register(api)
    organization, members = make_client().organization_members(org_id=ORG_ID, page=3, per_page=50)
    assert organization == {'id': ORG_ID}
    assert members == make_members(500)[150:200]
    assert len(api.calls) == 1
    assert query_of(api.calls[0]) == {'page': '3', 'per_page': '50'}


def test_offset_page_accepts_the_include_totals_shape(api, make_client):
    api.get(MEMBERS_URL, json={'start': 0, 'limit': 100, 'total': 1, 'members': [member(0)]})
    assert make_client().organization_members(org_id=ORG_ID, page=0)[1] == [member(0)]
    assert query_of(api.calls[0]) == {'page': '0', 'per_page': '100'}


def test_offset_page_past_the_cap_explains_checkpoint_paging(api, make_client):
    FakeOrganization(make_members(2500)).register(api)
    with pytest.raises(Auth0APIError) as failure:
        make_client().organization_members(org_id=ORG_ID, page=10)
    error = failure.value
    assert (error.status, error.error_code) == (400, 'invalid_paging')
    assert 'stops at 1000 records' in error.message
    assert 'Omit page to get every member' in error.message
    assert 'Requesting page 10 exceeds the allowed maximum' in error.message
    assert len(api.calls) == 1


@pytest.mark.parametrize('body', [{'members': 'x'}, {'total': 3}, None, [member(0), member(0)], [member(0), 'x']])
def test_offset_page_of_the_wrong_shape_fails(api, make_client, body):
    api.get(MEMBERS_URL, body=json.dumps(body), content_type='application/json')
    with pytest.raises(Auth0ResponseError):
        make_client().organization_members(org_id=ORG_ID, page=0)


def test_fields_are_passed_to_every_page(api, make_client):
    FakeOrganization(make_members(150)).register(api)
    members = make_client().organization_members(org_id=ORG_ID, fields=['user_id', 'email'])[1]
    assert members[0] == {'user_id': 'auth0|000000', 'email': 'user0@example.com'}
    assert len(members) == 150
    assert [query_of(call).get('fields') for call in api.calls] == ['user_id,email'] * 2
    assert [query_of(call).get('include_fields') for call in api.calls] == ['true'] * 2


def test_excluded_fields(api, make_client):
    FakeOrganization(make_members(3)).register(api)
    members = make_client().organization_members(org_id=ORG_ID, fields=['picture'], include_fields=False, page=0)[1]
    assert members[0] == {'user_id': 'auth0|000000', 'email': 'user0@example.com', 'name': 'User 0'}
    assert query_of(api.calls[0]) == {'fields': 'picture', 'include_fields': 'false', 'page': '0', 'per_page': '100'}


# -- organization by name ------------------------------------------------------------------------

def test_org_name_is_resolved_to_its_id_first(api, make_client):
    api.get(ORG_BY_NAME_URL, json=ORGANIZATION)
    FakeOrganization(make_members(3)).register(api)
    organization, members = make_client().organization_members(org_name=ORG_NAME)
    assert organization == {'id': ORG_ID, 'name': ORG_NAME, 'display_name': 'Travel0 Partners'}
    assert len(members) == 3
    assert [path_of(call) for call in api.calls] == ['/api/v2/organizations/name/' + ORG_NAME, MEMBERS_PATH]


def test_org_name_lookup_keeps_only_the_keys_it_has(api, make_client):
    api.get(ORG_BY_NAME_URL, json={'id': ORG_ID, 'name': ORG_NAME})
    api.get(MEMBERS_URL, json={'members': [], 'total': 0})
    assert make_client().organization_members(org_name=ORG_NAME)[0] == {'id': ORG_ID, 'name': ORG_NAME}


@pytest.mark.parametrize('found', [{'id': 'org_abc/../../clients'}, {'id': 'org_abc?x=1'}, {'id': 'rol_abc'}])
def test_an_organization_id_from_the_api_is_checked_before_it_goes_into_a_path(api, make_client, found):
    api.get(ORG_BY_NAME_URL, json=dict(found, name=ORG_NAME))
    with pytest.raises(Auth0ResponseError) as failure:
        make_client().organization_members(org_name=ORG_NAME)
    assert 'which is not an organization id' in failure.value.message
    assert len(api.calls) == 1


@pytest.mark.parametrize('body', [[ORGANIZATION], {'name': ORG_NAME}, {'id': ''}, None])
def test_org_lookup_of_the_wrong_shape_fails(api, make_client, body):
    api.get(ORG_BY_NAME_URL, body=json.dumps(body), content_type='application/json')
    with pytest.raises(Auth0ResponseError) as failure:
        make_client().organization_members(org_name=ORG_NAME)
    assert 'not an organization object' in failure.value.message
    assert len(api.calls) == 1


def test_organization_by_id(api, make_client):
    api.get(ORG_URL, json=ORGANIZATION)
    assert make_client().organization(org_id=ORG_ID) == ORGANIZATION


def test_org_name_not_found_names_the_organization(api, make_client):
    api.get(ORG_BY_NAME_URL, status=404, json=error_body(404, 'No organization found by that id or name'))
    with pytest.raises(Auth0APIError) as failure:
        make_client().organization_members(org_name=ORG_NAME)
    assert "Organization 'travel0-partners' was not found in tenant travel0.us.auth0.com" in failure.value.message
    assert failure.value.status == 404


# -- roles ----------------------------------------------------------------------------------------

ROLES = {'auth0|000000': [{'id': 'rol_admin', 'name': 'admin'}],
         'auth0|000001': [{'id': 'rol_admin', 'name': 'admin'}, {'id': 'rol_ops', 'name': 'ops'}]}


def test_roles_come_inline_with_one_request_per_page(api, make_client):
    FakeOrganization(make_members(250), roles=ROLES).register(api)
    members = make_client().organization_members(org_id=ORG_ID, include_roles=True)[1]
    assert len(api.calls) == 3
    for call in api.calls:
        assert path_of(call) == MEMBERS_PATH
        assert query_of(call)['fields'] == 'user_id,email,name,picture,roles'
        assert query_of(call)['include_fields'] == 'true'
    assert members[0]['roles'] == [{'id': 'rol_admin', 'name': 'admin'}]
    assert members[1]['email'] == 'user1@example.com'
    assert members[249]['roles'] == []
    assert all('roles' in record for record in members)


def test_roles_in_fields_are_requested_inline(api, make_client):
    FakeOrganization(make_members(2), roles=ROLES).register(api)
    members = make_client().organization_members(org_id=ORG_ID, fields=['email', 'roles'], page=0)[1]
    assert members[1] == {'email': 'user1@example.com', 'roles': ROLES['auth0|000001']}
    assert query_of(api.calls[0])['fields'] == 'email,roles'


def test_include_roles_with_fields_adds_roles(api, make_client):
    FakeOrganization(make_members(2), roles=ROLES).register(api)
    members = make_client().organization_members(org_id=ORG_ID, fields=['user_id'], include_roles=True)[1]
    assert set(members[0]) == {'user_id', 'roles'}
    assert query_of(api.calls[0])['fields'] == 'user_id,roles'


def test_roles_fall_back_to_one_call_per_member_when_not_inline(api, make_client):
    everyone = make_members(3)
    FakeOrganization(everyone, roles=ROLES, inline_roles=False).register(api)
    members = make_client().organization_members(org_id=ORG_ID, include_roles=True)[1]
    assert [record['roles'] for record in members] == [
        [{'id': 'rol_admin', 'name': 'admin'}],
        [{'id': 'rol_admin', 'name': 'admin'}, {'id': 'rol_ops', 'name': 'ops'}],
        [],
    ]
    assert [dict((key, value) for key, value in record.items() if key != 'roles') for record in members] == everyone
    member_calls = calls_to(api, MEMBERS_PATH)
    assert len(member_calls) == 1
    role_calls = [call for call in api.calls if call not in member_calls]
    # one call per member, the user id URL-encoded as one path segment
    assert [path_of(call) for call in role_calls] == [MEMBERS_PATH + '/auth0%7C00000' + str(number) + '/roles'
                                                      for number in range(3)]
    assert all(query_of(call) == {'page': '0', 'per_page': '100', 'include_totals': 'true'} for call in role_calls)


def test_fallback_only_for_members_lacking_roles(api, make_client):
    api.get(MEMBERS_URL, json={'members': [dict(member(0), roles=[]), member(1)], 'total': 2})
    api.get(MEMBERS_URL + '/auth0%7C000001/roles', json={'roles': [{'id': 'rol_x', 'name': 'x'}], 'total': 1})
    members = make_client().organization_members(org_id=ORG_ID, include_roles=True)[1]
    assert [record['roles'] for record in members] == [[], [{'id': 'rol_x', 'name': 'x'}]]
    assert len(api.calls) == 2


def test_fallback_encodes_user_ids_with_path_characters(api, make_client):
    user_id = 'samlp|corp/jane?x#y'
    api.get(MEMBERS_URL, json={'members': [{'user_id': user_id}], 'total': 1})
    api.get(MEMBERS_URL + '/samlp%7Ccorp%2Fjane%3Fx%23y/roles', json=[{'id': 'rol_x', 'name': 'x'}])
    members = make_client().organization_members(org_id=ORG_ID, include_roles=True)[1]
    assert members == [{'user_id': user_id, 'roles': [{'id': 'rol_x', 'name': 'x'}]}]


def test_fallback_pages_through_many_roles(api, make_client):
    roles = [{'id': 'rol_%03d' % number, 'name': 'role %d' % number} for number in range(150)]
    FakeOrganization([member(0)], roles={'auth0|000000': roles}, inline_roles=False).register(api)
    members = make_client().organization_members(org_id=ORG_ID, include_roles=True, page=0)[1]
    assert members[0]['roles'] == roles
    role_calls = [call for call in api.calls if path_of(call) != MEMBERS_PATH]
    assert [query_of(call)['page'] for call in role_calls] == ['0', '1']


def test_fallback_without_user_ids_fails_rather_than_returning_members_without_roles(api, make_client):
    api.get(MEMBERS_URL, json=[{'email': 'user0@example.com'}])
    with pytest.raises(Auth0ResponseError) as failure:
        make_client().organization_members(org_id=ORG_ID, fields=['email'], include_roles=True, page=0)
    assert 'without roles or user_id' in failure.value.message


def test_fallback_roles_of_the_wrong_shape_fail(api, make_client):
    api.get(MEMBERS_URL, json=[member(0)])
    api.get(MEMBERS_URL + '/auth0%7C000000/roles', json={'total': 0})
    with pytest.raises(Auth0ResponseError) as failure:
        make_client().organization_members(org_id=ORG_ID, include_roles=True, page=0)
    assert 'without a list of roles' in failure.value.message


def test_fallback_403_names_the_roles_scope(api, make_client):
    api.get(MEMBERS_URL, json=[member(0)])
    api.get(MEMBERS_URL + '/auth0%7C000000/roles', status=403,
            json=error_body(403, 'Insufficient scope', 'insufficient_scope', 'Forbidden'))
    with pytest.raises(Auth0APIError) as failure:
        make_client().organization_members(org_id=ORG_ID, include_roles=True, page=0)
    assert 'read:organization_member_roles' in failure.value.message
    assert "roles of member 'auth0|000000'" in failure.value.message


def test_no_roles_requested_means_no_roles_calls(api, make_client):
    api.get(MEMBERS_URL, json=[member(0)], match=[matchers.query_param_matcher({'page': '0', 'per_page': '100'})])
    assert make_client().organization_members(org_id=ORG_ID, page=0)[1] == [member(0)]
    assert BASE in api.calls[0].request.url


# -- every organization of the tenant (the same checkpoint loop) -------------------------------------

ORGANIZATIONS_URL = BASE + '/api/v2/organizations'


def test_organizations_are_paged_by_checkpoint(api, make_client):
    everyone = [{'id': 'org_%04d' % number, 'name': 'org-%d' % number} for number in range(250)]
    for start in (0, 100, 200):
        api.get(ORGANIZATIONS_URL, json={'organizations': everyone[start:start + 100], 'next': 'c%d' % start})
    api.get(ORGANIZATIONS_URL, json={'organizations': []})
    assert make_client().organizations() == everyone
    assert [query_of(call) for call in api.calls] == [
        {'take': '100'}, {'take': '100', 'from': 'c0'}, {'take': '100', 'from': 'c100'}, {'take': '100', 'from': 'c200'}]


def test_organizations_repeating_an_id_fail(api, make_client):
    api.get(ORGANIZATIONS_URL, json={'organizations': [{'id': 'org_1'}], 'next': 'c1'})
    api.get(ORGANIZATIONS_URL, json={'organizations': [{'id': 'org_1'}], 'next': 'c2'})
    with pytest.raises(Auth0ResponseError) as failure:
        make_client().organizations()
    assert "'org_1' twice" in failure.value.message
    assert 'listing the organizations of tenant travel0.us.auth0.com (page 2)' in failure.value.message


def test_organizations_per_page_is_checked_before_any_request(api, make_client):
    with pytest.raises(Auth0ConfigError):
        make_client().organizations(per_page=0)
    assert not api.calls
