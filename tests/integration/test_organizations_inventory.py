"""The community.auth0.organizations inventory plugin through ansible-inventory and ansible-playbook.

Each test writes an inventory source (tenant.auth0.yml) and runs the real programs against a local
tenant of its own; the tenant's request log says what reached Auth0.
"""

import json
import subprocess
import time

import pytest
import yaml

from integration.conftest import ansible_environment, ansible_program
from local_tenant import LocalTenant

PLUGIN = 'community.auth0.organizations'
TEMPLATE = "{{ lookup('pipe', 'id') }}"
TOKEN_PATH = r'^/oauth/token$'
LIST_PATH = r'^/api/v2/organizations$'
MEMBERS_PATH = r'^/api/v2/organizations/[^/]+/members$'
MEMBER_ROLES_PATH = r'/members/[^/]+/roles$'
TOKEN_QUOTA = {'client_credentials': {'per_hour': 1073741824, 'per_day': 1073741824, 'enforce': True}}
SEED = {
    'organizations': [
        # 250 members: three pages of members, whichever way they are read.
        {'name': 'acme', 'display_name': 'Acme Corp', 'members': 250, 'roles': ['admin', 'viewer'],
         'branding': {'logo_url': 'https://example.com/acme.png'}, 'metadata': {'plan': 'enterprise'},
         'token_quota': TOKEN_QUOTA, 'third_party_client_access': 'block', 'is_app_entitlement_active': True},
        {'name': 'globex', 'display_name': 'Globex', 'members': 12, 'roles': ['admin'],
         'metadata': {'plan': 'free'}},
        # What Auth0 returns is data: names and metadata that look like templates must stay as they are.
        {'name': 'initech', 'display_name': TEMPLATE, 'roles': ['admin'], 'metadata': {'note': TEMPLATE},
         'members': [{'email': 'mallory@example.com', 'name': TEMPLATE, 'roles': ['admin']},
                     {'email': 'bob@example.com', 'name': 'Bob', 'roles': []}]},
        {'name': 'hooli', 'display_name': 'Hooli', 'members': 0},
    ],
}
NAMES = ['acme', 'globex', 'initech', 'hooli']
# Per organization, the requests of one full member read: ceil(members / 100), and at least one.
MEMBER_READS = 3 + 1 + 1 + 1


@pytest.fixture(scope='module')
def tenant():
    """Overrides the suite's tenant (and so the autouse clean_tenant's) for this module."""
    with LocalTenant(seed=SEED, tls=True) as running:
        yield running


@pytest.fixture
def credentials(tenant):  # pylint: disable=redefined-outer-name
    """Client credentials in AUTH0_* variables; the tenant's CA through REQUESTS_CA_BUNDLE."""
    return {'AUTH0_DOMAIN': tenant.domain, 'AUTH0_CLIENT_ID': tenant.client_id,
            'AUTH0_CLIENT_SECRET': tenant.client_secret, 'REQUESTS_CA_BUNDLE': tenant.ca_path}


class Output(str):
    """Ansible's output, searched without whitespace: ansible-core 2.17 wraps warnings at 79 columns, mid-word too."""

    def __contains__(self, text):
        return ''.join(text.split()) in ''.join(self.split())


