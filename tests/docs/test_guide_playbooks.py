"""The user guide's playbooks run, as printed, against the local tenant.

The guide prints them inline in its .rst pages, each after a `.. playbook: NAME` comment, with the files they use
after `.. file: PATH` (guide_files.py reads them). Each test writes them all into its own folder and runs one the
way the guide says: ansible-playbook with client credentials in AUTH0_* variables (REQUESTS_CA_BUNDLE carries the
local tenant's CA). Hosts of the bastion and webservers groups are this machine over the local connection;
grant_access.yml runs in check mode, without become, so no account is touched.
"""

import json
import subprocess

import pytest
import yaml

from guide_files import code_blocks, guide_pages, marked_blocks, playbooks, write_all
from integration.conftest import ansible_environment, ansible_program

# The guide's machines (inventory/hosts.ini) are not reachable here: these stand in for them.
MACHINES = """\
[bastion]
bastion1 ansible_connection=local ansible_become=false

[webservers]
web1 ansible_connection=local
web2 ansible_connection=local
"""


@pytest.fixture
def play(tmp_path, auth0_env):
    """Run a guide playbook; `sources` replaces the bastion/webservers inventory with the guide's own files.

    HOME is the test's folder, so the inventory cache the guide configures (~/.cache/...) starts empty.
    """
    write_all(tmp_path)
    machines = tmp_path / 'machines.ini'
    machines.write_text(MACHINES)
    env = ansible_environment(dict(auth0_env, HOME=str(tmp_path), ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED='true'))

    def run(playbook, *args, sources=None):
        command = [ansible_program()]
        for source in sources or [machines]:
            command += ['-i', str(tmp_path / source)]
        command += [str(tmp_path / playbook)] + list(args)
        return subprocess.run(command, env=env, cwd=str(tmp_path), capture_output=True, text=True, timeout=600,
                              check=False)

    return run


def test_every_guide_playbook_is_tested():
    tested = {'token.yml', 'grant_access.yml', 'onboarding.yml', 'compliance_check_mode.yml', 'compliance_check.yml',
              'inventory_enrichment.yml', 'inventory_enrichment_in_play.yml', 'private_key_jwt.yml'}
    assert set(playbooks()) == tested


def _is_playbook(text):
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError:
        return False
    return isinstance(document, list) and any(isinstance(play, dict) and ('hosts' in play or 'import_playbook' in play)
                                              for play in document)


def test_every_playbook_of_the_guide_is_marked():
    """A whole playbook printed without `.. playbook: NAME` before it would be shown but never run."""
    unmarked = ['%s:%d' % (block.page.name, block.line) for page in guide_pages() for block in code_blocks(page)
                if block.kind is None and block.language.startswith('yaml') and _is_playbook(block.text)]
    assert not unmarked, 'mark these with ".. playbook: NAME.yml" and test them here: %s' % unmarked
    for name, block in marked_blocks().items():
        assert (block.kind == 'playbook') == _is_playbook(block.text), name


def test_token_playbook_reads_with_one_token(play, tenant):
    tenant.reset_log()
    run = play('token.yml')
    assert run.returncode == 0, run.stdout + run.stderr
    assert '5 organizations; 2 members in the first one' in run.stdout
    assert tenant.count(r'^/oauth/token$', method='POST') == 1
    assert tenant.client_secret not in run.stdout + run.stderr


