"""examples/org_members_report.yml run as AWX / Automation Platform runs a job, against the local tenant.

An execution node runs each job with the ansible-runner library in a private data directory: the
project's playbook in project/, the inventory in inventory/, extra variables in env/extravars and the
environment in env/envvars, where the custom credential's injectors put the AUTH0_* variables. Every
job event, the stdout and the artifacts directory are what AWX stores (events in its database), so
none of them may hold a credential.
"""

import json
import os
import re
import shutil
import sys
from pathlib import Path

import ansible_runner
import pytest
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment

from local_tenant import LocalTenant

REPO = Path(__file__).resolve().parents[2]
CREDENTIAL_TYPE = yaml.safe_load((REPO / 'awx' / 'auth0_credential_type.yml').read_text())
PLAYBOOK = REPO / 'examples' / 'org_members_report.yml'
SEED = {'organizations': [{'name': 'travel0', 'display_name': 'Travel0 Inc.', 'members': 150,
                           'roles': ['admin', 'editor', 'viewer']}]}
# ansible-runner starts ansible-playbook with pexpect's forkpty() while the local tenant serves from a
# thread of this process; the child execs at once, so Python's warning about forking threads does not apply.
pytestmark = pytest.mark.filterwarnings('ignore:This process .* is multi-threaded, use of forkpty:DeprecationWarning')
READ_TASK = 'Read every member of the organization with their roles'
# Any JWT (header.claims.signature, base64url): the access tokens the job minted or was given.
JWT = re.compile(r'eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}')
# Each credential input and the variable it becomes (the collection's names, as in the doc fragment).
INJECTED_AS = {
    'domain': 'AUTH0_DOMAIN',
    'client_id': 'AUTH0_CLIENT_ID',
    'client_secret': 'AUTH0_CLIENT_SECRET',
    'client_assertion_private_key': 'AUTH0_CLIENT_ASSERTION_PRIVATE_KEY',
    'client_assertion_signing_alg': 'AUTH0_CLIENT_ASSERTION_SIGNING_ALG',
    'token': 'AUTH0_API_TOKEN',
    'audience': 'AUTH0_AUDIENCE',
}


def injected_environment(inputs, safe=False):
    """The variables AWX injects for a credential with these inputs (CredentialType.inject_credential).

    Each env injector is rendered in Jinja's immutable sandbox with the inputs that are set; an input
    left empty is absent from the namespace and renders as an empty string. `safe`: the rendering AWX
    stores as the job's environment, with every secret input replaced by '**********'.
    """
    secret = {field['id'] for field in CREDENTIAL_TYPE['inputs']['fields'] if field.get('secret')}
    namespace = {name: '**********' if safe and name in secret else value for name, value in inputs.items() if value}
    sandbox = ImmutableSandboxedEnvironment()
    return {name: sandbox.from_string(template).render(**namespace)
            for name, template in CREDENTIAL_TYPE['injectors']['env'].items()}


@pytest.fixture(scope='module')
def tenant():
    with LocalTenant(seed=SEED, tls=True) as running:
        yield running


def test_the_credential_type_injects_every_input_and_hides_the_secrets():
    fields = {field['id']: field for field in CREDENTIAL_TYPE['inputs']['fields']}
    assert CREDENTIAL_TYPE['kind'] == 'cloud'
    assert all(field['label'] and field.get('type', 'string') == 'string' for field in fields.values())
    assert {name for name, field in fields.items() if field.get('secret')} == {
        'client_secret', 'client_assertion_private_key', 'token'}
    assert fields['client_assertion_private_key'].get('multiline') is True
    assert CREDENTIAL_TYPE['inputs']['required'] == ['domain']
    rendered = injected_environment({name: 'value-of-%s' % name for name in fields})
    assert rendered == {variable: 'value-of-%s' % name for name, variable in INJECTED_AS.items()}


def test_inputs_left_empty_are_injected_empty_and_the_algorithm_defaults_to_rs256():
    rendered = injected_environment({'domain': 'travel0.us.auth0.com', 'token': 'a-token'})
    assert rendered['AUTH0_CLIENT_SECRET'] == rendered['AUTH0_CLIENT_ASSERTION_PRIVATE_KEY'] == ''
    assert rendered['AUTH0_CLIENT_ASSERTION_SIGNING_ALG'] == 'RS256'