class Inventory:
    """Writes inventory sources into a folder and runs ansible-inventory and ansible-playbook on them."""

    def __init__(self, folder, env):
        self.folder = folder
        self.env = env

    def source(self, config, name='tenant.auth0.yml'):
        path = self.folder / name
        path.write_text(yaml.safe_dump(dict({'plugin': PLUGIN}, **config), sort_keys=False))
        return path

    def run(self, program, *args, env=None, unparsed_is_failed=True):
        environment = ansible_environment(dict(self.env, **(env or {})))
        # Without this, Ansible only warns about a source it could not parse and goes on without its hosts.
        environment['ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED'] = 'true' if unparsed_is_failed else 'false'
        return subprocess.run([ansible_program(program)] + [str(arg) for arg in args], env=environment,
                              cwd=str(self.folder), capture_output=True, text=True, timeout=600, check=False)

    def listing(self, config, *args, env=None):
        """ansible-inventory --list of a source with `config`: the parsed JSON (and the run)."""
        written = self.folder / 'listing.json'
        run = self.run('ansible-inventory', '-i', self.source(config), '--list', '--output', written, *args, env=env)
        assert run.returncode == 0, run.stdout + run.stderr
        return json.loads(written.read_text()), run

    def failure(self, config, env=None, verbosity=0):
        """The output of ansible-inventory --list on a source that must fail to parse."""
        args = ['-' + 'v' * verbosity] if verbosity else []
        run = self.run('ansible-inventory', '-i', self.source(config), '--list', *args, env=env)
        assert run.returncode != 0, run.stdout
        output = Output(run.stdout + run.stderr)
        assert 'Completely failed to parse inventory source' in output
        assert 'Traceback' not in output
        return output


@pytest.fixture
def inventory(tmp_path, credentials):  # pylint: disable=redefined-outer-name
    return Inventory(tmp_path, credentials)


def hosts_of(listing, group):
    return listing.get(group, {}).get('hosts', [])


def unmarked(value):
    """A value of ansible-inventory --list output without the {"__ansible_unsafe": ...} marks of untrusted data."""
    if isinstance(value, dict):
        if list(value) == ['__ansible_unsafe']:
            return value['__ansible_unsafe']
        return dict((key, unmarked(item)) for key, item in value.items())
    if isinstance(value, list):
        return [unmarked(item) for item in value]
    return value


def hostvars(listing, host):
    return unmarked(listing['_meta']['hostvars'][host])


def user_ids(members):
    return [member['user_id'] for member in members]


# -- hosts and host variables --------------------------------------------------------------------

def test_every_organization_is_a_host_with_its_organization_and_members(inventory, tenant):
    listing, _run = inventory.listing({})
    assert hosts_of(listing, 'auth0_organizations') == NAMES
    for name in NAMES:
        org = tenant.organization(name)
        host = hostvars(listing, name)
        assert host['auth0_organization'] == org.to_api()
        assert host['auth0_members'] == org.members
        assert host['auth0_member_count'] == len(org.members)
        assert host['ansible_connection'] == 'local'
    # Every field Auth0 returns comes through as it came, token_quota among them.
    assert hostvars(listing, 'acme')['auth0_organization']['token_quota'] == TOKEN_QUOTA
    assert hostvars(listing, 'acme')['auth0_organization']['is_app_entitlement_active'] is True
    # One token for the whole inventory, one listing page, then only the member pages.
    assert tenant.count(TOKEN_PATH, method='POST') == 1
    assert tenant.count(LIST_PATH) == 1
    assert tenant.count(MEMBERS_PATH) == MEMBER_READS
    assert len(tenant.requests) == 1 + 1 + MEMBER_READS


def test_members_are_exactly_what_the_module_returns(inventory, run_playbook, tenant):
    options = {'fields': ['user_id', 'email', 'roles'], 'include_roles': True}
    listing, _run = inventory.listing(dict(options, organizations=['acme', 'initech']))
    connection = {'domain': tenant.domain, 'ca_path': tenant.ca_path, 'token': tenant.mint_token()}
    module = 'community.auth0.auth0_org_members_info'
    run = run_playbook([{module: dict(connection, org_name=name, **options)} for name in ('acme', 'initech')])
    for name, result in zip(('acme', 'initech'), run.results):
        assert hostvars(listing, name)['auth0_members'] == result['members']
        assert hostvars(listing, name)['auth0_member_count'] == result['count']


def test_roles_come_inline_without_a_request_per_member(inventory, tenant):
    listing, _run = inventory.listing({'include_roles': True})
    acme = tenant.organization('acme')
    members = hostvars(listing, 'acme')['auth0_members']
    assert user_ids(members) == acme.member_ids()
    assert [[role['name'] for role in member['roles']] for member in members] == \
        [[role['name'] for role in acme.roles_of(member['user_id'])] for member in members]
    assert tenant.count(MEMBER_ROLES_PATH) == 0
    assert tenant.count(MEMBERS_PATH) == MEMBER_READS
    assert tenant.count(TOKEN_PATH, method='POST') == 1


