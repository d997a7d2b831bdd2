"""Every organization's members in one task, through ansible-playbook: requests counted in the tenant's log."""

import math

import pytest

from local_tenant import LocalTenant

ORGANIZATION_INFO = 'community.auth0.auth0_organization_info'
MEMBERS_PATH = r'^/api/v2/organizations/[^/]+/members$'
LIST_PATH = r'^/api/v2/organizations$'
TOKEN_PATH = r'^/oauth/token$'
# Sizes around every boundary of the paging choice, roles on every member.
SIZES = (0, 1, 100, 101, 1000, 1001)
SEED = {'organizations': [{'name': 'size-%d' % size, 'members': size, 'roles': ['admin', 'viewer']} for size in SIZES]}


def fewest_requests(size, per_page=100):
    """The client's promise: 1 request up to per_page members, ceil(n/per_page) up to 1000, ceil(n/per_page) + 2 above."""
    if size <= per_page:
        return 1
    if size <= 1000:
        return math.ceil(size / per_page)
    return math.ceil(size / per_page) + 2


@pytest.fixture(scope='module')
def sized():
    with LocalTenant(seed=SEED, tls=True) as running:
        yield running


@pytest.fixture
def client_credentials(sized):
    sized.reset_log()
    sized.clear_faults()
    return {'domain': sized.domain, 'ca_path': sized.ca_path, 'client_id': sized.client_id,
            'client_secret': sized.client_secret}


def by_name(tenant):
    return {org.name: org for org in tenant.organizations.values()}


def test_every_organization_with_its_members_in_the_fewest_requests(run_playbook, sized, client_credentials):
    result = run_playbook([{ORGANIZATION_INFO: dict(client_credentials, include_members=True, include_roles=True)}]).result
    assert not result.get('failed'), result.get('msg')
    seeded = by_name(sized)
    assert result['count'] == len(SIZES)
    for organization in result['organizations']:
        org = seeded[organization['name']]
        assert [member['user_id'] for member in organization['members']] == [member['user_id'] for member in org.members]
        assert organization['member_count'] == len(org.members)
        for member in organization['members']:
            assert member['roles'] == [{'id': role['id'], 'name': role['name']} for role in org.roles_of(member['user_id'])]
    assert sized.count(MEMBERS_PATH) == sum(fewest_requests(size) for size in SIZES)
    assert sized.count(LIST_PATH) == 1
    assert sized.count(TOKEN_PATH, method='POST') == 1
    assert sized.count(r'/roles$') == 0, 'roles come inline, never one request per member'


def test_output_order_is_auth0s_whatever_finishes_first(run_playbook, sized, client_credentials):
    listed = run_playbook([{ORGANIZATION_INFO: client_credentials}]).result['organizations']
    sized.set_latency(0.02)
    try:
        options = dict(client_credentials, include_members=True, max_concurrent_requests=6)
        with_members = run_playbook([{ORGANIZATION_INFO: options}]).result
    finally:
        sized.set_latency(0)
    assert [org['id'] for org in with_members['organizations']] == [org['id'] for org in listed]


def test_fields_and_one_organization(run_playbook, sized, client_credentials):
    options = dict(client_credentials, org_name='size-101', include_members=True, fields=['user_id', 'email'])
    result = run_playbook([{ORGANIZATION_INFO: options}]).result
    assert not result.get('failed'), result.get('msg')
    (organization,) = result['organizations']
    assert organization['member_count'] == 101
    assert all(set(member) == {'user_id', 'email'} for member in organization['members'])
    assert sized.count(MEMBERS_PATH) == 2


def test_a_failing_organization_fails_the_task_and_is_named(run_playbook, sized, client_credentials):
    broken = by_name(sized)['size-101']
    sized.inject(r'^/api/v2/organizations/%s/members$' % broken.id, 'status', times=1, status=403,
                 body={'statusCode': 403, 'error': 'Forbidden', 'message': 'Insufficient scope, expected any of: '
                       'read:organization_members', 'errorCode': 'insufficient_scope'})
    result = run_playbook([{ORGANIZATION_INFO: dict(client_credentials, include_members=True)}]).result
    assert result.get('failed') is True
    assert repr(broken.id) in result['msg'] and 'read:organization_members' in result['msg']
    assert result['status'] == 403
    assert 'organizations' not in result


def test_member_options_need_include_members(run_playbook, sized, client_credentials):
    result = run_playbook([{ORGANIZATION_INFO: dict(client_credentials, include_roles=True)}]).result
    assert result.get('failed') is True
    assert 'include_members=true' in result['msg']
    assert sized.count() == 0


def test_lookup_with_several_terms_reads_them_concurrently_with_one_token(run_playbook, sized):
    env = {'AUTH0_DOMAIN': sized.domain, 'AUTH0_CLIENT_ID': sized.client_id,
           'AUTH0_CLIENT_SECRET': sized.client_secret, 'REQUESTS_CA_BUNDLE': sized.ca_path}
    sized.reset_log()
    names = ['size-%d' % size for size in SIZES]
    query = "{{ query('community.auth0.org_members', %s, by_name=true, fields=['user_id']) }}" % ', '.join(
        "'%s'" % name for name in names)
    run = run_playbook([{'ansible.builtin.set_fact': {'lists': query}}], extra_env=env)
    lists = run.result['ansible_facts']['lists']
    assert [len(members) for members in lists] == list(SIZES)
    assert sized.count(MEMBERS_PATH) == sum(fewest_requests(size) for size in SIZES)
    assert sized.count(TOKEN_PATH, method='POST') == 1
