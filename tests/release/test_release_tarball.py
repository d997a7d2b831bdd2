"""The release tarball as a user installs it: built after `antsibull-changelog release`, installed by ansible-galaxy.

A copy of the working tree is released (the repository keeps its fragments unreleased), with the
files a developer's tree holds beside the sources planted in it, then built with ansible-galaxy and
installed into an empty collections path. The installed collection must carry the licence, the
release notes of this version and every plugin in them, and nothing but what galaxy.yml's comment
says a user gets.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
GALAXY = yaml.safe_load((REPO / 'galaxy.yml').read_text())
VERSION = GALAXY['version']
# What a developer's tree holds and no user needs; each is planted in the copy the tarball is built from.
PLANTED = ['.venv/bin/python', '.build/dist/old.tar.gz', '.pytest_cache/README.md', '.hypothesis/examples/x',
           'tests/output/junit.xml', 'plugins/modules/__pycache__/auth0_org_members_info.cpython-313.pyc',
           'plugins/module_utils/_auth0.pyc', 'importer_result.json', 'community-auth0-0.0.1.tar.gz']
TOP_LEVEL = {'.ansible-lint', 'CHANGELOG.md', 'COPYING', 'FILES.json', 'MANIFEST.json', 'README.md', 'awx',
             'changelogs', 'docs', 'examples', 'meta', 'plugins', 'requirements.txt'}
DEVELOPMENT_ONLY = {'tests', 'benchmarks', 'scripts', '.ci', 'Makefile', 'requirements-dev.txt', '.gitignore',
                    '.venv', '.build', '.git', '__pycache__', '.pytest_cache', '.hypothesis', '.plugin-cache.yaml'}


def tool(name):
    return str(Path(sys.executable).with_name(name))


def clean_environment(**extra):
    """This run's environment without the paths that would show ansible the repository's own collection."""
    environment = {name: value for name, value in os.environ.items()
                   if name not in ('ANSIBLE_COLLECTIONS_PATH', 'PYTHONPATH')}
    environment.update(extra)
    return environment


def run(command, **kwargs):
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False, **kwargs)
    assert done.returncode == 0, '%s\n%s%s' % (' '.join(command), done.stdout, done.stderr)
    return done


def plugins_in_repository():
    """{'module': [fqcn, ...], 'lookup': [...], 'inventory': [...]}, from the files under plugins/."""
    found = {}
    for kind, folder in (('module', 'modules'), ('lookup', 'lookup'), ('inventory', 'inventory')):
        found[kind] = sorted('community.auth0.' + path.stem for path in (REPO / 'plugins' / folder).glob('*.py')
                             if not path.name.startswith('_'))
    return found


@pytest.fixture(scope='module')
def installed(tmp_path_factory):
    antsibull_changelog = os.environ.get('ANTSIBULL_CHANGELOG')
    assert antsibull_changelog and Path(antsibull_changelog).is_file(), (
        'ANTSIBULL_CHANGELOG must name the antsibull-changelog program (make release-test sets it)')
    work = tmp_path_factory.mktemp('release')
    # antsibull-changelog reads the plugins through ansible-doc, which needs the collection in an
    # ansible_collections/<namespace>/<name> path.
    tree = work / 'ansible_collections' / 'community' / 'auth0'
    shutil.copytree(str(REPO), str(tree), symlinks=True,
                    ignore=shutil.ignore_patterns('.git', '.venv', '.build', '__pycache__', 'output', '.pytest_cache'))
    for planted in PLANTED:
        (tree / planted).parent.mkdir(parents=True, exist_ok=True)
        (tree / planted).write_text('planted by tests/release\n')
    tools = str(Path(antsibull_changelog).parent)
    run([antsibull_changelog, 'release', '--version', VERSION], cwd=str(tree),
        env=clean_environment(PATH=tools + os.pathsep + os.environ['PATH']))
    dist = work / 'dist'
    run([tool('ansible-galaxy'), 'collection', 'build', '--output-path', str(dist), str(tree)], env=clean_environment())
    (tarball,) = dist.glob('*.tar.gz')
    assert tarball.name == 'community-auth0-%s.tar.gz' % VERSION
    collections = work / 'installed'
    run([tool('ansible-galaxy'), 'collection', 'install', '-p', str(collections), str(tarball)],
        env=clean_environment(ANSIBLE_COLLECTIONS_PATH=str(collections)))
    run([tool('ansible-galaxy'), 'collection', 'verify', '--offline', '-p', str(collections), 'community.auth0'],
        env=clean_environment(ANSIBLE_COLLECTIONS_PATH=str(collections)))
    return collections / 'ansible_collections' / 'community' / 'auth0'


def test_it_carries_the_gpl_and_says_so(installed):
    copying = (installed / 'COPYING').read_text()
    assert copying == (REPO / 'COPYING').read_text()
    assert copying.split()[:6] == ['GNU', 'GENERAL', 'PUBLIC', 'LICENSE', 'Version', '3,']
    manifest = json.loads((installed / 'MANIFEST.json').read_text())['collection_info']
    assert manifest['license'] == ['GPL-3.0-or-later']
    assert manifest['version'] == VERSION


def test_it_holds_what_users_need_and_no_development_file(installed):
    assert {path.name for path in installed.iterdir()} == TOP_LEVEL
    assert [path.name for path in (installed / 'docs').iterdir()] == ['docsite']
    assert sorted(str(path.relative_to(installed)) for path in (installed / 'changelogs').rglob('*')) == [
        'changelogs/changelog.yaml', 'changelogs/config.yaml', 'changelogs/fragments', 'changelogs/fragments/.keep']
    everything = [path.relative_to(installed) for path in installed.rglob('*')]
    development = [str(path) for path in everything if DEVELOPMENT_ONLY & set(path.parts) or path.suffix == '.pyc'
                   or path.name.endswith('.tar.gz') or path.name == 'importer_result.json']
    assert not development, development
    listed = {entry['name'] for entry in json.loads((installed / 'FILES.json').read_text())['files']} - {'.'}
    assert listed == {str(path) for path in everything if str(path) not in ('FILES.json', 'MANIFEST.json')}


def test_the_release_notes_are_this_version_and_list_every_plugin_as_new(installed):
    releases = yaml.safe_load((installed / 'changelogs' / 'changelog.yaml').read_text())['releases']
    assert list(releases) == [VERSION]
    release = releases[VERSION]
    assert release['changes']['release_summary'].startswith('First release of ``community.auth0``')
    assert 'breaking_changes' not in release['changes'] and 'bugfixes' not in release['changes']
    plugins = plugins_in_repository()
    assert sorted('community.auth0.' + module['name'] for module in release['modules']) == plugins['module']
    for kind in ('lookup', 'inventory'):
        assert sorted('community.auth0.' + plugin['name'] for plugin in release['plugins'][kind]) == plugins[kind]
    notes = (installed / 'CHANGELOG.md').read_text()
    assert '## v%s' % VERSION.replace('.', '\\.') in notes
    for section in ('Release Summary', 'New Plugins', 'New Modules'):
        assert '### %s' % section in notes
    for fqcn in sum(plugins.values(), []):
        assert '* %s \\- ' % fqcn.replace('.', '\\.').replace('_', '\\_') in notes, fqcn