def test_keyed_groups_groups_and_compose(inventory):
    listing, _run = inventory.listing({
        'keyed_groups': [{'key': "auth0_organization.metadata.plan | default('none')", 'prefix': 'plan'}],
        'groups': {'large': 'auth0_member_count > 100', 'branded': 'auth0_organization.branding is defined'},
        'compose': {'ansible_connection': "'ssh'", 'customer': 'auth0_organization.display_name'},
    })
    assert hosts_of(listing, 'plan_enterprise') == ['acme']
    assert hosts_of(listing, 'plan_free') == ['globex']
    assert sorted(hosts_of(listing, 'plan_none')) == ['hooli', 'initech']
    assert hosts_of(listing, 'large') == ['acme'] and hosts_of(listing, 'branded') == ['acme']
    assert hostvars(listing, 'globex')['customer'] == 'Globex'
    # compose overrides the plugin's own ansible_connection.
    assert {hostvars(listing, name)['ansible_connection'] for name in NAMES} == {'ssh'}


def test_graph_shows_the_groups(inventory):
    config = {'keyed_groups': [{'key': "auth0_organization.metadata.plan | default('none')", 'prefix': 'plan'}]}
    run = inventory.run('ansible-inventory', '-i', inventory.source(config), '--graph')
    assert run.returncode == 0, run.stderr
    lines = [line.strip(' |-') for line in run.stdout.splitlines()]
    assert lines[lines.index('@auth0_organizations:') + 1:][:4] == NAMES
    assert lines[lines.index('@plan_enterprise:') + 1] == 'acme'


# -- which organizations, which members ------------------------------------------------------------

def test_organizations_by_id_and_name_in_the_order_given(inventory, tenant):
    globex, acme = tenant.organization('globex'), tenant.organization('acme')
    listing, _run = inventory.listing({'organizations': [globex.id, 'acme', acme.id], 'hostnames': 'id'})
    # acme, named twice, is one host; hosts are named by id.
    assert hosts_of(listing, 'auth0_organizations') == [globex.id, acme.id]
    assert hostvars(listing, acme.id)['auth0_organization'] == acme.to_api()
    assert tenant.count(LIST_PATH) == 0
    assert tenant.count(r'^/api/v2/organizations/name/acme$') == 1
    assert tenant.count(r'^/api/v2/organizations/%s$' % globex.id) == 1
    assert tenant.count(MEMBERS_PATH) == 3 + 1


def test_private_key_jwt_from_the_environment(inventory, tenant):
    key_client = tenant.private_key_client
    env = {'AUTH0_CLIENT_ID': key_client.client_id, 'AUTH0_CLIENT_SECRET': '',
           'AUTH0_CLIENT_ASSERTION_PRIVATE_KEY': key_client.private_key_pem}
    listing, _run = inventory.listing({}, env=env)
    assert hosts_of(listing, 'auth0_organizations') == NAMES
    assert tenant.count(TOKEN_PATH, method='POST') == 1


def test_members_false_reads_organizations_only(inventory, tenant):
    # A token holding only read:organizations is enough.
    token = tenant.mint_token(scopes=['read:organizations'])
    env = {'AUTH0_CLIENT_ID': '', 'AUTH0_CLIENT_SECRET': '', 'AUTH0_API_TOKEN': token}
    listing, _run = inventory.listing({'members': False}, env=env)
    assert hosts_of(listing, 'auth0_organizations') == NAMES
    for name in NAMES:
        assert set(hostvars(listing, name)) == {'auth0_organization', 'ansible_connection'}
    assert tenant.count(MEMBERS_PATH) == 0
    assert len(tenant.requests) == 1


