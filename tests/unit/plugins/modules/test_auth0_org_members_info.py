# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""community.auth0.auth0_org_members_info run through main(), its JSON read from stdout."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import functools
import json
from unittest import mock
from urllib.parse import parse_qs

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ansible.module_utils import basic
from ansible_collections.community.auth0.plugins.module_utils import _auth0, _auth0_module
from ansible_collections.community.auth0.plugins.modules import auth0_org_members_info
from ansible_collections.community.auth0.tests.unit.plugins.auth0_support import (
    BASE, CLIENT_ID, CLIENT_SECRET, DOMAIN, MEMBERS_URL, MINTED_TOKEN, ORG_BY_NAME_URL, ORG_ID, ORG_NAME,
    ORGANIZATION, TOKEN, TOKEN_URL, FakeOrganization, error_body, make_members, member, query_of,
)

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19
    @contextlib.contextmanager
    def patch_module_args(args=None):
        payload = json.dumps({'ANSIBLE_MODULE_ARGS': args or {}}).encode()
        with contextlib.ExitStack() as stack:
            stack.enter_context(mock.patch.object(basic, '_ANSIBLE_ARGS', payload))
            if hasattr(basic, '_ANSIBLE_PROFILE'):
                stack.enter_context(mock.patch.object(basic, '_ANSIBLE_PROFILE', 'legacy'))
            yield


STATIC = dict(domain=DOMAIN, token=TOKEN)
MINTING = dict(domain=DOMAIN, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)


@pytest.fixture(autouse=True)
def no_sleeping(monkeypatch, clock):
    """The module builds its own Auth0Client: give it the fake clock too."""
    monkeypatch.setattr(_auth0_module, 'Auth0Client', functools.partial(_auth0.Auth0Client, sleep=clock.sleep, clock=clock.time))


@pytest.fixture
def run(capsys):
    """Run the module with these arguments; return (exit code, result dict, raw stdout)."""
    def run_module(args):
        with patch_module_args(args):
            with pytest.raises(SystemExit) as exit_info:
                auth0_org_members_info.main()
        stdout = capsys.readouterr().out
        return exit_info.value.code, json.loads(stdout), stdout
    return run_module


# -- argument validation: failures named after the option, before any request --------------------------

