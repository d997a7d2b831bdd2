"""community.auth0.auth0_org_members through ansible-playbook against the local tenant: writes, check mode, failures.

The tenant here is this module's own (the writes change it); each test works on its own organization.
"""

import json

import pytest

from local_tenant import LocalTenant

MODULE = 'community.auth0.auth0_org_members'
INFO = 'community.auth0.auth0_org_members_info'
WRITE_PATH = r'^/api/v2/organizations/[^/]+/members(/[^/]+/roles)?$'
MEMBERS_WRITE_PATH = r'^/api/v2/organizations/[^/]+/members$'
ROLES_WRITE_PATH = r'^/api/v2/organizations/[^/]+/members/[^/]+/roles$'
ANN = [{'user_id': 'auth0|ann0000000000000000000001', 'email': 'ann@acme.example'},
       {'user_id': 'google-oauth2|1170000000000000001', 'email': 'ann@acme.example', 'connection': 'google-oauth2'}]
BOB = {'user_id': 'auth0|bob0000000000000000000001', 'email': 'bob@acme.example', 'name': 'Bob'}
ROLES = ['admin', 'editor', 'viewer', 'billing-admin']


def organization(name, members=0):
    return {'name': name, 'members': members, 'roles': ROLES}


SEED = {
    'roles': ['billing'],
    'users': ANN + [BOB],
    'organizations': [organization(name, 5) for name in (
        'add', 'exact', 'absent', 'roles', 'check', 'idem', 'resolve', 'midway', 'scope', 'secrets')]
    + [organization('big', 20000)],
}


@pytest.fixture(scope='module')
def tenant():
    with LocalTenant(seed=SEED, tls=True) as running:
        running.add_users(60)
        yield running


@pytest.fixture(scope='module')
def spare_users(tenant):
    """Users of the tenant who belong to no organization, in a stable order."""
    members = set()
    for org in tenant.organizations.values():
        members.update(tenant.member_ids(org.id))
    return sorted(user_id for user_id in tenant.users if user_id not in members and user_id.startswith('auth0|')
                  and user_id not in (ANN[0]['user_id'], BOB['user_id']))


def org_id(tenant, name):
    return next(org.id for org in tenant.organizations.values() if org.name == name)


def writes(tenant):
    return [record for record in tenant.requests if record.method in ('POST', 'DELETE')
            and record.path.startswith('/api/v2/organizations/')]


def task(connection, **args):
    return {MODULE: dict(connection, **args)}


def role_names(tenant, org, user_id):
    return sorted(role['name'] for role in tenant.roles_of(org, user_id))


def test_adds_by_id_and_email_with_roles_and_a_second_run_writes_nothing(run_playbook, connection, tenant, spare_users):
    members = [{'user': spare_users[0], 'roles': ['admin', 'editor']}, 'bob@acme.example', spare_users[1]]
    run = run_playbook([task(connection, org_name='add', members=members, roles=['viewer'])] * 2)
    first, second = run.results
    assert first['changed'] is True, run.output()
    assert sorted(first['added']) == sorted([spare_users[0], BOB['user_id'], spare_users[1]])
    assert first['roles_granted'] == {spare_users[0]: ['admin', 'editor'], BOB['user_id']: ['viewer'],
                                      spare_users[1]: ['viewer']}
    assert first['organization']['name'] == 'add'
    assert role_names(tenant, 'add', spare_users[0]) == ['admin', 'editor']
    assert role_names(tenant, 'add', BOB['user_id']) == ['viewer']
    assert second['changed'] is False and second['added'] == [] and second['roles_granted'] == {}, second
    assert len(writes(tenant)) == 1 + 3  # one batch of members, one grant per member; none on the second run


def test_purge_members_makes_the_membership_exactly_the_list_in_batches_of_ten(
        run_playbook, connection, tenant, spare_users):
    keep = tenant.member_ids('exact')[:2]
    wanted = keep + spare_users[2:27]
    run = run_playbook([task(connection, org_name='exact', members=wanted, purge_members=True)])
    result = run.result
    assert result['changed'] and sorted(result['added']) == sorted(spare_users[2:27]), run.output()
    assert len(result['removed']) == 3
    assert sorted(tenant.member_ids('exact')) == sorted(wanted)
    batches = [record.body['members'] for record in writes(tenant) if record.method == 'POST']
    assert [len(batch) for batch in batches] == [10, 10, 5]
    assert [len(record.body['members']) for record in writes(tenant) if record.method == 'DELETE'] == [3]


