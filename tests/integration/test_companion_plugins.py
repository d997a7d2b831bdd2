"""auth0_organization_info and the lookups, through ansible-playbook against the local tenant."""

MEMBERS_PATH = r'^/api/v2/organizations/[^/]+/members$'
TOKEN_PATH = r'^/oauth/token$'


def user_ids(members):
    return [member['user_id'] for member in members]


def test_organization_info_lists_every_organization(run_playbook, connection, tenant):
    result = run_playbook([{'community.auth0.auth0_organization_info': dict(connection, per_page=1)}]).result
    assert not result.get('failed'), result.get('msg')
    assert sorted(org['id'] for org in result['organizations']) == sorted(tenant.organizations)
    assert result['count'] == len(tenant.organizations)


def test_organization_info_by_name_and_by_id(run_playbook, connection, orgs):
    tiny = orgs['tiny']
    run = run_playbook([
        {'community.auth0.auth0_organization_info': dict(connection, org_name='tiny')},
        {'community.auth0.auth0_organization_info': dict(connection, org_id=tiny.id)},
    ])
    by_name, by_id = run.results
    assert by_name['organizations'][0]['id'] == tiny.id
    assert by_name['organizations'][0]['display_name'] == 'Tiny Team'
    assert by_id['organizations'] == by_name['organizations']


def test_organization_info_404(run_playbook, connection):
    result = run_playbook([{'community.auth0.auth0_organization_info': dict(connection, org_name='missing')}]).result
    assert result['failed'] and result['status'] == 404
    assert "Organization 'missing' was not found" in result['msg']


def test_org_members_lookup_returns_one_list_per_term_with_one_token(run_playbook, tenant, orgs):
    env = {'AUTH0_DOMAIN': tenant.domain, 'AUTH0_CLIENT_ID': tenant.client_id,
           'AUTH0_CLIENT_SECRET': tenant.client_secret, 'REQUESTS_CA_BUNDLE': tenant.ca_path}
    acme, tiny = orgs['acme'], orgs['tiny']
    tasks = [
        {'ansible.builtin.set_fact': {'both': "{{ query('community.auth0.org_members', '%s', '%s') }}" % (acme.id, tiny.id)}},
        {'ansible.builtin.set_fact': {'one': "{{ lookup('community.auth0.org_members', 'tiny', by_name=true, include_roles=true) }}"}},
    ]
    run = run_playbook(tasks, extra_env=env)
    both = run.results[0]['ansible_facts']['both']
    one = run.results[1]['ansible_facts']['one']
    assert [user_ids(members) for members in both] == [user_ids(acme.members), user_ids(tiny.members)]
    assert user_ids(one) == user_ids(tiny.members)
    assert all('roles' in member for member in one)
    # One token per lookup call (two calls), however many organizations and pages.
    assert tenant.count(TOKEN_PATH, method='POST') == 2


def test_org_members_lookup_failure_is_a_readable_error(run_playbook, tenant):
    env = {'AUTH0_DOMAIN': tenant.domain, 'AUTH0_API_TOKEN': tenant.mint_token(), 'REQUESTS_CA_BUNDLE': tenant.ca_path}
    run = run_playbook([{'ansible.builtin.set_fact': {'x': "{{ lookup('community.auth0.org_members', 'org_missing0') }}"}}],
                       extra_env=env)
    assert run.result['failed']
    assert "Organization 'org_missing0' was not found" in run.result['msg']
    assert 'Traceback' not in run.output()


def test_management_token_lookup_mints_once_for_many_tasks(run_playbook, tenant, orgs):
    env = {'AUTH0_CLIENT_ID': tenant.client_id, 'AUTH0_CLIENT_SECRET': tenant.client_secret,
           'REQUESTS_CA_BUNDLE': tenant.ca_path}
    tasks = [
        {'ansible.builtin.set_fact': {'auth0_token': "{{ lookup('community.auth0.management_token', domain='%s') }}" % tenant.domain},
         'no_log': True},
        {'community.auth0.auth0_org_members_info': {'org_id': orgs['tiny'].id}},
        {'community.auth0.auth0_org_members_info': {'org_name': 'acme'}},
    ]
    # default(omit): ansible-core 2.17 templates play-level module_defaults for every task, the set_fact too.
    defaults = {'group/community.auth0.auth0': {'domain': tenant.domain, 'token': '{{ auth0_token | default(omit) }}'}}
    run = run_playbook(tasks, extra_env=env, module_defaults=defaults)
    assert [result.get('count') for result in run.results[1:]] == [3, 2500]
    assert tenant.count(TOKEN_PATH, method='POST') == 1
    assert 'eyJ' not in run.output()


def test_management_token_lookup_uses_the_client_credentials_beside_a_token_in_the_environment(run_playbook, tenant):
    # An AWX credential with every field filled in exports AUTH0_API_TOKEN beside the client credentials.
    env = {'AUTH0_DOMAIN': tenant.domain, 'AUTH0_API_TOKEN': tenant.mint_token(), 'AUTH0_CLIENT_ID': tenant.client_id,
           'AUTH0_CLIENT_SECRET': tenant.client_secret, 'REQUESTS_CA_BUNDLE': tenant.ca_path}
    run = run_playbook([{'ansible.builtin.set_fact': {'minted': "{{ lookup('community.auth0.management_token') }}"},
                         'no_log': True},
                        {'ansible.builtin.assert': {'that': ['minted is string', 'minted | length > 0']}}],
                       extra_env=env)
    assert not run.results[1].get('failed'), run.output()
    assert tenant.count(TOKEN_PATH, method='POST') == 1


def test_org_members_lookup_takes_names_and_ids_alike(run_playbook, tenant, orgs):
    env = {'AUTH0_DOMAIN': tenant.domain, 'AUTH0_API_TOKEN': tenant.mint_token(), 'REQUESTS_CA_BUNDLE': tenant.ca_path}
    lookup = "{{ query('community.auth0.org_members', 'tiny', '%s', fields=['user_id']) | map('length') }}" % orgs['tiny'].id
    run = run_playbook([{'ansible.builtin.set_fact': {'sizes': lookup}},
                        {'ansible.builtin.debug': {'var': 'sizes'}}], extra_env=env)
    assert run.results[1]['sizes'] == [3, 3], run.output()