@pytest.mark.parametrize('args, fragments', [
    (dict(token=TOKEN, org_id=ORG_ID), ['missing required arguments: domain']),
    (dict(STATIC), ['one of the following is required: org_id, org_name']),
    (dict(STATIC, org_id=ORG_ID, org_name=ORG_NAME), ['mutually exclusive: org_id|org_name']),
    (dict(STATIC, org_id=ORG_ID, client_id=CLIENT_ID, client_secret=CLIENT_SECRET), ['mutually exclusive: token|client_id']),
    (dict(STATIC, org_id=ORG_ID, client_secret=CLIENT_SECRET), ['mutually exclusive: token|client_secret']),
    (dict(domain=DOMAIN, org_id=ORG_ID, client_id=CLIENT_ID),
     ['client_id must be given together with client_secret or client_assertion_private_key']),
    (dict(domain=DOMAIN, org_id=ORG_ID, client_secret=CLIENT_SECRET), ["required by 'client_secret': client_id"]),
    (dict(domain=DOMAIN, org_id=ORG_ID, client_assertion_private_key='-----BEGIN PRIVATE KEY-----'),
     ["required by 'client_assertion_private_key': client_id"]),
    (dict(MINTING, org_id=ORG_ID, client_assertion_private_key='-----BEGIN PRIVATE KEY-----'),
     ['mutually exclusive: client_secret|client_assertion_private_key']),
    (dict(STATIC, org_id=ORG_ID, client_assertion_private_key='-----BEGIN PRIVATE KEY-----'),
     ['mutually exclusive: token|client_assertion_private_key']),
    (dict(domain=DOMAIN, org_id=ORG_ID, client_id=CLIENT_ID, client_assertion_private_key='/etc/auth0/m2m.key'),
     ['client_assertion_private_key is not PEM text']),
    (dict(domain=DOMAIN, org_id=ORG_ID, client_id=CLIENT_ID, client_assertion_private_key='x',
          client_assertion_signing_alg='HS256'), ['client_assertion_signing_alg', 'RS256, RS384, PS256']),
    (dict(domain=DOMAIN, org_id=ORG_ID), ['No credentials', 'AUTH0_API_TOKEN']),
    (dict(STATIC, org_id=ORG_ID, fields=['email', 'phone']), ['fields', 'must be one or more of', 'phone']),
    (dict(STATIC, org_id=ORG_ID, include_roles='maybe'), ['include_roles']),
    (dict(STATIC, org_id=ORG_ID, per_page='many'), ['per_page']),
    (dict(STATIC, org_id='org_abc/../../clients'), ["org_id 'org_abc/../../clients' is not an Auth0 Organization id"]),
    (dict(STATIC, org_id='W30Ft8gJJmwlnOHU'), ['org_id ', 'org_ followed by letters and digits']),
    (dict(STATIC, org_name='Travel0 Partners'), ["org_name 'Travel0 Partners'"]),
    (dict(STATIC, org_id=ORG_ID, domain='http://travel0.us.auth0.com'), ['domain ', 'clear text']),
    (dict(STATIC, org_id=ORG_ID, domain='travel0.us.auth0.com/api'), ['domain ', 'without a path']),
    (dict(STATIC, org_id=ORG_ID, page=-1), ['page must be 0 or more']),
    (dict(STATIC, org_id=ORG_ID, per_page=0), ['per_page must be between 1 and 100']),
    (dict(STATIC, org_id=ORG_ID, per_page=101), ['per_page must be between 1 and 100']),
    (dict(STATIC, org_id=ORG_ID, timeout=0), ['timeout must be from 1 to 3600 seconds']),
    (dict(STATIC, org_id=ORG_ID, max_retries=-1), ['max_retries must be 0 or more']),
    (dict(STATIC, org_id=ORG_ID, ca_path='/nonexistent/ca.pem'), ['ca_path ', 'not a readable file']),
    (dict(MINTING, org_id=ORG_ID, per_page=500), ['per_page must be between 1 and 100']),
])
def test_argument_validation_fails_before_any_request(api, run, args, fragments):
    code, result, stdout = run(args)
    assert code == 1
    assert result['failed'] is True
    for fragment in fragments:
        assert fragment in result['msg']
    assert 'status' not in result and 'error_code' not in result
    assert 'exception' not in result and 'Traceback' not in stdout
    assert not api.calls
    assert TOKEN not in stdout and CLIENT_SECRET not in stdout


# -- results -------------------------------------------------------------------------------------------------

def test_every_member_and_the_result_keys(api, run):
    everyone = make_members(1234)
    FakeOrganization(everyone).register(api)
    code, result, stdout = run(dict(STATIC, org_id=ORG_ID))
    assert code == 0
    assert set(result) == {'changed', 'members', 'count', 'organization', 'invocation'}
    assert result['changed'] is False
    assert result['members'] == everyone
    assert result['count'] == 1234
    assert result['organization'] == {'id': ORG_ID}
    # the offset request that tells the total, then checkpoint paging past Auth0's 1000-record offset cap
    assert len(api.calls) == 1 + 13 + 1
    assert all(query_of(call)['take'] == '100' for call in api.calls[1:])
    assert TOKEN not in stdout