def test_absent_removes_members_or_only_the_roles_named(run_playbook, connection, tenant):
    ids = tenant.member_ids('absent')
    run_playbook([task(connection, org_name='absent', members=[{'user': ids[1], 'roles': ['admin', 'viewer']}],
                       purge_roles=True)])
    run = run_playbook([task(connection, org_name='absent', state='absent',
                             members=[ids[0], {'user': ids[1], 'roles': ['admin', 'billing']}, 'bob@acme.example'])])
    result = run.result
    assert result['removed'] == [ids[0]], run.output()
    assert result['roles_revoked'] == {ids[1]: ['admin']}
    assert ids[0] not in tenant.member_ids('absent') and ids[1] in tenant.member_ids('absent')
    assert role_names(tenant, 'absent', ids[1]) == ['viewer']
    again = run_playbook([task(connection, org_name='absent', state='absent', members=[ids[0]])])
    assert again.result['changed'] is False


def test_roles_are_additive_unless_purge_roles(run_playbook, connection, tenant):
    user = tenant.member_ids('roles')[0]
    run_playbook([task(connection, org_name='roles', members=[{'user': user, 'roles': ['admin', 'editor']}],
                       purge_roles=True)])
    additive = run_playbook([task(connection, org_name='roles', members=[{'user': user, 'roles': ['viewer']}])])
    assert additive.result['roles_granted'] == {user: ['viewer']} and additive.result['roles_revoked'] == {}
    assert role_names(tenant, 'roles', user) == ['admin', 'editor', 'viewer']
    exact = run_playbook([task(connection, org_id=org_id(tenant, 'roles'),
                               members=[{'user': user, 'roles': ['viewer', 'billing-admin']}], purge_roles=True)])
    assert exact.result['roles_granted'] == {user: ['billing-admin']}
    assert exact.result['roles_revoked'] == {user: ['admin', 'editor']}
    assert role_names(tenant, 'roles', user) == ['billing-admin', 'viewer']


def test_check_mode_with_diff_is_the_compliance_report_and_writes_nothing(
        run_playbook, connection, tenant, spare_users):
    before = tenant.member_ids('check')
    wanted = before[:3] + [spare_users[30]]
    compliance = dict(task(connection, org_name='check', members=wanted, purge_members=True), check_mode=True,
                      diff=True)
    gate = {'ansible.builtin.assert': {'that': 'not result_0.changed'}}
    run = run_playbook([compliance, gate])
    result = run.result
    assert result['changed'] is True and run.results[1]['failed'] is True
    assert result['added'] == [spare_users[30]] and sorted(result['removed']) == sorted(before[3:])
    assert writes(tenant) == []
    assert tenant.member_ids('check') == before
    # The drift as a person reads it in the CI log: one line per member, email (user id): roles, sorted.
    email_of = tenant.user(before[3])['email']
    assert '-%s (%s):' % (email_of, before[3]) in run.stdout
    assert '+' in run.stdout and spare_users[30] in run.stdout
    lines = result['diff']['before'].splitlines()
    assert lines == sorted(lines) and len(lines) == len(before)
    # The same run, for real, reports exactly what check mode said.
    real = run_playbook([task(connection, org_name='check', members=wanted, purge_members=True)])
    assert (real.result['added'], sorted(real.result['removed'])) == (result['added'], sorted(result['removed']))


def test_every_entry_resolves_before_any_write(run_playbook, connection, tenant, spare_users):
    cases = [
        (['nobody@acme.example'], "No user of tenant %s has the email 'nobody@acme.example'" % tenant.domain),
        (['ann@acme.example'], '2 users of tenant %s have the email \'ann@acme.example\': %s (Username-Password-'
                               'Authentication), %s (google-oauth2)' % (tenant.domain, ANN[0]['user_id'],
                                                                        ANN[1]['user_id'])),
        ([{'user': spare_users[40], 'roles': ['billin']}], "No role of tenant %s is named 'billin'" % tenant.domain),
        ([{'user': spare_users[40], 'roles': ['Admin']}], "is named 'Admin'"),
        ([{'user': spare_users[40], 'roles': ['rol_DoesNotExist']}], "Role 'rol_DoesNotExist' was not found"),
    ]
    for members, message in cases:
        run = run_playbook([task(connection, org_name='resolve', members=[spare_users[41]] + members)])
        assert run.result['failed'] is True and message in run.result['msg'], run.output()
        assert 'Traceback' not in run.output()
    assert writes(tenant) == []