def test_every_organization_past_one_page(tmp_path, credentials):  # pylint: disable=redefined-outer-name
    names = ['org%03d' % number for number in range(130)]
    with LocalTenant(seed={'organizations': [{'name': name} for name in names]}, tls=True) as many:
        env = dict(credentials, AUTH0_DOMAIN=many.domain, REQUESTS_CA_BUNDLE=many.ca_path)
        listing, _run = Inventory(tmp_path, env).listing({'members': False})
        assert hosts_of(listing, 'auth0_organizations') == names
        # Checkpoint paging, 100 a page: two pages, the second without a next cursor.
        pages = [record.query for record in many.requests if record.path == '/api/v2/organizations']
        assert len(pages) == 2 and 'from' not in pages[0] and pages[1]['from']


def test_the_file_name_must_end_in_auth0_yml(inventory):
    path = inventory.source({}, name='tenant.yml')
    run = inventory.run('ansible-inventory', '-i', path, '--list')
    assert run.returncode != 0
    assert "could not be verified by inventory plugin '%s'" % PLUGIN in Output(run.stdout + run.stderr)


def test_concurrency_and_rate_limit_options(inventory, tenant):
    output = inventory.failure({'max_concurrent_requests': 17})
    assert 'max_concurrent_requests must be from 1 to 16, not 17.' in output
    assert len(tenant.requests) == 0
    # rate_limit_timeout: 0 gives up on the first 429 instead of waiting for the reset.
    tenant.inject(MEMBERS_PATH, 'status', status=429)
    output = inventory.failure({'rate_limit_timeout': 0, 'max_concurrent_requests': 1})
    assert 'rate limit' in output
    assert tenant.count(MEMBERS_PATH) == 1
    listing, _run = inventory.listing({'max_concurrent_requests': 1, 'organizations': ['globex']})
    assert hostvars(listing, 'globex')['auth0_member_count'] == 12


# -- cache -----------------------------------------------------------------------------------------

def cache_config(folder, **options):
    return dict({'cache': True, 'cache_plugin': 'ansible.builtin.jsonfile', 'cache_connection': str(folder / 'cache'),
                 'include_roles': True}, **options)


def test_a_fresh_cache_sends_no_request(inventory, tenant, tmp_path):
    first, _run = inventory.listing(cache_config(tmp_path))
    assert len(tenant.requests) == 1 + 1 + MEMBER_READS
    tenant.reset_log()
    second, _run = inventory.listing(cache_config(tmp_path))
    assert tenant.requests == []
    assert second == first
    # --flush-cache (of ansible-playbook: ansible-inventory has it from ansible-core 2.19) reads Auth0 again and
    # refreshes the cache.
    playbook = tmp_path / 'count.yml'
    playbook.write_text(yaml.safe_dump([{'hosts': 'auth0_organizations', 'gather_facts': False, 'tasks': [
        {'ansible.builtin.debug': {'msg': '{{ auth0_member_count }} members'}}]}]))
    run = inventory.run('ansible-playbook', '-i', inventory.source(cache_config(tmp_path)), '--flush-cache', playbook)
    assert run.returncode == 0, run.stdout + run.stderr
    assert '"msg": "250 members"' in run.stdout
    assert len(tenant.requests) == 1 + 1 + MEMBER_READS
    tenant.reset_log()
    third, _run = inventory.listing(cache_config(tmp_path))
    assert third == first and tenant.requests == []


def test_the_cache_is_not_reused_for_other_options_or_once_expired(inventory, tenant, tmp_path):
    inventory.listing(cache_config(tmp_path, members=False))
    tenant.reset_log()
    listing, _run = inventory.listing(cache_config(tmp_path, members=True))
    assert hostvars(listing, 'acme')['auth0_member_count'] == 250
    assert tenant.count(MEMBERS_PATH) == MEMBER_READS
    tenant.reset_log()
    inventory.listing(cache_config(tmp_path, members=True))
    assert tenant.requests == []
    # Older than cache_timeout: read again.
    time.sleep(1.5)
    inventory.listing(cache_config(tmp_path, members=True, cache_timeout=1))
    assert tenant.count(MEMBERS_PATH) == MEMBER_READS


