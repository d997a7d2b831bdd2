# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

import pytest
import requests
import responses

from ansible.plugins.loader import init_plugin_loader

# Ansible's collection loader must be the one to import ansible_collections (before the imports below):
# plugins loaded by name, such as the inventory plugin, only load from a collection it imported.
init_plugin_loader()

from ansible_collections.community.auth0.plugins.module_utils import _transport  # noqa: E402 pylint: disable=wrong-import-position
from ansible_collections.community.auth0.plugins.module_utils._auth0 import (
    Auth0Client  # noqa: E402 pylint: disable=wrong-import-position,
)
from ansible_collections.community.auth0.tests.unit.plugins.auth0_support import DOMAIN, TOKEN, FakeClock  # noqa: E402 pylint: disable=wrong-import-position

# Besides every AUTH0_* variable of the shell that runs the suite.
CA_BUNDLE_ENVIRONMENT = ('REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE')


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """No test sees the AUTH0_* or CA bundle variables of the shell that runs the suite."""
    for name in list(os.environ):
        if name.startswith('AUTH0_') or name in CA_BUNDLE_ENVIRONMENT:
            monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def no_rate_limit_jitter(monkeypatch):
    """Rate-limit waits without their random extra, so that they can be compared exactly (tests of jitter set it)."""
    monkeypatch.setattr(_transport, 'RETRY_JITTER_SECONDS', 0)
    monkeypatch.setattr(_transport, 'PACING_JITTER_SECONDS', 0)


@pytest.fixture
def api():
    """HTTP mocked at the requests adapter: an unregistered URL raises, an unused registration fails the test."""
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def make_client(clock):
    """Auth0Client factory with a static token and a fake clock: nothing ever really sleeps."""
    def factory(**options):
        settings = dict(domain=DOMAIN, token=TOKEN, sleep=clock.sleep, clock=clock.time)
        settings.update(options)
        return Auth0Client(**settings)
    return factory


@pytest.fixture
def created_sessions(monkeypatch):
    """Every requests.Session the client creates, in order."""
    created = []

    class CountingSession(requests.Session):
        def __init__(self):
            super(CountingSession, self).__init__()
            created.append(self)

    monkeypatch.setattr(_transport.requests, 'Session', CountingSession)
    return created
