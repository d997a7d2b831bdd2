"""Run community.auth0 through real `ansible-playbook` runs against the local Auth0 tenant.

The collection is found through ANSIBLE_COLLECTIONS_PATH (the Makefile points it at the built
collection tree); the tenant runs in this pytest process, over TLS with its own CA.
"""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from local_tenant import LocalTenant

MODULE = 'community.auth0.auth0_org_members_info'
REPO = Path(__file__).resolve().parents[2]
SEED = {
    'organizations': [
        {'name': 'acme', 'display_name': 'Acme Corp', 'members': 2500, 'roles': ['admin', 'editor', 'viewer']},
        {'name': 'tiny', 'display_name': 'Tiny Team', 'members': 3, 'roles': ['owner']},
    ],
}


def ansible_program(name='ansible-playbook'):
    """The ansible-core program (ansible-playbook, ansible-inventory) of the Python running the tests."""
    beside_python = Path(sys.executable).with_name(name)
    return str(beside_python) if beside_python.exists() else shutil.which(name)


def ansible_environment(extra_env=None, base_env=None):
    """The environment of an ansible run: no AUTH0_* variable of the calling shell, no color, quiet localhost."""
    env = dict(base_env if base_env is not None else os.environ)
    for name in list(env):
        if name.startswith('AUTH0_'):
            del env[name]
    env.update({
        'ANSIBLE_COLLECTIONS_PATH': env.get('ANSIBLE_COLLECTIONS_PATH', str(REPO / '.build' / 'collections')),
        'ANSIBLE_LOCALHOST_WARNING': 'false',
        'ANSIBLE_INVENTORY_UNPARSED_WARNING': 'false',
        'ANSIBLE_NOCOLOR': '1',
        'ANSIBLE_PYTHON_INTERPRETER': sys.executable,
    })
    env.update(extra_env or {})
    return env


@pytest.fixture(scope='session')
def tenant():
    with LocalTenant(seed=SEED, tls=True) as running:
        yield running


@pytest.fixture(autouse=True)
def clean_tenant(tenant):
    """Each test starts with an empty request log and no leftover faults or latency."""
    tenant.reset_log()
    tenant.set_latency(0)
    yield
    tenant.clear_faults()


@pytest.fixture(scope='session')
def orgs(tenant):
    """Seeded organizations by name."""
    return {org.name: org for org in tenant.organizations.values()}


class PlaybookRun:
    """What one ansible-playbook run printed and what its tasks registered."""

    def __init__(self, completed, results, elapsed):
        self.returncode = completed.returncode
        self.stdout = completed.stdout
        self.stderr = completed.stderr
        self.results = results
        self.elapsed = elapsed

    @property
    def result(self):
        """The registered result of the (first) module task."""
        return self.results[0]

    def output(self):
        return self.stdout + self.stderr


@pytest.fixture
def run_playbook(tmp_path, tenant):
    """Run a play of module tasks; each task's registered result is saved and returned.

    `tasks` are task dicts (or one dict of module args for the members module); results are
    recorded with ignore_errors so failures can be inspected.
    """

    def run(tasks, extra_env=None, check=False, verbosity=0, module_defaults=None, base_env=None):
        if isinstance(tasks, dict) and MODULE not in tasks and 'name' not in tasks:
            tasks = [{MODULE: tasks}]
        play_tasks = []
        for index, task in enumerate(tasks):
            task = dict(task)
            task.setdefault('name', 'task %d' % index)
            task['register'] = 'result_%d' % index
            task['ignore_errors'] = True
            play_tasks.append(task)
        results_file = tmp_path / 'results.json'
        play_tasks.append({
            'name': 'save registered results',
            'ansible.builtin.copy': {
                'content': '{{ [%s] | to_json }}' % ', '.join('result_%d' % i for i in range(len(tasks))),
                'dest': str(results_file),
                'mode': '0600',
            },
            'check_mode': False,
        })
        play = {'hosts': 'localhost', 'gather_facts': False, 'tasks': play_tasks}
        if module_defaults:
            play['module_defaults'] = module_defaults
        playbook = tmp_path / 'playbook.yml'
        playbook.write_text(yaml.safe_dump([play], sort_keys=False))
        env = ansible_environment(extra_env, base_env)
        command = [ansible_program(), '-i', 'localhost,', '-c', 'local', str(playbook)]
        if check:
            command.append('--check')
        if verbosity:
            command.append('-' + 'v' * verbosity)
        started = time.monotonic()
        completed = subprocess.run(command, env=env, cwd=str(tmp_path), capture_output=True, text=True, timeout=600,
                                   check=False)
        elapsed = time.monotonic() - started
        results = json.loads(results_file.read_text()) if results_file.exists() else None
        assert results is not None, 'the play did not finish:\n%s\n%s' % (completed.stdout, completed.stderr)
        return PlaybookRun(completed, results, elapsed)

    return run


@pytest.fixture
def connection(tenant):
    """Module options reaching the tenant over verified TLS with a token holding every scope."""
    return {'domain': tenant.domain, 'ca_path': tenant.ca_path, 'token': tenant.mint_token()}
