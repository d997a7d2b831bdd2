"""Private Key JWT through ansible-playbook: the modules and the lookups, from options and from the environment."""

import pytest

from local_tenant import new_rsa_key, private_key_pem, public_key_pem

MODULE = 'community.auth0.auth0_org_members_info'
TOKEN_PATH = r'^/oauth/token$'
PS256_CLIENT = 'integration-ps256-client'


@pytest.fixture(scope='module')
def ps256_key(tenant):
    """The private key (PEM) of PS256_CLIENT, an application registered with a PS256 credential."""
    key = new_rsa_key()
    tenant.add_private_key_client(PS256_CLIENT, public_key_pem(key), 'PS256')
    return private_key_pem(key)


@pytest.fixture
def key_client(tenant):
    return tenant.private_key_client


def with_key(tenant, client_id, pem, **options):
    return dict(domain=tenant.domain, ca_path=tenant.ca_path, client_id=client_id, client_assertion_private_key=pem,
                **options)


def user_ids(members):
    return [member['user_id'] for member in members]


def test_module_reads_with_one_signed_token_request(run_playbook, tenant, orgs, key_client):
    run = run_playbook(with_key(tenant, key_client.client_id, key_client.private_key_pem, org_id=orgs['tiny'].id))
    assert not run.result.get('failed'), run.result.get('msg')
    assert user_ids(run.result['members']) == user_ids(orgs['tiny'].members)
    assert tenant.count(TOKEN_PATH, method='POST') == 1


def test_signing_alg_must_be_the_credentials(run_playbook, tenant, orgs, ps256_key):
    run = run_playbook([
        {MODULE: with_key(tenant, PS256_CLIENT, ps256_key, client_assertion_signing_alg='PS256', org_id=orgs['tiny'].id)},
        {MODULE: with_key(tenant, PS256_CLIENT, ps256_key, org_id=orgs['tiny'].id)},
    ])
    right, default_rs256 = run.results
    assert user_ids(right['members']) == user_ids(orgs['tiny'].members)
    assert default_rs256['failed'] and (default_rs256['status'], default_rs256['error_code']) == (401, 'invalid_client')
    for words in ('public key registered', 'algorithm is RS256 (client_assertion_signing_alg)', 'clock'):
        assert words in default_rs256['msg']


def test_environment_gives_key_and_algorithm(run_playbook, tenant, orgs, ps256_key):
    env = {'AUTH0_DOMAIN': tenant.domain, 'AUTH0_CLIENT_ID': PS256_CLIENT, 'AUTH0_CLIENT_ASSERTION_PRIVATE_KEY': ps256_key,
           'AUTH0_CLIENT_ASSERTION_SIGNING_ALG': 'PS256'}
    run = run_playbook(dict(ca_path=tenant.ca_path, org_name='tiny'), extra_env=env)
    assert user_ids(run.result['members']) == user_ids(orgs['tiny'].members)


def test_escaped_newlines_in_the_environment_are_accepted(run_playbook, tenant, orgs, key_client):
    env = {'AUTH0_DOMAIN': tenant.domain, 'AUTH0_CLIENT_ID': key_client.client_id,
           'AUTH0_CLIENT_ASSERTION_PRIVATE_KEY': key_client.private_key_pem.replace('\n', '\\n')}
    run = run_playbook(dict(ca_path=tenant.ca_path, org_id=orgs['tiny'].id), extra_env=env)
    assert user_ids(run.result['members']) == user_ids(orgs['tiny'].members)


def test_task_credentials_win_over_the_environment(run_playbook, tenant, orgs, key_client):
    # The environment's secret and PS256 algorithm belong to other credentials and must not be mixed in.
    env = {'AUTH0_CLIENT_ID': tenant.client_id, 'AUTH0_CLIENT_SECRET': tenant.client_secret,
           'AUTH0_CLIENT_ASSERTION_SIGNING_ALG': 'PS256'}
    run = run_playbook(with_key(tenant, key_client.client_id, key_client.private_key_pem, org_id=orgs['tiny'].id),
                       extra_env=env)
    assert not run.result.get('failed'), run.result.get('msg')


def test_a_secret_and_a_key_together_are_refused_before_any_request(run_playbook, tenant, orgs, key_client):
    env = {'AUTH0_DOMAIN': tenant.domain, 'AUTH0_CLIENT_ID': key_client.client_id,
           'AUTH0_CLIENT_SECRET': tenant.client_secret, 'AUTH0_CLIENT_ASSERTION_PRIVATE_KEY': key_client.private_key_pem}
    run = run_playbook([
        {MODULE: dict(ca_path=tenant.ca_path, org_id=orgs['tiny'].id)},
        {MODULE: with_key(tenant, key_client.client_id, key_client.private_key_pem, client_secret='s3cr3t',
                          org_id=orgs['tiny'].id)},
    ], extra_env=env)
    from_environment, from_task = run.results
    assert from_environment['failed']
    assert 'AUTH0_CLIENT_SECRET' in from_environment['msg'] and 'AUTH0_CLIENT_ASSERTION_PRIVATE_KEY' in from_environment['msg']
    assert from_task['failed'] and 'mutually exclusive' in from_task['msg']
    assert tenant.requests == []


