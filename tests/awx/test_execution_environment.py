"""awx/execution-environment.yml, checked offline with ansible-builder (no image is built: no registry here).

`ansible-builder create` writes the build context; its galaxy stage's steps are then run on that
context, as the image build would, and `ansible-builder introspect` on the collection it installed
must list what the collection declares for execution environments (meta/execution-environment.yml).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[2]
EE_FILE = REPO / 'awx' / 'execution-environment.yml'
VERSION = yaml.safe_load((REPO / 'galaxy.yml').read_text())['version']
TARBALL = 'community-auth0-%s.tar.gz' % VERSION


def tool(name):
    return str(Path(sys.executable).with_name(name))


def requirements_in(path):
    """The requirements of a pip requirements file, comments and blank lines left out."""
    lines = (line.split('#', 1)[0].strip() for line in path.read_text().splitlines())
    return [Requirement(line) for line in lines if line]


def declared_python_requirements():
    """What the collection declares for ansible-builder, read the way ansible-builder reads it."""
    python_file = yaml.safe_load((REPO / 'meta' / 'execution-environment.yml').read_text())['dependencies']['python']
    return requirements_in(REPO / python_file)


@pytest.fixture(scope='module')
def context(tmp_path_factory):
    """The build context `ansible-builder create` writes (the tarball must be built: make build)."""
    assert (REPO / '.build' / 'dist' / TARBALL).is_file(), 'build the collection first (make build)'
    context = tmp_path_factory.mktemp('ee') / 'context'
    subprocess.run([tool('ansible-builder'), 'create', '--file', str(EE_FILE), '--context', str(context)],
                   cwd=str(REPO), check=True, capture_output=True, text=True, timeout=120)
    return context


def test_the_definition_pins_what_make_test_proves():
    definition = yaml.safe_load(EE_FILE.read_text())
    assert definition['version'] == 3
    dependencies = definition['dependencies']
    assert Requirement(dependencies['ansible_core']['package_pip']) == requirements_in(
        REPO / 'tests' / 'ansible-core' / '2.21.txt')[0]
    (runner,) = [requirement for requirement in requirements_in(REPO / 'tests' / 'awx' / 'requirements.txt')
                 if requirement.name == 'ansible-runner']
    assert Requirement(dependencies['ansible_runner']['package_pip']) == runner
    # No version in the definition: it must build whatever galaxy.yml says.
    assert VERSION not in EE_FILE.read_text()
    assert dependencies['galaxy']['collections'] == [{'name': 'collections/community-auth0.tar.gz', 'type': 'file'}]


def test_the_build_context_carries_the_collection_and_installs_it(context):
    build = context / '_build'
    assert (build / 'collections' / TARBALL).read_bytes() == (REPO / '.build' / 'dist' / TARBALL).read_bytes()
    containerfile = next(path for path in context.iterdir() if path.name in ('Containerfile', 'Dockerfile')).read_text()
    assert 'ARG ANSIBLE_INSTALL_REFS="ansible-core>=2.21,<2.22 ansible-runner>=2.4,<2.5"' in containerfile
    assert 'ansible-galaxy collection install $ANSIBLE_GALAXY_CLI_COLLECTION_OPTS -r requirements.yml' in containerfile
    assert 'introspect.py introspect' in containerfile
    # The rename comes before the galaxy stage installs from requirements.yml.
    galaxy_stage = containerfile.split('FROM base AS galaxy', 1)[1].split('FROM base AS builder', 1)[0]
    rename = ('COPY _build/collections/ /build/collections/\n'
              'RUN mv /build/collections/community-auth0-*.tar.gz /build/collections/community-auth0.tar.gz\n')
    assert rename in galaxy_stage
    assert galaxy_stage.index(rename) < galaxy_stage.index('COPY _build /build') < galaxy_stage.index('collection install')


def test_introspection_of_the_installed_collection_lists_its_python_requirements(context, tmp_path):
    # The galaxy stage's steps on a copy of the context's _build (the image's /build): the tarball is
    # renamed as prepend_galaxy does, then the collection is installed, without this run's collections
    # path or PYTHONPATH, where galaxy would find the collection installed.
    build = tmp_path / 'build'
    shutil.copytree(str(context / '_build'), str(build))
    (versioned,) = (build / 'collections').glob('community-auth0-*.tar.gz')
    shutil.copy(str(versioned), str(build / 'collections' / 'community-auth0.tar.gz'))
    collections = tmp_path / 'collections'
    environment = {name: value for name, value in os.environ.items()
                   if name not in ('ANSIBLE_COLLECTIONS_PATH', 'PYTHONPATH')}
    subprocess.run([tool('ansible-galaxy'), 'collection', 'install', '-r', 'requirements.yml',
                    '--collections-path', str(collections)],
                   cwd=str(build), env=environment, check=True, capture_output=True, text=True, timeout=120)
    assert (collections / 'ansible_collections' / 'community' / 'auth0' / 'MANIFEST.json').is_file()
    pip_file = tmp_path / 'pip.txt'
    subprocess.run([tool('ansible-builder'), 'introspect', '--write-pip', str(pip_file), str(collections)],
                   check=True, capture_output=True, text=True, timeout=120)
    listed = {requirement.name: requirement for requirement in requirements_in(pip_file)}
    declared = declared_python_requirements()
    assert 'requests' in [requirement.name for requirement in declared]
    for requirement in declared:
        assert listed.get(requirement.name) == requirement, (requirement, sorted(listed))