def test_defaults_reach_the_client(api, run):
    api.get(MEMBERS_URL, json={'members': [member(0)], 'total': 1})
    code, result, unused_stdout = run(dict(STATIC, org_id=ORG_ID))
    assert code == 0
    args = result['invocation']['module_args']
    assert (args['per_page'], args['timeout'], args['max_retries'], args['validate_certs']) == (100, 30, 5, True)
    assert (args['include_fields'], args['include_roles'], args['page'], args['fields']) == (True, False, None, None)
    assert api.calls[0].request.req_kwargs['timeout'] == 30
    assert api.calls[0].request.req_kwargs['verify'] is True


def test_org_name_is_resolved(api, run):
    api.get(ORG_BY_NAME_URL, json=ORGANIZATION)
    FakeOrganization(make_members(3)).register(api)
    code, result, unused_stdout = run(dict(STATIC, org_name=ORG_NAME))
    assert code == 0
    assert result['organization'] == {'id': ORG_ID, 'name': ORG_NAME, 'display_name': 'Travel0 Partners'}
    assert result['count'] == 3


@pytest.mark.parametrize('check_mode', [False, True])
def test_check_mode_runs_the_same(api, run, check_mode):
    FakeOrganization(make_members(5)).register(api)
    code, result, unused_stdout = run(dict(STATIC, org_id=ORG_ID, _ansible_check_mode=check_mode))
    assert code == 0
    assert (result['count'], result['changed']) == (5, False)
    assert len(api.calls) == 1


def test_one_offset_page_with_fields_and_roles(api, run):
    roles = {'auth0|000051': [{'id': 'rol_admin', 'name': 'admin'}]}
    FakeOrganization(make_members(120), roles=roles).register(api)
    code, result, unused_stdout = run(dict(STATIC, org_id=ORG_ID, page=1, per_page=50, fields=['user_id', 'email'],
                                           include_roles=True))
    assert code == 0
    assert result['count'] == 50
    assert result['members'][1] == {'user_id': 'auth0|000051', 'email': 'user51@example.com',
                                    'roles': [{'id': 'rol_admin', 'name': 'admin'}]}
    assert query_of(api.calls[0]) == {'page': '1', 'per_page': '50', 'fields': 'user_id,email,roles',
                                      'include_fields': 'true'}


def test_roles_fallback_through_the_module(api, run):
    roles = {'auth0|000001': [{'id': 'rol_ops', 'name': 'ops'}]}
    FakeOrganization(make_members(2), roles=roles, inline_roles=False).register(api)
    code, result, unused_stdout = run(dict(STATIC, org_id=ORG_ID, include_roles=True))
    assert code == 0
    assert [record['roles'] for record in result['members']] == [[], [{'id': 'rol_ops', 'name': 'ops'}]]


def test_excluded_fields(api, run):
    FakeOrganization(make_members(1)).register(api)
    code, result, unused_stdout = run(dict(STATIC, org_id=ORG_ID, fields=['picture', 'name'], include_fields=False))
    assert code == 0
    assert result['members'] == [{'user_id': 'auth0|000000', 'email': 'user0@example.com'}]


def test_transport_options(api, run, tmp_path, monkeypatch):
    bundle = tmp_path / 'ca.pem'
    bundle.write_text('')
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', str(tmp_path / 'other.pem'))
    api.get('https://127.0.0.1:8443/api/v2/organizations/%s/members' % ORG_ID, json={'members': [], 'total': 0})
    code, unused_result, unused_stdout = run(dict(STATIC, domain='127.0.0.1:8443', org_id=ORG_ID, timeout=5,
                                                  ca_path=str(bundle)))
    assert code == 0
    assert api.calls[0].request.req_kwargs['verify'] == str(bundle)
    assert api.calls[0].request.req_kwargs['timeout'] == 5


def test_validate_certs_false(api, run, monkeypatch):
    monkeypatch.setenv('CURL_CA_BUNDLE', '/etc/ssl/other.pem')
    api.get(MEMBERS_URL, json={'members': [], 'total': 0})
    assert run(dict(STATIC, org_id=ORG_ID, validate_certs=False))[0] == 0
    assert api.calls[0].request.req_kwargs['verify'] is False


