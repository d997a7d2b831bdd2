"""What ansible-core 2.22 and later mask in everything they print because the collection registers it.

ansible-core registers no_log option values by itself. Credentials read from AUTH0_* variables and the
token that management_token returns are registered by the collection (module_utils/_auth0_masking.py).
A later task that shows them proves the registration reached the controller: since 2.22 it prints
`$REDACTED$`, while tasks still get the real value. Before 2.22 there is no masking, and ansible prints
what a task shows (the docs say to mark such tasks no_log).
"""

from integration.conftest import SECRET_MASKING

MASK = '$REDACTED$'


def shown(run, label):
    """What a debug task printed after `label=` (to the end of its line)."""
    line = next(line for line in run.stdout.splitlines() if label + '=' in line)
    return line.split(label + '=', 1)[1].rstrip('",')


def test_credentials_the_module_read_from_the_environment_are_masked_afterwards(run_playbook, tenant, orgs):
    env = {'AUTH0_DOMAIN': tenant.domain, 'AUTH0_CLIENT_ID': tenant.client_id,
           'AUTH0_CLIENT_SECRET': tenant.client_secret, 'REQUESTS_CA_BUNDLE': tenant.ca_path}
    run = run_playbook([
        {'community.auth0.auth0_org_members_info': {'org_id': orgs['tiny'].id}},
        {'ansible.builtin.debug': {'msg': "client_secret={{ lookup('ansible.builtin.env', 'AUTH0_CLIENT_SECRET') }}"}},
    ], extra_env=env)
    assert run.results[0]['count'] == 3
    assert shown(run, 'client_secret') == (MASK if SECRET_MASKING else tenant.client_secret)


def test_lookup_credentials_and_the_management_token_are_masked_afterwards(run_playbook, tenant, orgs):
    env = {'AUTH0_DOMAIN': tenant.domain, 'AUTH0_API_TOKEN': tenant.mint_token(), 'REQUESTS_CA_BUNDLE': tenant.ca_path}
    management_token = "{{ lookup('community.auth0.management_token', client_id='%s', client_secret='%s') }}" % (
        tenant.client_id, tenant.client_secret)
    run = run_playbook([
        {'ansible.builtin.set_fact': {'tiny': "{{ lookup('community.auth0.org_members', 'tiny', by_name=true) }}"}},
        {'ansible.builtin.debug': {'msg': "api_token={{ lookup('ansible.builtin.env', 'AUTH0_API_TOKEN') }}"}},
        {'ansible.builtin.set_fact': {'auth0_token': management_token}},
        {'ansible.builtin.debug': {'msg': 'management_token={{ auth0_token }}'}},
        {'community.auth0.auth0_org_members_info': {'org_id': orgs['tiny'].id, 'token': '{{ auth0_token }}'}},
    ], extra_env=env)
    assert len(run.results[0]['ansible_facts']['tiny']) == 3
    minted = run.results[2]['ansible_facts']['auth0_token']
    assert minted.startswith('eyJ')
    assert shown(run, 'api_token') == (MASK if SECRET_MASKING else env['AUTH0_API_TOKEN'])
    assert shown(run, 'management_token') == (MASK if SECRET_MASKING else minted)
    # Masking changes only what is printed: the next task authenticated with the real token.
    assert run.results[4]['count'] == 3
