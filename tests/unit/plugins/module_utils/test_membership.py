# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""_membership: parsing the entries, the plan (what to add, remove, grant, revoke) and the sync against a fake client."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
from hypothesis import given, settings, strategies as st

from ansible_collections.community.auth0.plugins.module_utils._auth0_errors import (
    Auth0APIError,
    Auth0ConfigError,
    Auth0ResponseError,
)
from ansible_collections.community.auth0.plugins.module_utils._membership import (
    MembershipSync,
    Plan,
    apply_plan,
    check_options,
    parse_entries,
    plan_changes,
)

ORG = 'org_Acme1'

# -- the plan: properties ----------------------------------------------------------------------------

USERS = st.sampled_from(['auth0|%d' % number for number in range(8)])
ROLE_SETS = st.frozensets(st.sampled_from(['rol_A', 'rol_B', 'rol_C', 'rol_D']), max_size=4).map(set)
STATES = st.dictionaries(USERS, ROLE_SETS, max_size=8)
DESIRED = st.dictionaries(USERS, st.one_of(st.none(), ROLE_SETS), max_size=6).map(lambda d: list(d.items()))
MODES = st.sampled_from([('present', False, False), ('present', True, False), ('present', False, True),
                         ('present', True, True), ('absent', False, False)])


def satisfies(after, before, desired, state, purge_members, purge_roles):
    """Whether `after` is what the entries ask of `before`."""
    for user_id, roles in desired:
        if state == 'present':
            if user_id not in after:
                return False
            if roles and not roles <= after[user_id]:
                return False
            if roles is not None and purge_roles and after[user_id] != roles:
                return False
        elif roles:
            if (user_id in before) != (user_id in after) or (user_id in after and after[user_id] & roles):
                return False
        elif user_id in after:
            return False
    if state == 'present' and purge_members and set(after) != set(user_id for user_id, _roles in desired):
        return False
    # Nothing the entries do not name changes, but for purge_members' removals.
    named = set(user_id for user_id, _roles in desired)
    for user_id, roles in before.items():
        if user_id not in named and user_id in after and after[user_id] != roles:
            return False
    return True


@settings(max_examples=400, deadline=None)
@given(before=STATES, desired=DESIRED, mode=MODES)
def test_applying_the_plan_gives_the_desired_state(before, desired, mode):
    plan = plan_changes(before, desired, *mode)
    after = apply_plan(before, plan)
    assert satisfies(after, before, desired, *mode)


@settings(max_examples=400, deadline=None)
@given(before=STATES, desired=DESIRED, mode=MODES)
def test_the_plan_of_a_converged_state_is_empty(before, desired, mode):
    after = apply_plan(before, plan_changes(before, desired, *mode))
    assert not plan_changes(after, desired, *mode)


@settings(max_examples=400, deadline=None)
@given(before=STATES, desired=DESIRED, mode=MODES)
def test_the_plan_sends_nothing_for_what_already_holds(before, desired, mode):
    plan = plan_changes(before, desired, *mode)
    assert not set(plan.add) & set(before)
    assert set(plan.remove) <= set(before)
    for user_id, roles in plan.grant.items():
        assert roles and not roles & before.get(user_id, set())
    for user_id, roles in plan.revoke.items():
        assert roles and roles <= before[user_id]


# -- the plan: cases ---------------------------------------------------------------------------------

def test_present_adds_and_grants_additively():
    plan = plan_changes({'auth0|1': {'rol_A'}}, [('auth0|1', {'rol_B'}), ('auth0|2', {'rol_A'}), ('auth0|3', None)],
                        'present')
    assert plan.add == ['auth0|2', 'auth0|3']
    assert plan.grant == {'auth0|1': {'rol_B'}, 'auth0|2': {'rol_A'}}
    assert plan.revoke == {} and plan.remove == []


def test_purge_roles_only_touches_entries_with_roles():
    plan = plan_changes({'auth0|1': {'rol_A', 'rol_B'}, 'auth0|2': {'rol_C'}}, [('auth0|1', {'rol_B'}), ('auth0|2', None)],
                        'present', purge_roles=True)
    assert plan.revoke == {'auth0|1': {'rol_A'}} and plan.grant == {}


def test_an_empty_roles_list_with_purge_roles_revokes_every_role():
    plan = plan_changes({'auth0|1': {'rol_A', 'rol_B'}}, [('auth0|1', set())], 'present', purge_roles=True)
    assert plan.revoke == {'auth0|1': {'rol_A', 'rol_B'}} and not plan.grant
    assert parse_entries([{'user': 'auth0|1', 'roles': []}], roles=['viewer'])[0].roles == []
    assert parse_entries(['auth0|1'])[0].roles is None