def test_retries_through_the_module(api, run, clock):
    api.get(MEMBERS_URL, status=429, json=error_body(429, 'Global limit has been reached', 'too_many_requests'),
            headers={'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': str(int(clock.now) + 3)})
    api.get(MEMBERS_URL, json={'members': [], 'total': 0})
    assert run(dict(STATIC, org_id=ORG_ID, max_retries=1))[0] == 0
    assert clock.sleeps == [3]


def test_one_session_per_run(api, run, created_sessions):
    api.post(TOKEN_URL, json={'access_token': MINTED_TOKEN})
    FakeOrganization(make_members(300)).register(api)
    assert run(dict(MINTING, org_id=ORG_ID))[0] == 0
    assert len(created_sessions) == 1
    assert len(api.calls) == 1 + 3


# -- credentials and domain from the environment -------------------------------------------------------

def test_domain_and_token_from_the_environment(api, run, monkeypatch):
    monkeypatch.setenv('AUTH0_DOMAIN', DOMAIN)
    monkeypatch.setenv('AUTH0_API_TOKEN', TOKEN)
    api.get(MEMBERS_URL, json={'members': [member(0)], 'total': 1})
    code, result, stdout = run(dict(org_id=ORG_ID))
    assert code == 0
    assert result['count'] == 1
    assert api.calls[0].request.headers['Authorization'] == 'Bearer ' + TOKEN
    assert TOKEN not in stdout


def test_client_credentials_from_the_environment(api, run, monkeypatch):
    monkeypatch.setenv('AUTH0_DOMAIN', DOMAIN)
    monkeypatch.setenv('AUTH0_CLIENT_ID', CLIENT_ID)
    monkeypatch.setenv('AUTH0_CLIENT_SECRET', CLIENT_SECRET)
    monkeypatch.setenv('AUTH0_AUDIENCE', 'https://travel0.us.auth0.com/api/v2/')
    api.post(TOKEN_URL, json={'access_token': MINTED_TOKEN})
    FakeOrganization(make_members(250)).register(api)
    code, result, stdout = run(dict(org_id=ORG_ID))
    assert code == 0
    assert result['count'] == 250
    form = parse_qs(api.calls[0].request.body)
    assert (form['client_id'], form['client_secret'], form['audience']) == (
        [CLIENT_ID], [CLIENT_SECRET], ['https://travel0.us.auth0.com/api/v2/'])
    assert [call.request.headers['Authorization'] for call in api.calls[1:]] == ['Bearer ' + MINTED_TOKEN] * 3
    assert CLIENT_SECRET not in stdout and MINTED_TOKEN not in stdout


def test_explicit_client_credentials_beat_a_token_in_the_environment(api, run, monkeypatch):
    monkeypatch.setenv('AUTH0_API_TOKEN', 'env-token-never-used')
    api.post(TOKEN_URL, json={'access_token': MINTED_TOKEN})
    api.get(MEMBERS_URL, json={'members': [], 'total': 0})
    assert run(dict(MINTING, org_id=ORG_ID))[0] == 0
    assert api.calls[1].request.headers['Authorization'] == 'Bearer ' + MINTED_TOKEN


def test_explicit_domain_beats_the_environment(api, run, monkeypatch):
    monkeypatch.setenv('AUTH0_DOMAIN', 'other.eu.auth0.com')
    api.get(MEMBERS_URL, json={'members': [], 'total': 0})
    assert run(dict(STATIC, org_id=ORG_ID))[0] == 0
    assert api.calls[0].request.url.startswith(BASE + '/')