def test_a_failed_read_writes_no_cache(inventory, tenant, tmp_path):
    tenant.inject(MEMBERS_PATH, 'status', status=404)
    inventory.failure(cache_config(tmp_path))
    assert not list((tmp_path / 'cache').glob('*'))
    listing, _run = inventory.listing(cache_config(tmp_path))
    assert hosts_of(listing, 'auth0_organizations') == NAMES


# -- failures and secrets --------------------------------------------------------------------------

def test_bad_client_secret(inventory, tenant):
    output = inventory.failure({}, env={'AUTH0_CLIENT_SECRET': 'not-the-secret-0123456789'})
    assert 'access_denied' in output and 'client' in output
    assert 'not-the-secret-0123456789' not in output
    assert tenant.count(LIST_PATH) == 0


def test_missing_scope_names_it(inventory, tenant):
    token = tenant.mint_token(scopes=['read:organizations'])
    output = inventory.failure({}, env={'AUTH0_CLIENT_ID': '', 'AUTH0_CLIENT_SECRET': '', 'AUTH0_API_TOKEN': token})
    assert 'for lack of a scope' in output and 'read:organization_members' in output
    assert token not in output


def test_unknown_organization(inventory):
    output = inventory.failure({'organizations': ['acme', 'no-such-org']})
    assert "Organization 'no-such-org' was not found" in output


def test_bad_organization_reference_is_refused_before_any_request(inventory, tenant):
    output = inventory.failure({'organizations': ['Not An Org']})
    assert "org_name 'Not An Org' is not an Auth0 Organization name" in output
    assert tenant.requests == []


def test_unreachable_tenant(inventory):
    with LocalTenant(seed=None, tls=True) as gone:
        domain = gone.domain
    output = inventory.failure({'timeout': 5, 'max_retries': 0}, env={'AUTH0_DOMAIN': domain})
    assert 'Could not connect to %s while requesting a Management API token' % domain in output


def test_no_credentials(inventory):
    output = inventory.failure({}, env={'AUTH0_CLIENT_ID': '', 'AUTH0_CLIENT_SECRET': ''})
    assert 'No credentials' in output


def test_without_unparsed_is_failed_the_message_is_a_warning(inventory):
    run = inventory.run('ansible-inventory', '-i', inventory.source({'organizations': ['no-such-org']}), '--list',
                        unparsed_is_failed=False)
    assert run.returncode == 0
    assert "Organization 'no-such-org' was not found" in Output(run.stderr)
    assert json.loads(run.stdout)['_meta']['hostvars'] == {}


@pytest.mark.parametrize('verbosity', [0, 4])
def test_no_secret_in_output_or_cache(inventory, tenant, tmp_path, verbosity):
    static_token = tenant.mint_token()
    key_client = tenant.private_key_client
    cases = [
        ({}, {}),
        ({}, {'AUTH0_CLIENT_ID': '', 'AUTH0_CLIENT_SECRET': '', 'AUTH0_API_TOKEN': static_token}),
        ({'client_id': tenant.client_id, 'client_secret': tenant.client_secret},
         {'AUTH0_CLIENT_ID': '', 'AUTH0_CLIENT_SECRET': ''}),
        ({'client_id': key_client.client_id, 'client_assertion_private_key': key_client.private_key_pem},
         {'AUTH0_CLIENT_ID': '', 'AUTH0_CLIENT_SECRET': ''}),
    ]
    outputs = []
    for number, (config, env) in enumerate(cases):
        args = ['-' + 'v' * verbosity] if verbosity else []
        _listing, run = inventory.listing(cache_config(tmp_path / str(number), **config), *args, env=env)
        outputs.append(Output(run.stdout + run.stderr + (inventory.folder / 'listing.json').read_text()))
        # A failure too: Auth0 refusing the listing.
        tenant.inject(LIST_PATH, 'status', status=500, body={'message': 'boom'})
        outputs.append(inventory.failure(dict(config, max_retries=0), env=env, verbosity=verbosity))
    cached = [Output(path.read_text()) for path in tmp_path.glob('*/cache/*')]
    assert len(cached) == len(cases) and all('mallory@example.com' in text for text in cached)
    secrets = [tenant.client_secret, static_token] + key_client.private_key_pem.splitlines()[1:-1]
    # Every token the tenant issued and every client assertion it received.
    secrets += tenant.credentials_seen
    assert len(tenant.credentials_seen) >= 2 * 2 * 2
    for text in outputs + cached:
        assert not [secret for secret in secrets if secret in text]
        # No bearer token of any kind (JWTs start with eyJ).
        assert 'eyJ' not in text


