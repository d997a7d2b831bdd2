# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""meta/runtime.yml's requires_ansible is what the ansible-core matrix of `make test` proves.

The matrix is the Makefile's MATRIX, each version pinned by tests/ansible-core/X.Y.txt. The lower bound
is the oldest version tested. There is no upper bound: since 2.21, ansible-galaxy refuses to install a
collection whose requires_ansible excludes the running ansible-core, so a bound would lock out every
newer release the day it ships; the matrix grows with each release instead.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

REPO = Path(__file__).resolve().parents[3]


def makefile_matrix():
    match = re.search(r'^MATRIX := (.+)$', (REPO / 'Makefile').read_text(), re.MULTILINE)
    return match.group(1).split()


def pinned_specifier(version):
    """The ansible-core specifier of tests/ansible-core/X.Y.txt."""
    lines = (REPO / 'tests' / 'ansible-core' / (version + '.txt')).read_text().splitlines()
    (requirement,) = [Requirement(line) for line in lines if line.strip() and not line.startswith('#')]
    assert requirement.name == 'ansible-core'
    return requirement.specifier


def version_key(version):
    return tuple(int(part) for part in version.split('.'))


def test_every_version_of_the_matrix_has_its_pin_and_nothing_else_does():
    pinned = sorted(path.stem for path in (REPO / 'tests' / 'ansible-core').glob('*.txt'))
    assert sorted(makefile_matrix()) == pinned


def releases_admitted_by_the_pin(version):
    """Which of X.Y.0rc1, X.Y.0 and X.Y.99 the version's pin lets pip install."""
    candidates = ['%s.0rc1' % version, '%s.0' % version, '%s.99' % version]
    return list(pinned_specifier(version).filter(candidates, prereleases=True))


def test_each_pin_stays_within_its_minor_release():
    for version in makefile_matrix():
        major, minor = version_key(version)
        assert '%s.99' % version in releases_admitted_by_the_pin(version)
        neighbours = ['%d.%d.99' % (major, minor - 1), '%d.%d.0' % (major, minor + 1)]
        assert not list(pinned_specifier(version).filter(neighbours, prereleases=True)), version


def test_requires_ansible_starts_at_the_oldest_version_tested_and_admits_every_one():
    requires = SpecifierSet(yaml.safe_load((REPO / 'meta' / 'runtime.yml').read_text())['requires_ansible'])
    assert str(requires) == '>=%s.0' % min(makefile_matrix(), key=version_key)
    for version in makefile_matrix():
        assert all(requires.contains(release, prereleases=True) for release in releases_admitted_by_the_pin(version))
