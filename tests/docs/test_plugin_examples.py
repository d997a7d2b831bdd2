"""Every plugin's EXAMPLES run, as written, against the local tenant through ansible-playbook.

The examples name the documented domain travel0.us.auth0.com; it is replaced by the local tenant's.
Credentials come the way the examples expect: AUTH0_* environment variables, the variables
auth0_client_id / auth0_client_secret, and for Private Key JWT auth0_jwt_client_id with the private
key in auth0-m2m.pem beside the playbook. REQUESTS_CA_BUNDLE carries the tenant's CA, so the
examples need no ca_path.
"""

import ast
import json
import subprocess
from pathlib import Path

import pytest
import yaml

from integration.conftest import ansible_environment, ansible_program

REPO = Path(__file__).resolve().parents[2]
PLUGIN_DIRS = ('plugins/modules', 'plugins/lookup')
DOCUMENTED_DOMAIN = 'travel0.us.auth0.com'
# Each example task is recorded under result_N by run_playbook; its own register name is restored by
# a set_fact right after it, so later examples can use it.
RESTORE = 'restore registered variable %s'


def plugin_files():
    return sorted(path for directory in PLUGIN_DIRS for path in (REPO / directory).glob('*.py')
                  if path.name != '__init__.py')


def examples_of(path):
    """The EXAMPLES string of a plugin file, read with ast (the file is not imported)."""
    tree = ast.parse(path.read_text(encoding='utf-8'), filename=str(path))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(target, 'id', None) == 'EXAMPLES' for target in node.targets):
            return ast.literal_eval(node.value)
    return None


def plugin_id(path):
    return '%s/%s' % (path.parent.name, path.stem)


def test_every_plugin_is_covered():
    names = {plugin_id(path) for path in plugin_files()}
    assert {'modules/auth0_org_members', 'modules/auth0_org_members_info', 'modules/auth0_organization_info',
            'lookup/org_members', 'lookup/management_token'} <= names
    assert [path.name for path in (REPO / 'plugins' / 'inventory').glob('*.py')] == [INVENTORY_PLUGIN.name]


INVENTORY_PLUGIN = REPO / 'plugins' / 'inventory' / 'organizations.py'
CONTRACTORS = [{'user': 'alice.contractor@example.com', 'roles': ['admin']},
               {'user': 'auth0|64f1c2e5a9b7c3d2e1f0a9b8', 'roles': ['admin', 'editor']},
               {'user': 'bob.contractor@example.com', 'roles': ['viewer']}]


def test_inventory_examples_parse_against_the_local_tenant(tmp_path, tenant, auth0_env):
    """Each YAML document of the inventory plugin's EXAMPLES is an inventory source: ansible-inventory --list on it."""
    examples = list(yaml.safe_load_all(examples_of(INVENTORY_PLUGIN).replace(DOCUMENTED_DOMAIN, tenant.domain)))
    assert len(examples) >= 2
    # HOME is this folder, so a cache the examples put under ~ starts empty and stays here.
    env = ansible_environment(dict(auth0_env, HOME=str(tmp_path), ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED='true'))
    listings = []
    for number, example in enumerate(examples):
        source = tmp_path / ('example%d.auth0.yml' % number)
        source.write_text(yaml.safe_dump(example))
        run = subprocess.run([ansible_program('ansible-inventory'), '-i', str(source), '--list'], env=env,
                             cwd=str(tmp_path), capture_output=True, text=True, timeout=600, check=False)
        assert run.returncode == 0, 'example %d failed:\n%s' % (number, run.stdout + run.stderr)
        listing = json.loads(run.stdout)
        assert listing['auth0_organizations']['hosts'], 'example %d has no hosts' % number
        listings.append(listing)
        assert tenant.client_secret not in run.stdout + run.stderr
    # What the examples' comments promise of the docs tenant.
    assert listings[0]['plan_enterprise']['hosts'] == ['travel0-partners']
    assert listings[1]['auth0_organizations']['hosts'] == [tenant.organization('travel0-staff').id, 'org_W30Ft8gJJmwlnOHU']
    assert listings[2]['branded']['hosts'] == ['travel0-partners']


@pytest.mark.parametrize('path', plugin_files(), ids=plugin_id)
def test_examples_run_against_the_local_tenant(path, run_playbook, tenant, auth0_env, tmp_path):
    text = examples_of(path)
    assert text and text.strip(), '%s has no EXAMPLES' % path.name
    assert DOCUMENTED_DOMAIN in text or 'AUTH0_' in text, 'examples should use the documented domain'
    examples = yaml.safe_load(text.replace(DOCUMENTED_DOMAIN, tenant.domain))
    assert isinstance(examples, list) and examples, 'EXAMPLES of %s is not a list of tasks' % path.name

    example_vars = {'auth0_client_id': tenant.client_id, 'auth0_client_secret': tenant.client_secret,
                    'auth0_jwt_client_id': tenant.private_key_client.client_id,
                    # auth0_org_members' list of the contractors, as its first example leaves them.
                    'approved_members': CONTRACTORS}
    (tmp_path / 'auth0-m2m.pem').write_text(tenant.private_key_client.private_key_pem)
    tasks = []
    for example in examples:
        assert 'name' in example, 'every example task has a name: %r' % example
        task = dict(example)
        task['vars'] = dict(example_vars, **(task.get('vars') or {}))
        registered = task.pop('register', None)
        tasks.append(task)
        if registered:
            # run_playbook registers this task as result_<index>; give the example's name back.
            tasks.append({'name': RESTORE % registered,
                          'ansible.builtin.set_fact': {registered: '{{ result_%d }}' % (len(tasks) - 1)}})

    run = run_playbook(tasks, extra_env=auth0_env)

    ran = 0
    for task, result in zip(tasks, run.results):
        assert not result.get('failed'), 'example task %r failed: %s\n%s' % (
            task['name'], result.get('msg'), run.output()[-3000:])
        if task['name'].startswith(RESTORE % ''):
            continue
        assert not result.get('skipped'), 'example task %r was skipped' % task['name']
        ran += 1
    assert ran == len(examples)
    # The examples reached the tenant, and no secret reached the output.
    assert tenant.count(r'^/api/v2/organizations') > 0
    assert tenant.client_secret not in run.output()
    assert not any(line in run.output() for line in tenant.private_key_client.private_key_pem.splitlines()[1:-1])
