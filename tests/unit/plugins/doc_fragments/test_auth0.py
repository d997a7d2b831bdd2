# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The hand-written connection doc fragments say what the option declarations (module_utils) do."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
import yaml

from ansible_collections.community.auth0.plugins.doc_fragments.auth0 import ModuleDocFragment
from ansible_collections.community.auth0.plugins.module_utils._authenticator import AUTH_METHODS, credential_options
from ansible_collections.community.auth0.plugins.module_utils._connection_options import CONNECTION_OPTIONS


def documented(*fragments):
    options = {}
    for fragment in fragments:
        options.update(yaml.safe_load(fragment)['options'])
    return options


CONNECTION_DOCS = documented(ModuleDocFragment.DOCUMENTATION, ModuleDocFragment.TOKEN, ModuleDocFragment.CONCURRENCY)
PLUGIN_ENV = yaml.safe_load(ModuleDocFragment.PLUGINS)['options']


def text_of(doc):
    return ' '.join(doc['description'])


def test_every_declared_option_is_documented_and_nothing_else():
    declared = set(option.name for option in CONNECTION_OPTIONS) | set(option.name for option in credential_options())
    assert set(CONNECTION_DOCS) == declared


@pytest.mark.parametrize('option', CONNECTION_OPTIONS, ids=lambda option: option.name)
def test_connection_option_docs_match_the_table(option):
    doc = CONNECTION_DOCS[option.name]
    assert doc['type'] == option.type
    assert doc.get('default') == option.default
    assert bool(doc.get('required')) == option.required
    if option.env:
        assert 'E(%s)' % option.env in text_of(doc)
        assert PLUGIN_ENV[option.name]['env'] == [{'name': option.env}]
    if option.maximum is not None:
        assert 'from V(%d) to V(%d)' % (option.minimum, option.maximum) in text_of(doc)


@pytest.mark.parametrize('option', credential_options(), ids=lambda option: option.name)
def test_credential_option_docs_match_the_methods(option):
    doc = CONNECTION_DOCS[option.name]
    assert doc['type'] == 'str'
    assert tuple(doc.get('choices') or ()) == (option.choices or ())
    assert 'E(%s)' % option.env in text_of(doc)
    assert ('never appear' in text_of(doc)) == option.secret


def test_plugins_bind_no_credential_through_ansible_configuration():
    # Credentials bind late in resolve_connection(), explicit options of any kind first.
    assert not set(PLUGIN_ENV) & set(option.name for option in credential_options(AUTH_METHODS))
