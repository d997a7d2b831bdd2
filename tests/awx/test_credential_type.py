"""awx/auth0_credential_type.yml and the playbook that creates it (awx/create_credential_type.yml).

No AWX runs here: the playbook is run as written against a stand-in for awx.awx.credential_type with
that module's own argument spec (awx_collection/plugins/modules/credential_type.py), which records
what it was given. AWX would receive the same arguments.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import yaml
from jinja2 import meta
from jinja2.sandbox import ImmutableSandboxedEnvironment

REPO = Path(__file__).resolve().parents[2]
DEFINITION_FILE = REPO / 'awx' / 'auth0_credential_type.yml'
PLAYBOOK = REPO / 'awx' / 'create_credential_type.yml'
DEFINITION = yaml.safe_load(DEFINITION_FILE.read_text())

STAND_IN = textwrap.dedent('''\
    import json
    import os

    from ansible.module_utils.basic import AnsibleModule


    def main():
        module = AnsibleModule(argument_spec=dict(
            name=dict(required=True),
            description=dict(),
            kind=dict(choices=['ssh', 'vault', 'net', 'scm', 'cloud', 'insights']),
            inputs=dict(type='dict'),
            injectors=dict(type='dict'),
            state=dict(choices=['present', 'absent'], default='present'),
        ))
        with open(os.environ['STAND_IN_RECORD'], 'w') as record:
            json.dump(module.params, record)
        module.exit_json(changed=True)


    if __name__ == '__main__':
        main()
''')


def test_injectors_use_only_defined_inputs_and_set_only_auth0_variables():
    fields = DEFINITION['inputs']['fields']
    ids = [field['id'] for field in fields]
    assert len(ids) == len(set(ids)), ids
    assert set(DEFINITION['inputs']['required']) <= set(ids)
    assert set(DEFINITION['injectors']) == {'env'}
    environment = ImmutableSandboxedEnvironment()
    used = set()
    for variable, template in DEFINITION['injectors']['env'].items():
        assert variable.startswith('AUTH0_'), variable
        used |= meta.find_undeclared_variables(environment.parse(template))
    assert used == set(ids), (used, ids)


def test_the_playbook_gives_awx_the_definition_as_written(tmp_path):
    modules = tmp_path / 'collections' / 'ansible_collections' / 'awx' / 'awx' / 'plugins' / 'modules'
    modules.mkdir(parents=True)
    (modules / 'credential_type.py').write_text(STAND_IN)
    (modules.parents[1] / 'MANIFEST.json').write_text(json.dumps(
        {'collection_info': {'namespace': 'awx', 'name': 'awx', 'version': '24.6.1'}, 'format': 1}))
    record = tmp_path / 'received.json'
    environment = dict(os.environ, STAND_IN_RECORD=str(record), ANSIBLE_COLLECTIONS_PATH=str(tmp_path / 'collections'),
                       ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false')
    run = subprocess.run([str(Path(sys.executable).with_name('ansible-playbook')), str(PLAYBOOK)],
                         cwd=str(tmp_path), env=environment, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    received = json.loads(record.read_text())
    assert received == dict(DEFINITION, state='present')
    # AWX, not Ansible, fills the injectors' templates.
    assert received['injectors']['env']['AUTH0_DOMAIN'] == '{{ domain }}'
