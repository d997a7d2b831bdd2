"""auth0_org_members_info through ansible-playbook against the local tenant (TLS with ca_path)."""

import math

MEMBERS_PATH = r'^/api/v2/organizations/[^/]+/members$'
ROLES_PATH = r'^/api/v2/organizations/[^/]+/members/[^/]+/roles$'
TOKEN_PATH = r'^/oauth/token$'


def user_ids(members):
    return [member['user_id'] for member in members]


def test_every_member_of_a_2500_member_org_comes_back_in_order(run_playbook, connection, orgs, tenant):
    acme = orgs['acme']
    run = run_playbook(dict(connection, org_id=acme.id))
    result = run.result
    assert not result.get('failed'), result.get('msg')
    assert result['changed'] is False
    assert result['count'] == 2500
    assert user_ids(result['members']) == user_ids(acme.members)
    assert result['organization'] == {'id': acme.id}
    assert set(result['members'][0]) == {'user_id', 'email', 'name', 'picture'}
    # The offset page that tells the total (past the 1000-record offset cap), then 25 checkpoint pages and
    # Auth0's empty page without `next`: the most the client may spend, ceil(n/100) + 2.
    assert tenant.count(MEMBERS_PATH) == math.ceil(2500 / 100) + 2


def test_include_roles_costs_one_request_per_page_not_per_member(run_playbook, connection, orgs, tenant):
    acme = orgs['acme']
    result = run_playbook(dict(connection, org_id=acme.id, include_roles=True)).result
    assert not result.get('failed'), result.get('msg')
    assert result['count'] == 2500
    for member in result['members']:
        assert member['roles'] == [{'id': role['id'], 'name': role['name']} for role in acme.roles_of(member['user_id'])]
    assert any(member['roles'] for member in result['members'])
    assert tenant.count(MEMBERS_PATH) == math.ceil(2500 / 100) + 2
    assert tenant.count(ROLES_PATH) == 0


def test_org_name_is_resolved_to_the_organization(run_playbook, connection, orgs, tenant):
    tiny = orgs['tiny']
    result = run_playbook(dict(connection, org_name='tiny')).result
    assert not result.get('failed'), result.get('msg')
    assert result['organization'] == {'id': tiny.id, 'name': 'tiny', 'display_name': 'Tiny Team'}
    assert user_ids(result['members']) == user_ids(tiny.members)
    assert tenant.count(r'^/api/v2/organizations/name/tiny$') == 1


def test_page_and_per_page_return_one_offset_page(run_playbook, connection, orgs, tenant):
    acme = orgs['acme']
    result = run_playbook(dict(connection, org_id=acme.id, page=3, per_page=7)).result
    assert not result.get('failed'), result.get('msg')
    assert user_ids(result['members']) == user_ids(acme.members[21:28])
    assert result['count'] == 7
    assert tenant.count(MEMBERS_PATH) == 1


def test_fields_limit_what_comes_back(run_playbook, connection, orgs):
    tiny = orgs['tiny']
    included = run_playbook(dict(connection, org_id=tiny.id, fields=['user_id', 'email'])).result
    assert [set(member) for member in included['members']] == [{'user_id', 'email'}] * 3
    excluded = run_playbook(dict(connection, org_id=tiny.id, fields=['picture'], include_fields=False)).result
    assert [set(member) for member in excluded['members']] == [{'user_id', 'email', 'name'}] * 3
    with_roles = run_playbook(dict(connection, org_id=tiny.id, fields=['email'], include_roles=True)).result
    assert [set(member) for member in with_roles['members']] == [{'email', 'roles'}] * 3


def test_credentials_from_environment_variables(run_playbook, tenant, orgs):
    env = {'AUTH0_DOMAIN': tenant.domain, 'AUTH0_API_TOKEN': tenant.mint_token()}
    result = run_playbook({'org_id': orgs['tiny'].id, 'ca_path': tenant.ca_path}, extra_env=env).result
    assert not result.get('failed'), result.get('msg')
    assert result['count'] == 3
    env = {'AUTH0_DOMAIN': tenant.domain, 'AUTH0_CLIENT_ID': tenant.client_id, 'AUTH0_CLIENT_SECRET': tenant.client_secret}
    result = run_playbook({'org_id': orgs['tiny'].id, 'ca_path': tenant.ca_path}, extra_env=env).result
    assert not result.get('failed'), result.get('msg')
    assert result['count'] == 3


def test_client_credentials_mint_exactly_one_token(run_playbook, tenant, orgs):
    args = {'domain': tenant.domain, 'ca_path': tenant.ca_path, 'client_id': tenant.client_id,
            'client_secret': tenant.client_secret, 'org_id': orgs['acme'].id}
    result = run_playbook(args).result
    assert not result.get('failed'), result.get('msg')
    assert result['count'] == 2500
    assert tenant.count(TOKEN_PATH, method='POST') == 1


def test_module_defaults_for_the_auth0_group(run_playbook, connection, orgs):
    tasks = [{'community.auth0.auth0_org_members_info': {'org_id': orgs['tiny'].id}}]
    run = run_playbook(tasks, module_defaults={'group/community.auth0.auth0': connection})
    assert not run.result.get('failed'), run.result.get('msg')
    assert run.result['count'] == 3


def test_check_mode_runs_the_same(run_playbook, connection, orgs):
    result = run_playbook(dict(connection, org_id=orgs['tiny'].id), check=True).result
    assert not result.get('failed'), result.get('msg')
    assert result['count'] == 3
    assert result['changed'] is False


def test_self_signed_tenant_is_refused_without_ca_path(run_playbook, connection, orgs, tenant):
    args = dict(connection, org_id=orgs['tiny'].id)
    del args['ca_path']
    result = run_playbook(args).result
    assert result['failed']
    assert 'TLS failed' in result['msg'] and 'ca_path' in result['msg']
    assert tenant.domain in result['msg']
    assert tenant.count(MEMBERS_PATH) == 0


def test_validate_certs_false_reaches_the_self_signed_tenant(run_playbook, connection, orgs):
    args = dict(connection, org_id=orgs['tiny'].id, validate_certs=False)
    del args['ca_path']
    result = run_playbook(args).result
    assert not result.get('failed'), result.get('msg')
    assert result['count'] == 3