# -- failures --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('status, body, expected', [
    (403, error_body(403, 'Insufficient scope, expected any of: read:organization_members', 'insufficient_scope'),
     dict(status=403, error_code='insufficient_scope')),
    (404, error_body(404, 'No organization found by that id or name'), dict(status=404)),
    (400, error_body(400, 'Requesting page 10 exceeds the allowed maximum of 1000 records.', 'invalid_paging'),
     dict(status=400, error_code='invalid_paging')),
    (401, error_body(401, 'Expired token received for JSON Web Token validation'), dict(status=401)),
])
@pytest.mark.parametrize('verbosity', [0, 4])
def test_failure_output_has_msg_status_and_error_code(api, run, status, body, expected, verbosity):
    api.get(MEMBERS_URL, status=status, json=body)
    code, result, stdout = run(dict(STATIC, org_id=ORG_ID, _ansible_verbosity=verbosity))
    assert code == 1
    assert result['failed'] is True
    assert body['message'] in result['msg']
    assert dict((key, result[key]) for key in ('status', 'error_code') if key in result) == expected
    assert 'members' not in result and 'exception' not in result and 'Traceback' not in stdout


def test_rate_limit_failure_through_the_module(api, run):
    api.get(MEMBERS_URL, status=429, json=error_body(429, 'Global limit has been reached', 'too_many_requests'))
    code, result, unused_stdout = run(dict(STATIC, org_id=ORG_ID, rate_limit_timeout=0))
    assert code == 1
    assert (result['status'], result['error_code']) == (429, 'too_many_requests')
    assert 'waiting up to rate_limit_timeout (0 s, 0 s spent) did not get through' in result['msg']
    assert len(api.calls) == 1


def test_connection_failure_has_no_status(api, run):
    api.get(MEMBERS_URL, body=requests.exceptions.ConnectionError('Connection refused'))
    code, result, unused_stdout = run(dict(STATIC, org_id=ORG_ID, max_retries=0))
    assert code == 1
    assert 'Could not connect to travel0.us.auth0.com' in result['msg']
    assert 'status' not in result and 'error_code' not in result


def test_a_partial_list_is_never_returned(api, run):
    api.get(MEMBERS_URL, json={'members': make_members(100), 'total': 1500})
    api.get(MEMBERS_URL, json={'members': make_members(2), 'next': 'c1'})
    api.get(MEMBERS_URL, json={'members': make_members(3)[2:], 'next': 'c1'})
    code, result, unused_stdout = run(dict(STATIC, org_id=ORG_ID))
    assert code == 1
    assert 'same paging cursor twice' in result['msg']
    assert 'members' not in result and 'count' not in result


def test_missing_requests_library(api, run, monkeypatch):
    monkeypatch.setattr(_auth0_module, 'HAS_REQUESTS', False)
    code, result, unused_stdout = run(dict(STATIC, org_id=ORG_ID))
    assert code == 1
    assert 'Failed to import the required Python library (requests)' in result['msg']
    assert not api.calls


def private_key_args(monkeypatch, key, from_environment):
    """Module args for a Private Key JWT application, with the client id and key in the task or the environment."""
    if from_environment:
        monkeypatch.setenv('AUTH0_CLIENT_ID', CLIENT_ID)
        monkeypatch.setenv('AUTH0_CLIENT_ASSERTION_PRIVATE_KEY', key)
        return dict(domain=DOMAIN, org_id=ORG_ID)
    return dict(domain=DOMAIN, client_id=CLIENT_ID, client_assertion_private_key=key, org_id=ORG_ID)


@pytest.mark.parametrize('key_from_environment', [False, True])
def test_missing_private_key_jwt_libraries_stop_only_private_key_jwt(api, run, monkeypatch, key_from_environment):
    monkeypatch.setattr(_auth0_module, 'HAS_PRIVATE_KEY_JWT_LIBRARIES', False)
    api.get(MEMBERS_URL, json={'members': make_members(1), 'total': 1})
    assert run(dict(STATIC, org_id=ORG_ID))[0] == 0
    key = '-----BEGIN PRIVATE KEY-----\nnot-even-read\n-----END PRIVATE KEY-----\n'
    code, result, stdout = run(private_key_args(monkeypatch, key, key_from_environment))
    assert code == 1
    assert 'Failed to import the required Python library (PyJWT and cryptography)' in result['msg']
    assert 'not-even-read' not in stdout
    assert len(api.calls) == 1