def test_private_key_jwt_playbook_reads_without_a_secret(play, tenant):
    key_client = tenant.private_key_client
    tenant.reset_log()
    run = play('private_key_jwt.yml', '-e', 'auth0_client_id=' + key_client.client_id,
               '-e', 'auth0_private_key_file=' + key_client.private_key_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert 'ann.partner@example.com, bob.partner@example.com' in run.stdout
    assert tenant.count(r'^/oauth/token$', method='POST') == 1
    assert not any(line in run.stdout + run.stderr for line in key_client.private_key_pem.splitlines()[1:-1])


def test_grant_access_creates_accounts_for_the_role_only(play):
    run = play('grant_access.yml', '--check', '--diff')
    assert run.returncode == 0, run.stdout + run.stderr
    assert 'item=ann.admin' in run.stdout
    assert 'ed.editor' not in run.stdout and 'no.roles' not in run.stdout


WRITES = r'^/api/v2/organizations/[^/]+/members(/[^/]+/roles)?$'


def test_onboarding_applies_the_list_once_and_then_changes_nothing(play, tenant):
    first = play('onboarding.yml')
    assert first.returncode == 0, first.stdout + first.stderr
    members = tenant.member_ids('travel0-contractors')
    assert sorted(tenant.user(user_id)['email'] for user_id in members) == [
        'alice.contractor@example.com', 'bob.contractor@example.com', 'erin.contractor@example.com']
    assert [role['name'] for role in tenant.roles_of('travel0-contractors', 'auth0|64f1c2e5a9b7c3d2e1f0a9b8')] \
        == ['admin', 'editor']
    tenant.reset_log()
    preview = play('onboarding.yml', '--check', '--diff')
    again = play('onboarding.yml')
    assert preview.returncode == 0 and again.returncode == 0, again.stdout + again.stderr
    assert 'changed=0' in preview.stdout and 'changed=0' in again.stdout
    assert tenant.count(WRITES, method='POST') == 0 and tenant.count(WRITES, method='DELETE') == 0


def test_compliance_check_mode_passes_when_the_membership_is_approved(play, tenant):
    tenant.reset_log()
    run = play('compliance_check_mode.yml')
    assert run.returncode == 0, run.stdout + run.stderr
    assert tenant.count(WRITES, method='POST') == 0 and tenant.count(WRITES, method='DELETE') == 0


def test_compliance_check_mode_fails_and_shows_the_drift(play, tenant):
    approved = {'approved_members': {'travel0-partners': ['ann.partner@example.com']}}
    tenant.reset_log()
    run = play('compliance_check_mode.yml', '-e', json.dumps(approved))
    assert run.returncode == 2, run.stdout + run.stderr
    bob = tenant.organization('travel0-partners').members[1]['user_id']
    assert '-bob.partner@example.com (%s): member' % bob in run.stdout
    assert tenant.count(WRITES, method='DELETE') == 0
    assert bob in tenant.member_ids('travel0-partners')


def test_compliance_check_passes_when_everyone_is_approved(play):
    run = play('compliance_check.yml')
    assert run.returncode == 0, run.stdout + run.stderr
    assert 'failed=0' in run.stdout


def test_compliance_check_fails_on_an_unexpected_member(play):
    approved = {'approved_members': {'travel0-partners': ['ann.partner@example.com']}}
    run = play('compliance_check.yml', '-e', json.dumps(approved))
    assert run.returncode == 2, run.stdout + run.stderr
    assert 'travel0-partners (org_W30Ft8gJJmwlnOHU) has 1 members who are not approved: bob.partner@example.com' \
        in run.stdout
    # Organizations missing from the approved list may have no members at all.
    assert 'travel0-staff' in run.stdout and 'carla.staff@example.com' in run.stdout


INVENTORY_SOURCES = ['inventory/hosts.ini', 'inventory/tenant.auth0.yml']


def test_inventory_enrichment_with_the_inventory_plugin(play, tenant):
    tenant.reset_log()
    run = play('inventory_enrichment.yml', sources=INVENTORY_SOURCES)
    assert run.returncode == 0, run.stdout + run.stderr
    # One play over the organizations, one over the enterprise plan's (keyed_groups), one over the machines.
    assert "Travel0 Partners: 2 members, admins ['ann.partner@example.com']" in run.stdout
    assert "Travel0 Staff: 1 members, admins []" in run.stdout
    assert 'ok: [travel0-partners]' in run.stdout.split('TASK [At least one member holds the admin role]')[1]
    for host in ('web1.example.com', 'web2.example.com'):
        assert "%s: 2 deployers, releasers ['rick.releaser@example.com']" % host in run.stdout
    # The whole inventory: one token, one listing page, one member page per organization, nothing per host.
    assert tenant.count(r'^/oauth/token$', method='POST') == 1
    assert tenant.count(r'^/api/v2/organizations$') == 1
    assert tenant.count(r'^/api/v2/organizations/[^/]+/members$') == len(tenant.organizations)
    assert len(tenant.requests) == 2 + len(tenant.organizations)
    # The guide's source caches: the next run within the hour sends nothing to Auth0.
    tenant.reset_log()
    again = play('inventory_enrichment.yml', sources=INVENTORY_SOURCES)
    assert again.returncode == 0, again.stdout + again.stderr
    assert tenant.requests == []
    assert tenant.client_secret not in run.stdout + run.stderr + again.stdout + again.stderr


def test_inventory_enrichment_within_a_play_reads_once(play, tenant):
    tenant.reset_log()
    run = play('inventory_enrichment_in_play.yml')
    assert run.returncode == 0, run.stdout + run.stderr
    for host in ('web1', 'web2'):
        assert "%s: 2 deployers, releasers ['rick.releaser@example.com']" % host in run.stdout
    # run_once: the organization is read once for both hosts.
    assert tenant.count(r'^/api/v2/organizations/name/travel0-deployers$') == 1