def test_a_write_failing_part_way_reports_what_was_applied_and_a_rerun_converges(run_playbook, connection, tenant,
                                                                                 spare_users):
    wanted = spare_users[42:57]
    # The first batch of ten goes through; the member-write bucket is then empty and the task may not wait.
    tenant.set_rate_limit('member_writes', burst=1, per_minute=1)
    try:
        run = run_playbook([task(connection, org_name='midway', members=wanted, rate_limit_timeout=0)])
    finally:
        tenant.set_rate_limit('member_writes', burst=1000000, per_minute=60000000)
    result = run.result
    assert result['failed'] is True and result['status'] == 429, run.output()
    assert result['changed'] is True and result['added'] == wanted[:10]
    assert "Auth0's rate limit" in result['msg']
    assert 'Not applied: additions of %s' % ', '.join(wanted[10:]) in result['msg']
    assert 'Applied before the failure: added %s' % ', '.join(wanted[:10]) in result['msg']
    assert set(wanted[:10]) <= set(tenant.member_ids('midway')) and wanted[10] not in tenant.member_ids('midway')
    rerun = run_playbook([task(connection, org_name='midway', members=wanted)])
    assert rerun.result['changed'] is True and rerun.result['added'] == wanted[10:]
    assert set(wanted) <= set(tenant.member_ids('midway'))


def test_a_write_that_fails_at_once_reports_nothing_applied(run_playbook, connection, tenant, spare_users):
    tenant.inject(MEMBERS_WRITE_PATH, 'status', times=1, method='POST', status=503)
    run = run_playbook([task(connection, org_name='midway', members=[spare_users[57]], max_retries=0)])
    result = run.result
    assert result['failed'] is True and result['status'] == 503, run.output()
    assert result['changed'] is False and result['added'] == []
    assert 'Applied before the failure: nothing.' in result['msg']
    assert spare_users[57] not in tenant.member_ids('midway')


def test_a_grant_refused_for_its_scope_after_the_add_lists_the_add(run_playbook, connection, tenant, spare_users):
    token = tenant.mint_token(scopes=['read:organizations', 'read:organization_members',
                                      'read:organization_member_roles', 'read:users', 'read:roles',
                                      'create:organization_members'])
    user = spare_users[56]
    args = dict(connection, token=token)
    run = run_playbook([task(args, org_name='scope', members=[{'user': user, 'roles': ['admin']}])])
    result = run.result
    assert result['failed'] is True and result['status'] == 403, run.output()
    assert 'create:organization_member_roles' in result['msg']
    assert result['changed'] is True and result['added'] == [user] and result['roles_granted'] == {}
    assert 'Applied before the failure: added %s' % user in result['msg']


def test_403_names_the_missing_scope_and_writes_nothing(run_playbook, connection, tenant, spare_users):
    token = tenant.mint_token(scopes=['read:organizations', 'read:organization_members',
                                      'read:organization_member_roles', 'read:users', 'read:roles'])
    run = run_playbook([task(dict(connection, token=token), org_name='scope', members=[spare_users[58]])])
    assert run.result['failed'] is True and run.result['status'] == 403
    assert 'create:organization_members' in run.result['msg']
    assert run.result['changed'] is False and run.result['added'] == []
    assert spare_users[58] not in tenant.member_ids('scope')


def test_one_member_with_a_role_in_a_large_organization_takes_a_handful_of_requests(run_playbook, connection, tenant,
                                                                                    spare_users):
    run = run_playbook([task(connection, org_name='big', members=[{'user': spare_users[59], 'roles': ['admin']}])])
    assert run.result['added'] == [spare_users[59]], run.output()
    api_requests = [record for record in tenant.requests if record.path.startswith('/api/v2/')]
    # organization by name, roles by name, the first page of members, the user's organizations, two writes
    assert len(api_requests) <= 6, [(record.method, record.path) for record in api_requests]
    assert tenant.count(r'^/api/v2/organizations/[^/]+/members$', method='GET') == 1


def test_no_secret_at_vvvv_with_client_credentials(run_playbook, tenant, spare_users):
    env = {'AUTH0_DOMAIN': tenant.domain, 'AUTH0_CLIENT_ID': tenant.client_id,
           'AUTH0_CLIENT_SECRET': tenant.client_secret, 'REQUESTS_CA_BUNDLE': tenant.ca_path}
    run = run_playbook([{MODULE: {'org_name': 'secrets', 'members': [{'user': spare_users[0], 'roles': ['admin']}]},
                         'diff': True}], extra_env=env, verbosity=4)
    assert run.result['changed'] is True, run.output()
    output = run.output() + json.dumps(run.results)
    assert tenant.client_secret not in output
    for credential in tenant.credentials_seen:
        assert credential not in output and credential[:40] not in output