# -- secrets ------------------------------------------------------------------------------------------------------

ECHOING = error_body(401, 'Invalid token %s for client %s' % (TOKEN, CLIENT_SECRET))


@pytest.mark.parametrize('options, environment', [
    (STATIC, {}),
    (dict(domain=DOMAIN), {'AUTH0_API_TOKEN': TOKEN}),
])
def test_the_token_appears_nowhere_even_when_auth0_echoes_it(api, run, monkeypatch, options, environment):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    api.get(MEMBERS_URL, status=401, json=ECHOING)
    code, result, stdout = run(dict(options, org_id=ORG_ID, _ansible_verbosity=4, _ansible_debug=True))
    assert code == 1
    assert TOKEN not in stdout
    assert 'Invalid token' in result['msg']


@pytest.mark.parametrize('options, environment', [
    (MINTING, {}),
    (dict(domain=DOMAIN), {'AUTH0_CLIENT_ID': CLIENT_ID, 'AUTH0_CLIENT_SECRET': CLIENT_SECRET}),
])
def test_the_client_secret_appears_nowhere_even_when_auth0_echoes_it(api, run, monkeypatch, options, environment):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    api.post(TOKEN_URL, status=401, json={'error': 'access_denied', 'error_description': 'bad secret ' + CLIENT_SECRET})
    code, result, stdout = run(dict(options, org_id=ORG_ID, _ansible_verbosity=4, _ansible_debug=True))
    assert code == 1
    assert CLIENT_SECRET not in stdout
    assert 'Check client_id and client_secret' in result['msg']
    assert result['status'] == 401


def test_secrets_are_masked_in_the_invocation(api, run):
    api.post(TOKEN_URL, json={'access_token': MINTED_TOKEN})
    api.get(MEMBERS_URL, json={'members': [], 'total': 0})
    code, result, stdout = run(dict(MINTING, org_id=ORG_ID))
    assert code == 0
    assert result['invocation']['module_args']['client_secret'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    assert result['invocation']['module_args']['client_id'] == CLIENT_ID
    assert CLIENT_SECRET not in stdout and MINTED_TOKEN not in stdout


def test_the_token_is_masked_in_the_invocation_of_a_failure(api, run):
    api.get(MEMBERS_URL, status=403, json=error_body(403, 'Insufficient scope', 'insufficient_scope'))
    code, result, stdout = run(dict(STATIC, org_id=ORG_ID))
    assert code == 1
    assert result['invocation']['module_args']['token'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    assert TOKEN not in stdout


@pytest.fixture(scope='module')
def private_key_pem():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode('ascii')


@pytest.mark.parametrize('from_environment', [False, True])
def test_the_private_key_and_assertion_appear_nowhere_even_when_auth0_echoes_them(
        api, run, monkeypatch, private_key_pem, from_environment):
    def echo(request):
        assertion = parse_qs(request.body)['client_assertion'][0]
        return 401, {}, json.dumps({'error': 'invalid_client', 'error_description': 'bad assertion ' + assertion})
    api.add_callback('POST', TOKEN_URL, callback=echo)
    args = private_key_args(monkeypatch, private_key_pem, from_environment)
    code, result, stdout = run(dict(args, _ansible_verbosity=4, _ansible_debug=True))
    assert code == 1 and result['error_code'] == 'invalid_client'
    assert 'bad assertion ********' in result['msg']
    assert parse_qs(api.calls[0].request.body)['client_assertion'][0][:12] not in stdout
    assert not any(line in stdout for line in private_key_pem.splitlines()[1:-1])
    if not from_environment:
        assert result['invocation']['module_args']['client_assertion_private_key'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
