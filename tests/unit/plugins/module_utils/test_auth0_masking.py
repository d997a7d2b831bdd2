# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Secrets handed to ansible-core for masking (_auth0_masking.py)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.community.auth0.plugins.module_utils import _auth0_masking
from ansible_collections.community.auth0.plugins.module_utils._auth0_masking import (
    register_connection_secrets,
    register_for_masking,
)
from ansible_collections.community.auth0.tests.unit.plugins.auth0_support import (
    CLIENT_ID, CLIENT_SECRET, DOMAIN, TOKEN,
)

KEY = '-----BEGIN PRIVATE KEY-----\nkey\n-----END PRIVATE KEY-----\n'


@pytest.fixture
def registered(monkeypatch):
    """What reaches ansible-core's register_secrets, one list per call."""
    calls = []
    monkeypatch.setattr(_auth0_masking, 'register_secrets', calls.append)
    return calls


def test_empty_values_are_not_registered(registered):
    assert register_for_masking([TOKEN, None, '', CLIENT_SECRET]) == [TOKEN, CLIENT_SECRET]
    assert registered == [[TOKEN, CLIENT_SECRET]]


def test_exactly_the_secret_options_of_the_connection_are_registered(registered):
    settings = dict(domain=DOMAIN, token=TOKEN, client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                    client_assertion_private_key=KEY, client_assertion_signing_alg='RS256', audience=None)
    assert register_connection_secrets(settings) == [TOKEN, CLIENT_SECRET, KEY]
    assert registered == [[TOKEN, CLIENT_SECRET, KEY]]


def test_unset_credentials_are_skipped(registered):
    settings = dict(domain=DOMAIN, token=None, client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                    client_assertion_private_key=None, client_assertion_signing_alg=None)
    assert register_connection_secrets(settings) == [CLIENT_SECRET]
    assert registered == [[CLIENT_SECRET]]


def test_without_a_registry_the_secrets_are_still_returned(monkeypatch):
    """ansible-core before 2.22 has no register_secrets: modules put the list in no_log_values instead."""
    monkeypatch.setattr(_auth0_masking, 'register_secrets', None)
    assert register_connection_secrets(dict(token=TOKEN)) == [TOKEN]