def test_purge_members_removes_everyone_not_listed():
    plan = plan_changes({'auth0|1': set(), 'auth0|2': set(), 'auth0|3': set()}, [('auth0|2', None)], 'present',
                        purge_members=True)
    assert plan.remove == ['auth0|1', 'auth0|3'] and plan.add == []


def test_absent_removes_members_or_only_the_roles_named():
    plan = plan_changes({'auth0|1': {'rol_A', 'rol_B'}, 'auth0|2': set()},
                        [('auth0|1', {'rol_A', 'rol_C'}), ('auth0|2', None), ('auth0|9', None), ('auth0|8', {'rol_A'})],
                        'absent')
    assert plan.revoke == {'auth0|1': {'rol_A'}}
    assert plan.remove == ['auth0|2']
    assert not plan.add and not plan.grant


def test_an_empty_plan_is_false():
    assert not Plan()
    assert Plan(add=['auth0|1'])


# -- entries and options -----------------------------------------------------------------------------

def test_entries_take_strings_and_dicts_and_the_module_roles_for_those_without():
    entries = parse_entries(['auth0|1', 'alice@acme.example', {'user': 'bob@acme.example', 'roles': ['admin']}],
                            roles=['viewer'])
    assert [(entry.user, entry.roles, entry.by_email) for entry in entries] == [
        ('auth0|1', ['viewer'], False), ('alice@acme.example', ['viewer'], True), ('bob@acme.example', ['admin'], True)]


@pytest.mark.parametrize('members, complaint', [
    ([42], 'members entry 1 must be a user id or email'),
    ([{'roles': ['admin']}], 'members entry 1 must be a user id or email, or a dict with the keys user and roles'),
    ([{'user': 'auth0|1', 'role': ['admin']}], 'got the keys role, user'),
    (['auth0|1', {'user': 'auth0|2', 'roles': 'admin'}], 'members entry 2 (auth0|2): roles must be a list'),
    (['bob'], "members entry 1 is 'bob', which is neither a user id"),
    (['  '], 'members entry 1 is'),
    (['a b@c'], 'members entry 1 is'),
])
def test_bad_entries_are_refused_with_their_position(members, complaint):
    with pytest.raises(Auth0ConfigError) as raised:
        parse_entries(members)
    assert complaint in raised.value.message


@pytest.mark.parametrize('purge_members, purge_roles', [(True, False), (False, True)])
def test_purging_is_refused_with_state_absent(purge_members, purge_roles):
    with pytest.raises(Auth0ConfigError, match='only apply to state=present'):
        check_options('absent', purge_members, purge_roles)


# -- the sync, against a fake client ----------------------------------------------------------------