def run_job(private, tenant, credential_inputs):
    """Lay out a private data directory as AWX does for a job, run it with ansible-runner, return the Runner."""
    (private / 'project').mkdir(parents=True)
    shutil.copy(PLAYBOOK, private / 'project')
    (private / 'inventory').mkdir()
    (private / 'inventory' / 'hosts').write_text('localhost ansible_connection=local\n')
    (private / 'env').mkdir()
    envvars = injected_environment(credential_inputs)
    # What the execution environment and the job settings add: where the collection is installed (an
    # EE's default path), and the CA of the local tenant (a real tenant needs none).
    envvars.update(ANSIBLE_COLLECTIONS_PATH=os.environ['ANSIBLE_COLLECTIONS_PATH'], AUTH0_CA_PATH=tenant.ca_path)
    (private / 'env' / 'envvars').write_text(yaml.safe_dump(envvars))
    # The job template's extra variables.
    (private / 'env' / 'extravars').write_text(yaml.safe_dump({'auth0_org_name': 'travel0'}))
    return ansible_runner.run(private_data_dir=str(private), playbook=PLAYBOOK.name, quiet=True, timeout=300)


def stored_by_awx(private, runner, inputs):
    """{where: text} of everything AWX keeps of a job: its events, its stdout, its artifacts directory.

    ansible-runner records in artifacts/<job>/command the environment it started ansible-playbook with,
    so the injected credential is there by construction, on the execution node. AWX keeps that record
    as the job's environment (job_env) only after putting the credential's safe rendering in place of
    what it injected, and removes the private data directory when the job ends; that is what is scanned.
    """
    texts = {'job events': json.dumps(list(runner.events)), 'stdout': runner.stdout.read()}
    for path in sorted((private / 'artifacts').rglob('*')):
        if path.is_file():
            text = path.read_text(errors='replace')
            if path.name == 'command':
                record = json.loads(text)
                assert all(record['env'][name] == value for name, value in injected_environment(inputs).items())
                record['env'].update(injected_environment(inputs, safe=True))
                text = json.dumps(record)
            texts[str(path.relative_to(private))] = text
    return texts


def credential_inputs(tenant, method):
    """What a user fills in a credential of the Auth0 type, for each way to authenticate."""
    if method == 'client credentials':
        return {'domain': tenant.domain, 'client_id': tenant.client_id, 'client_secret': tenant.client_secret}
    if method == 'private key JWT':
        signing = tenant.private_key_client
        return {'domain': tenant.domain, 'client_id': signing.client_id,
                'client_assertion_private_key': signing.private_key_pem, 'client_assertion_signing_alg': signing.alg}
    return {'domain': tenant.domain, 'token': tenant.mint_token()}


@pytest.mark.parametrize('method', ['client credentials', 'private key JWT', 'static token'])
def test_the_example_playbook_as_an_awx_job(tenant, tmp_path, monkeypatch, method):
    for name in list(os.environ):
        if name.startswith('AUTH0_'):
            monkeypatch.delenv(name)
    # ansible-runner runs the ansible-playbook it finds on PATH, as in an execution environment.
    monkeypatch.setenv('PATH', '%s%s%s' % (Path(sys.executable).parent, os.pathsep, os.environ['PATH']))
    inputs = credential_inputs(tenant, method)
    runner = run_job(tmp_path / 'job', tenant, inputs)

    assert (runner.status, runner.rc) == ('successful', 0), runner.stdout.read()
    events = list(runner.events)
    (read,) = [event['event_data']['res'] for event in events
               if event['event'] == 'runner_on_ok' and event['event_data'].get('task') == READ_TASK]
    travel0 = tenant.organization('travel0')
    assert read['count'] == 150
    assert [member['user_id'] for member in read['members']] == [member['user_id'] for member in travel0.members]
    assert [member['roles'] for member in read['members']] == [
        [{'id': role['id'], 'name': role['name']} for role in travel0.roles_of(member['user_id'])]
        for member in travel0.members]
    role_names = [role['name'] for member in travel0.members for role in travel0.roles_of(member['user_id'])]
    per_role = ' '.join('%s=%d' % (name, role_names.count(name)) for name in sorted(set(role_names)))
    summary = runner.stdout.read()
    assert '"Travel0 Inc. (%s): 150 members"' % travel0.id in summary
    assert '"Members per role: %s"' % per_role in summary

    texts = stored_by_awx(tmp_path / 'job', runner, inputs)
    assert any('job_events' in where for where in texts), 'ansible-runner wrote no job events'
    assert any(where.endswith('/command') for where in texts), 'ansible-runner recorded no command'
    secrets = [secret for secret in (inputs.get('client_secret'), inputs.get('token')) if secret]
    # A private key is looked for line by line: any line of it printed is part of it printed.
    key_lines = [line for line in inputs.get('client_assertion_private_key', '').splitlines() if '-----' not in line]
    leaks = ['%s in %s' % (label, where) for where, text in texts.items()
             for label, found in [('the client secret or token', any(secret in text for secret in secrets)),
                                  ('a JWT', JWT.search(text)),
                                  ('a private key', 'PRIVATE KEY' in text or any(line in text for line in key_lines))]
             if found]
    assert not leaks, leaks
