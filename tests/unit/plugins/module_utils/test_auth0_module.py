# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What every module shares (_auth0_module.py): the argument spec from the declarations, and run_module.

The modules themselves are tested through AnsibleModule in tests/unit/plugins/modules/.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible.module_utils.basic import env_fallback

from ansible_collections.community.auth0.plugins.module_utils._auth0_errors import Auth0APIError
from ansible_collections.community.auth0.plugins.module_utils._auth0_module import (
    auth0_module_kwargs,
    connection_argument_spec,
    member_fields_argument_spec,
    member_fields_of,
    page_size_argument_spec,
    run_module,
)
from ansible_collections.community.auth0.plugins.module_utils._authenticator import (
    credential_options,
    exclusive_options,
    options_required_by,
)
from ansible_collections.community.auth0.plugins.module_utils._connection_options import CONNECTION_OPTIONS
from ansible_collections.community.auth0.tests.unit.plugins.auth0_support import CLIENT_SECRET, DOMAIN, TOKEN


# -- the argument spec ----------------------------------------------------------------------------------

def test_connection_argument_spec_has_every_connection_and_credential_option():
    names = [option.name for option in credential_options()] + [option.name for option in CONNECTION_OPTIONS]
    assert sorted(connection_argument_spec()) == sorted(names)


@pytest.mark.parametrize('option', CONNECTION_OPTIONS, ids=lambda option: option.name)
def test_each_connection_option_keeps_its_type_default_and_environment_fallback(option):
    entry = connection_argument_spec()[option.name]
    assert entry['type'] == option.type
    assert entry.get('default') == option.default
    assert entry.get('required', False) == option.required
    assert entry.get('fallback') == ((env_fallback, [option.env]) if option.env else None)


@pytest.mark.parametrize('name, entry', [
    ('domain', dict(type='str', required=True, fallback=(env_fallback, ['AUTH0_DOMAIN']))),
    ('audience', dict(type='str', fallback=(env_fallback, ['AUTH0_AUDIENCE']))),
    ('timeout', dict(type='int', default=30)),
    ('max_retries', dict(type='int', default=5)),
    ('rate_limit_timeout', dict(type='int', default=300)),
    ('max_concurrent_requests', dict(type='int', default=4)),
    ('validate_certs', dict(type='bool', default=True)),
    ('ca_path', dict(type='path')),
    ('token', dict(type='str', no_log=True)),
    ('client_id', dict(type='str', no_log=False)),
    ('client_secret', dict(type='str', no_log=True)),
])
def test_the_spec_entries_as_the_modules_document_them(name, entry):
    assert connection_argument_spec()[name] == entry


def test_credentials_have_no_fallback_they_bind_late():
    spec = connection_argument_spec()
    assert [option.name for option in credential_options() if 'fallback' in spec[option.name]] == []


def test_module_kwargs_add_the_module_options_and_rules_to_the_connection_ones():
    kwargs = auth0_module_kwargs(dict(org_id=dict(type='str'), org_name=dict(type='str')),
                                 mutually_exclusive=[('org_id', 'org_name')], required_one_of=[('org_id', 'org_name')])
    assert kwargs['argument_spec'] == dict(connection_argument_spec(), org_id=dict(type='str'),
                                           org_name=dict(type='str'))
    assert kwargs['mutually_exclusive'] == exclusive_options() + [('org_id', 'org_name')]
    assert kwargs['required_by'] == options_required_by()
    assert kwargs['required_one_of'] == [('org_id', 'org_name')]
    assert kwargs['supports_check_mode'] is True


def test_paging_and_member_field_options():
    assert page_size_argument_spec() == dict(per_page=dict(type='int', default=100))
    spec = member_fields_argument_spec()
    assert spec['fields'] == dict(type='list', elements='str', choices=['user_id', 'email', 'name', 'picture', 'roles'])
    assert (spec['include_fields'], spec['include_roles']) == (dict(type='bool', default=True),
                                                               dict(type='bool', default=False))
    params = dict(fields=['email'], include_fields=False, include_roles=True, org_id='org_1', per_page=5)
    assert member_fields_of(params) == dict(fields=['email'], include_fields=False, include_roles=True)


# -- run_module -----------------------------------------------------------------------------------------

class Exited(Exception):
    pass


class FakeModule:
    """What run_module uses of an AnsibleModule: params, no_log_values, exit_json and fail_json."""

    def __init__(self, **params):
        self.params = dict((name, None) for name in connection_argument_spec())
        self.params.update(params)
        self.no_log_values = set()
        self.outcome = None

    def exit_json(self, **result):
        self.outcome = ('exit_json', result)
        raise Exited()

    def fail_json(self, **result):
        self.outcome = ('fail_json', result)
        raise Exited()


def run(module, operation):
    with pytest.raises(Exited):
        run_module(module, operation)
    return module.outcome


def test_the_operation_gets_a_client_built_from_the_params():
    module = FakeModule(domain=DOMAIN, token=TOKEN, timeout=7)
    outcome = run(module, lambda client: dict(host=client.host, timeout=client.timeout))
    assert outcome == ('exit_json', dict(host=DOMAIN, timeout=7, changed=False))


def test_a_changed_result_stays_changed():
    assert run(FakeModule(domain=DOMAIN, token=TOKEN), lambda client: dict(changed=True)) == (
        'exit_json', dict(changed=True))


def test_credentials_from_the_environment_are_added_to_no_log_values(monkeypatch):
    monkeypatch.setenv('AUTH0_CLIENT_ID', 'env-id')
    monkeypatch.setenv('AUTH0_CLIENT_SECRET', CLIENT_SECRET)
    module = FakeModule(domain=DOMAIN)
    run(module, lambda client: {})
    assert CLIENT_SECRET in module.no_log_values
    assert 'env-id' not in module.no_log_values


def test_an_auth0_error_fails_with_msg_status_and_error_code():
    def refused(_client):
        raise Auth0APIError('Auth0 refused it.', status=403, error_code='insufficient_scope')
    assert run(FakeModule(domain=DOMAIN, token=TOKEN), refused) == (
        'fail_json', dict(msg='Auth0 refused it.', status=403, error_code='insufficient_scope'))


def test_an_option_error_fails_before_the_operation():
    def never(_client):
        raise AssertionError('the operation must not run')
    outcome = run(FakeModule(domain=DOMAIN), never)
    assert outcome[0] == 'fail_json'
    assert outcome[1]['msg'].startswith('No credentials: give token (or AUTH0_API_TOKEN)')


def test_other_exceptions_are_not_disguised():
    def broken(_client):
        raise KeyError('bug')
    with pytest.raises(KeyError):
        run_module(FakeModule(domain=DOMAIN, token=TOKEN), broken)