class FakeClient:
    """Just the client operations MembershipSync uses, over an in-memory organization; records every call."""

    host = 'travel0.us.auth0.com'

    def __init__(self, members, users=None, roles=None, total=None):
        self.members = dict((user_id, set(roles)) for user_id, roles in members.items())
        self.users = users or {}
        self.roles = roles or {'rol_A': 'admin', 'rol_B': 'viewer', 'rol_C': 'billing-admin'}
        self.total = len(self.members) if total is None else total
        self.calls = []
        self.fail = {}

    def _called(self, name, *args):
        self.calls.append((name,) + args)
        failure = self.fail.pop(name, None)
        if failure:
            raise failure

    def concurrently(self, function, items):
        return [function(item) for item in items]

    def users_with_email(self, email):
        self._called('users_with_email', email)
        return [dict(user_id=user_id, email=email, identities=[{'connection': connection}])
                for user_id, (address, connection) in self.users.items() if address == email]

    def user(self, user_id):
        self._called('user', user_id)
        return {'user_id': user_id, 'email': self.users.get(user_id, ('u@x.example',))[0]}

    def role(self, role_id):
        self._called('role', role_id)
        if role_id not in self.roles:
            raise Auth0APIError('Role %r was not found.' % role_id, status=404)
        return {'id': role_id, 'name': self.roles[role_id]}

    def roles_named(self, name):
        self._called('roles_named', name)
        return [{'id': role_id, 'name': role_name} for role_id, role_name in self.roles.items()
                if name.lower() in role_name.lower()]

    def first_members_page(self, org_id):
        self._called('first_members_page', org_id)
        return self._listed()[:100], self.total

    @staticmethod
    def member_pages_after_first(total):
        return max((total + 99) // 100 - 1, 0)

    def rest_of_members(self, org_id, first, total):
        self._called('rest_of_members', org_id)
        return self._listed()

    def _listed(self):
        return [{'user_id': user_id, 'email': user_id + '@x.example',
                 'roles': [{'id': role, 'name': self.roles[role]} for role in sorted(roles)]}
                for user_id, roles in sorted(self.members.items())]

    def organization_ids_of_user(self, user_id):
        self._called('organization_ids_of_user', user_id)
        return [ORG] if user_id in self.members else []

    def member_roles(self, org_id, user_id):
        self._called('member_roles', org_id, user_id)
        return [{'id': role, 'name': self.roles[role]} for role in sorted(self.members.get(user_id, ()))]

    def add_members(self, org_id, user_ids):
        self._called('add_members', list(user_ids))
        for user_id in user_ids:
            self.members.setdefault(user_id, set())

    def remove_members(self, org_id, user_ids):
        self._called('remove_members', list(user_ids))
        for user_id in user_ids:
            self.members.pop(user_id, None)

    def grant_member_roles(self, org_id, user_id, role_ids):
        self._called('grant_member_roles', user_id, list(role_ids))
        self.members[user_id] |= set(role_ids)

    def revoke_member_roles(self, org_id, user_id, role_ids):
        self._called('revoke_member_roles', user_id, list(role_ids))
        self.members[user_id] -= set(role_ids)

    def writes(self):
        return [call for call in self.calls if call[0] in (
            'add_members', 'remove_members', 'grant_member_roles', 'revoke_member_roles')]


def sync(client, members, roles=None, state='present', purge_members=False, purge_roles=False, check_mode=False,
         diff=False):
    entries = parse_entries(members, roles)
    return MembershipSync(client, {'id': ORG}, entries, state, purge_members, purge_roles).run(check_mode, diff)


def test_adds_in_batches_of_ten_then_grants_once_the_membership_exists():
    client = FakeClient({})
    result = sync(client, ['auth0|%02d' % number for number in range(23)], roles=['admin'])
    adds = [call[1] for call in client.writes() if call[0] == 'add_members']
    assert [len(batch) for batch in adds] == [10, 10, 3]
    first_grant = next(index for index, call in enumerate(client.writes()) if call[0] == 'grant_member_roles')
    assert first_grant == 3
    assert result['changed'] and len(result['added']) == 23
    assert result['roles_granted']['auth0|00'] == ['admin']


def test_a_second_run_changes_nothing_and_writes_nothing():
    client = FakeClient({})
    sync(client, [{'user': 'auth0|1', 'roles': ['admin', 'viewer']}, 'auth0|2'], purge_members=True)
    client.calls = []
    result = sync(client, [{'user': 'auth0|1', 'roles': ['admin', 'viewer']}, 'auth0|2'], purge_members=True)
    assert not result['changed'] and client.writes() == []
    assert result['added'] == [] and result['roles_granted'] == {}


def test_check_mode_reads_reports_and_writes_nothing():
    client = FakeClient({'auth0|1': {'rol_A'}, 'auth0|9': set()})
    result = sync(client, [{'user': 'auth0|1', 'roles': ['viewer']}, 'auth0|2'], purge_members=True,
                  purge_roles=True, check_mode=True, diff=True)
    assert client.writes() == []
    assert result['changed']
    assert (result['added'], result['removed']) == (['auth0|2'], ['auth0|9'])
    assert result['roles_granted'] == {'auth0|1': ['viewer']} and result['roles_revoked'] == {'auth0|1': ['admin']}
    assert result['diff']['before'] == 'auth0|1@x.example (auth0|1): admin\nauth0|9@x.example (auth0|9): (no roles)\n'
    assert result['diff']['after'] == ('auth0|1@x.example (auth0|1): viewer\n'
                                       'u@x.example (auth0|2): (no roles)\n')
    assert ('user', 'auth0|2') in client.calls


def test_role_names_match_exactly_and_ids_are_read():
    client = FakeClient({'auth0|1': set()})
    result = sync(client, [{'user': 'auth0|1', 'roles': ['admin', 'rol_C']}])
    assert result['roles_granted'] == {'auth0|1': ['admin', 'billing-admin']}
    with pytest.raises(Auth0ConfigError, match="No role of tenant travel0.us.auth0.com is named 'Admin'"):
        sync(FakeClient({}), [{'user': 'auth0|1', 'roles': ['Admin']}])
    with pytest.raises(Auth0ConfigError, match="named 'billing'"):
        sync(FakeClient({}), [{'user': 'auth0|1', 'roles': ['billing']}])


def test_emails_resolve_to_one_user_or_fail_naming_every_match_before_any_write():
    users = {'auth0|1': ('ann@acme.example', 'Username-Password-Authentication'),
             'google-oauth2|7': ('ann@acme.example', 'google-oauth2'), 'auth0|2': ('bo@acme.example', 'db')}
    client = FakeClient({}, users=users)
    assert sync(client, ['bo@acme.example'])['added'] == ['auth0|2']
    client = FakeClient({}, users=users)
    with pytest.raises(Auth0ConfigError) as raised:
        sync(client, ['auth0|3', 'ann@acme.example'])
    assert ('2 users of tenant travel0.us.auth0.com have the email \'ann@acme.example\': auth0|1 '
            '(Username-Password-Authentication), google-oauth2|7 (google-oauth2)') in raised.value.message
    assert client.writes() == []
    with pytest.raises(Auth0ConfigError, match="No user of tenant travel0.us.auth0.com has the email 'no@acme.example'"):
        sync(FakeClient({}), ['auth0|3', 'no@acme.example'])


def test_a_few_users_of_a_large_organization_are_read_one_by_one():
    client = FakeClient({'auth0|%05d' % number: set() for number in range(20000)})
    result = sync(client, [{'user': 'auth0|new', 'roles': ['admin']}])
    assert [call[0] for call in client.calls] == ['roles_named', 'first_members_page', 'organization_ids_of_user',
                                                  'add_members', 'grant_member_roles']
    assert result['added'] == ['auth0|new'] and result['roles_granted'] == {'auth0|new': ['admin']}


def test_purge_members_reads_the_whole_organization():
    client = FakeClient({'auth0|%05d' % number: set() for number in range(2000)})
    sync(client, ['auth0|00001'], purge_members=True, check_mode=True)
    assert ('rest_of_members', ORG) in client.calls
    assert not any(call[0] == 'organization_ids_of_user' for call in client.calls)


def test_a_failure_part_way_says_what_was_applied():
    client = FakeClient({'auth0|old': set()})
    client.fail['remove_members'] = Auth0APIError('Auth0 refused removing 1 members (HTTP 403: Insufficient scope).',
                                                  status=403, error_code='insufficient_scope')
    with pytest.raises(Auth0APIError) as raised:
        sync(client, [{'user': 'auth0|new', 'roles': ['admin']}], purge_members=True)
    failure = raised.value
    assert failure.status == 403 and failure.error_code == 'insufficient_scope'
    assert failure.result['changed'] and failure.result['added'] == ['auth0|new']
    assert failure.result['roles_granted'] == {'auth0|new': ['admin']} and failure.result['removed'] == []
    assert 'Not applied: removals of auth0|old.' in failure.message
    assert 'Applied before the failure: added auth0|new; granted roles to auth0|new.' in failure.message
    fields = failure.result_fields()
    assert fields['added'] == ['auth0|new'] and fields['status'] == 403


def test_an_add_that_took_effect_despite_an_error_is_not_a_failure():
    client = FakeClient({})

    def add_then_fail(org_id, user_ids):
        FakeClient.add_members(client, org_id, user_ids)
        raise Auth0APIError('Auth0 answered HTTP 409 while adding 1 members.', status=409)
    client.add_members = add_then_fail
    result = sync(client, ['auth0|1'])
    assert result['added'] == ['auth0|1'] and result['changed']


def test_an_add_that_did_not_take_effect_fails_and_nothing_is_reported_applied():
    client = FakeClient({})
    client.fail['add_members'] = Auth0APIError('Auth0 answered HTTP 500 while adding 1 members, still after 5 retries.',
                                               status=500)
    with pytest.raises(Auth0APIError) as raised:
        sync(client, ['auth0|1'])
    assert raised.value.result['changed'] is False and raised.value.result['added'] == []
    assert 'Applied before the failure: nothing.' in raised.value.message


def test_more_roles_than_a_member_may_hold_are_refused_before_any_write():
    roles = dict(('rol_%02d' % number, 'role%02d' % number) for number in range(51))
    client = FakeClient({}, roles=roles)
    with pytest.raises(Auth0ConfigError, match='at most 50 roles'):
        sync(client, [{'user': 'auth0|1', 'roles': sorted(roles)}])
    assert client.writes() == []


def test_an_answer_without_ids_fails_before_any_write():
    client = FakeClient({'auth0|1': set()})
    client.roles_named = lambda name: [{'name': name}]
    with pytest.raises(Auth0ResponseError, match="Auth0 answered role 'admin' without its id; nothing was changed"):
        sync(client, [{'user': 'auth0|1', 'roles': ['admin']}])
    client = FakeClient({'auth0|1': set()})
    client.rest_of_members = lambda org_id, first, total: [{'email': 'a@x.example'}]
    with pytest.raises(Auth0ResponseError, match="a member of organization 'org_Acme1' without its user_id"):
        sync(client, ['auth0|2'], purge_members=True)
    assert client.writes() == []