# -- Auth0's data is never a template ---------------------------------------------------------------

def test_values_from_auth0_stay_literal_in_inventory_output(inventory):
    listing, _run = inventory.listing({'organizations': ['initech']})
    # ansible-inventory marks untrusted strings as such, on every ansible-core version.
    initech = listing['_meta']['hostvars']['initech']
    assert initech['auth0_organization']['display_name'] == {'__ansible_unsafe': TEMPLATE}
    assert initech['auth0_organization']['metadata'] == {'note': {'__ansible_unsafe': TEMPLATE}}
    assert initech['auth0_members'][0]['name'] == {'__ansible_unsafe': TEMPLATE}
    for args in (['--host', 'initech'], ['--list', '--yaml']):
        run = inventory.run('ansible-inventory', '-i', inventory.folder / 'tenant.auth0.yml', *args)
        assert run.returncode == 0, run.stderr
        assert 'uid=' not in run.stdout
        shown = unmarked(yaml.safe_load(run.stdout))
        host = shown if '--host' in args else shown['all']['children']['auth0_organizations']['hosts']['initech']
        assert host['auth0_members'][0]['name'] == TEMPLATE
        assert host['auth0_organization']['metadata'] == {'note': TEMPLATE}


def test_values_from_auth0_stay_literal_in_a_playbook(inventory, tmp_path):
    source = inventory.source({'organizations': ['initech', 'globex'],
                               'compose': {'customer': 'auth0_organization.display_name'}})
    machines = tmp_path / 'machines.ini'
    machines.write_text('[webservers]\nweb1 ansible_connection=local\n')
    seen = tmp_path / 'seen'
    seen.mkdir()
    playbook = tmp_path / 'playbook.yml'
    playbook.write_text(yaml.safe_dump([
        {'name': 'Per organization', 'hosts': 'auth0_organizations', 'gather_facts': False, 'tasks': [
            {'name': 'Show the names', 'ansible.builtin.debug': {
                'msg': "{{ inventory_hostname }} {{ customer }} {{ auth0_members | map(attribute='name') | list }}"}},
            {'name': 'Write what the host holds', 'ansible.builtin.copy': {
                'dest': str(seen) + '/{{ inventory_hostname }}.json', 'mode': '0600',
                'content': "{{ {'display_name': auth0_organization.display_name, 'customer': customer, "
                           "'metadata': auth0_organization.metadata, "
                           "'names': auth0_members | map(attribute='name') | list} | to_json }}"}},
        ]},
        {'name': 'On the machines', 'hosts': 'webservers', 'gather_facts': False, 'tasks': [
            {'name': 'Who may log in', 'ansible.builtin.copy': {
                'dest': str(seen) + '/{{ inventory_hostname }}.json', 'mode': '0600',
                'content': "{{ hostvars['initech'].auth0_members | map(attribute='name') | list | to_json }}"}},
        ]},
    ], sort_keys=False))
    run = inventory.run('ansible-playbook', '-i', machines, '-i', source, playbook)
    assert run.returncode == 0, run.stdout + run.stderr
    assert 'uid=' not in run.stdout + run.stderr
    assert TEMPLATE in run.stdout
    initech = json.loads((seen / 'initech.json').read_text())
    assert initech == {'display_name': TEMPLATE, 'customer': TEMPLATE, 'metadata': {'note': TEMPLATE},
                       'names': [TEMPLATE, 'Bob']}
    assert json.loads((seen / 'globex.json').read_text())['customer'] == 'Globex'
    assert json.loads((seen / 'web1.json').read_text()) == [TEMPLATE, 'Bob']