def test_an_unusable_key_fails_before_any_request(run_playbook, tenant, orgs, key_client):
    public = public_key_pem(new_rsa_key())
    run = run_playbook([
        {MODULE: with_key(tenant, key_client.client_id, public, org_id=orgs['tiny'].id)},
        {MODULE: with_key(tenant, key_client.client_id, key_client.private_key_path, org_id=orgs['tiny'].id)},
    ])
    public_result, path_result = run.results
    assert public_result['failed'] and 'holds a public key, not a private key' in public_result['msg']
    assert path_result['failed'] and 'not its path' in path_result['msg']
    assert tenant.requests == []
    assert 'Traceback' not in run.output()


def test_a_key_auth0_does_not_know_is_refused_with_what_to_check(run_playbook, tenant, orgs, key_client):
    run = run_playbook(with_key(tenant, key_client.client_id, private_key_pem(new_rsa_key()), org_id=orgs['tiny'].id))
    assert run.result['failed'] and run.result['status'] == 401 and run.result['error_code'] == 'invalid_client'
    assert 'Invalid signature of the client_assertion' in run.result['msg']
    assert 'public key registered for application %r' % key_client.client_id in run.result['msg']


def test_a_token_expiring_mid_run_is_replaced_with_a_fresh_assertion(run_playbook, tenant, orgs, key_client):
    # The tenant refuses a replayed jti: the second token request succeeds only with a new assertion.
    tenant.inject(r'/members$', 'expire_token')
    run = run_playbook(with_key(tenant, key_client.client_id, key_client.private_key_pem, org_name='acme'))
    assert not run.result.get('failed'), run.result.get('msg')
    assert run.result['count'] == len(orgs['acme'].members)
    assert tenant.count(TOKEN_PATH, method='POST') == 2


def test_lookups_take_the_same_options(run_playbook, tenant, orgs, key_client):
    env = {'AUTH0_DOMAIN': tenant.domain, 'REQUESTS_CA_BUNDLE': tenant.ca_path}
    key_vars = {'key_client_id': key_client.client_id, 'key_pem': key_client.private_key_pem}
    tasks = [
        {'ansible.builtin.set_fact': {'tiny': "{{ lookup('community.auth0.org_members', 'tiny', by_name=true, "
                                              "client_id=key_client_id, client_assertion_private_key=key_pem) }}"},
         'vars': key_vars},
        {'ansible.builtin.set_fact': {'minted': "{{ lookup('community.auth0.management_token', client_id=key_client_id, "
                                                "client_assertion_private_key=key_pem) }}"},
         'vars': key_vars, 'no_log': True},
        {MODULE: {'token': '{{ minted }}', 'org_id': orgs['tiny'].id}},
    ]
    run = run_playbook(tasks, extra_env=env)
    assert user_ids(run.results[0]['ansible_facts']['tiny']) == user_ids(orgs['tiny'].members)
    assert user_ids(run.results[2]['members']) == user_ids(orgs['tiny'].members)
    assert tenant.count(TOKEN_PATH, method='POST') == 2


def test_lookup_reads_the_key_from_the_environment(run_playbook, tenant, orgs, ps256_key):
    env = {'AUTH0_DOMAIN': tenant.domain, 'REQUESTS_CA_BUNDLE': tenant.ca_path, 'AUTH0_CLIENT_ID': PS256_CLIENT,
           'AUTH0_CLIENT_ASSERTION_PRIVATE_KEY': ps256_key, 'AUTH0_CLIENT_ASSERTION_SIGNING_ALG': 'PS256'}
    run = run_playbook([{'ansible.builtin.set_fact': {'members': "{{ lookup('community.auth0.org_members', '%s') }}"
                                                                 % orgs['tiny'].id}}], extra_env=env)
    assert user_ids(run.result['ansible_facts']['members']) == user_ids(orgs['tiny'].members)


def test_without_pyjwt_and_cryptography_only_private_key_jwt_stops(run_playbook, tenant, orgs, key_client, tmp_path):
    # A sitecustomize that makes `import jwt` and `import cryptography` fail, in ansible and in the modules.
    blocker = tmp_path / 'without_jwt'
    blocker.mkdir()
    (blocker / 'sitecustomize.py').write_text("import sys\nsys.modules['jwt'] = None\nsys.modules['cryptography'] = None\n")
    env = {'PYTHONPATH': str(blocker), 'AUTH0_DOMAIN': tenant.domain, 'REQUESTS_CA_BUNDLE': tenant.ca_path}
    key_vars = {'key_client_id': key_client.client_id, 'key_pem': key_client.private_key_pem}
    run = run_playbook([
        {MODULE: dict(token=tenant.mint_token(), org_id=orgs['tiny'].id)},
        {MODULE: dict(client_id=tenant.client_id, client_secret=tenant.client_secret, org_id=orgs['tiny'].id)},
        {MODULE: dict(client_id=key_client.client_id, client_assertion_private_key=key_client.private_key_pem,
                      org_id=orgs['tiny'].id)},
        {'ansible.builtin.set_fact': {'x': "{{ lookup('community.auth0.org_members', 'tiny', by_name=true, "
                                           "client_id=key_client_id, client_assertion_private_key=key_pem) }}"},
         'vars': key_vars},
    ], extra_env=env)
    with_token, with_secret, module_with_key, lookup_with_key = run.results
    assert user_ids(with_token['members']) == user_ids(with_secret['members']) == user_ids(orgs['tiny'].members)
    assert module_with_key['failed']
    assert 'Failed to import the required Python library (PyJWT and cryptography)' in module_with_key['msg']
    assert lookup_with_key['failed'] and 'needs the Python libraries PyJWT and cryptography' in lookup_with_key['msg']
    assert tenant.count(TOKEN_PATH, method='POST') == 1
