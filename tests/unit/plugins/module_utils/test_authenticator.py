# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The credential rules derived from the methods' declarations, and the token of one run (_authenticator.py)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from urllib.parse import parse_qs

import pytest

from ansible_collections.community.auth0.plugins.module_utils._auth0_errors import (
    Auth0APIError,
    Auth0ConfigError,
    Auth0ResponseError,
)
from ansible_collections.community.auth0.plugins.module_utils._auth_method_client_credentials import (
    CLIENT_ID as CLIENT_ID_OPTION,
    ClientCredentialsMethod,
)
from ansible_collections.community.auth0.plugins.module_utils._auth_method_private_key_jwt import PrivateKeyJwtMethod
from ansible_collections.community.auth0.plugins.module_utils._auth_method_token import StaticTokenMethod
from ansible_collections.community.auth0.plugins.module_utils._authenticator import (
    AUTH_METHODS,
    auth_method,
    credential_argument_spec,
    credential_options,
    exclusive_options,
    minting_methods,
    no_credentials_error,
    options_required_by,
    resolve_credentials,
    secret_option_names,
)
from ansible_collections.community.auth0.plugins.module_utils._credential_method import (
    CredentialMethod,
    CredentialOption,
)
from ansible_collections.community.auth0.tests.unit.plugins.auth0_support import (
    BASE, CLIENT_ID, CLIENT_SECRET, DOMAIN, MEMBERS_URL, MINTED_TOKEN, MINTING, ONE_PAGE, TOKEN, TOKEN_URL,
    FakeOrganization, authorizations, error_body, list_members, make_members, member, members_failure, path_of,
    token_answer,
)

# -- the rules derived from the methods' declarations ---------------------------------------------------

NO_OPTIONS = {}.get
EVERY_METHOD_IN_THE_ENVIRONMENT = {'AUTH0_API_TOKEN': TOKEN, 'AUTH0_CLIENT_ID': CLIENT_ID,
                                   'AUTH0_CLIENT_SECRET': CLIENT_SECRET}


class ThrowawayCertificateMethod(CredentialMethod):
    """A fourth method, declared here only: everything below must follow from this declaration alone."""

    NAME = 'client_certificate'
    OPTIONS = (CLIENT_ID_OPTION,
               CredentialOption('client_certificate_key', 'AUTH0_CLIENT_CERTIFICATE_KEY', secret=True))
    mints_tokens = True

    def __init__(self, settings, clock=None):  # pylint: disable=unused-argument
        self.client_id = settings['client_id']
        self.key = settings['client_certificate_key']

    def secret_values(self):
        return (self.key,)


WITH_A_FOURTH_METHOD = AUTH_METHODS + (ThrowawayCertificateMethod,)


def test_the_methods_in_the_order_the_environment_prefers_them():
    assert AUTH_METHODS == (StaticTokenMethod, ClientCredentialsMethod, PrivateKeyJwtMethod)
    assert minting_methods() == (ClientCredentialsMethod, PrivateKeyJwtMethod)


def test_every_credential_option_once_in_the_order_declared():
    assert [option.name for option in credential_options()] == [
        'token', 'client_id', 'client_secret', 'client_assertion_private_key', 'client_assertion_signing_alg']
    assert secret_option_names() == ('token', 'client_secret', 'client_assertion_private_key')
    assert secret_option_names(minting_methods()) == ('client_secret', 'client_assertion_private_key')


def test_exclusive_options_are_the_required_options_no_method_takes_together():
    assert exclusive_options() == [('token', 'client_id'), ('token', 'client_secret'),
                                   ('token', 'client_assertion_private_key'),
                                   ('client_secret', 'client_assertion_private_key')]
    assert exclusive_options(minting_methods()) == [('client_secret', 'client_assertion_private_key')]


def test_options_required_by_a_method_they_identify():
    assert options_required_by() == {'client_secret': ['client_id'], 'client_assertion_private_key': ['client_id']}


@pytest.mark.parametrize('methods, message', [
    (AUTH_METHODS, 'No credentials: give token (or AUTH0_API_TOKEN), or client_id with client_secret or '
                   'client_assertion_private_key (or AUTH0_CLIENT_ID with AUTH0_CLIENT_SECRET or '
                   'AUTH0_CLIENT_ASSERTION_PRIVATE_KEY).'),
    (minting_methods(), 'No credentials: give client_id with client_secret or client_assertion_private_key (or '
                        'AUTH0_CLIENT_ID with AUTH0_CLIENT_SECRET or AUTH0_CLIENT_ASSERTION_PRIVATE_KEY).'),
])
def test_no_credentials_message(methods, message):
    assert no_credentials_error(methods).message == message
    with pytest.raises(Auth0ConfigError) as failure:
        resolve_credentials(NO_OPTIONS, {}, methods)
    assert failure.value.message == message


def test_the_environment_prefers_the_token_when_every_method_may_be_used():
    assert resolve_credentials(NO_OPTIONS, EVERY_METHOD_IN_THE_ENVIRONMENT) == dict(
        token=TOKEN, client_id=None, client_secret=None, client_assertion_private_key=None,
        client_assertion_signing_alg=None)


def test_the_environment_gives_the_client_credentials_to_a_caller_that_mints():
    assert resolve_credentials(NO_OPTIONS, EVERY_METHOD_IN_THE_ENVIRONMENT, minting_methods()) == dict(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, client_assertion_private_key=None,
        client_assertion_signing_alg=None)


def test_auth_method_makes_the_chosen_method_from_its_own_settings():
    method = auth_method(dict(token=None, client_id=CLIENT_ID, client_secret=CLIENT_SECRET))
    assert isinstance(method, ClientCredentialsMethod)
    assert (method.client_id, method.secret_values()) == (CLIENT_ID, (CLIENT_SECRET,))
    assert isinstance(auth_method(dict(token=TOKEN)), StaticTokenMethod)
    with pytest.raises(TypeError, match='unknown credential settings: password'):
        auth_method(dict(token=TOKEN, password='x'))


def test_a_fourth_method_gets_every_rule_from_its_declaration():
    spec = credential_argument_spec(WITH_A_FOURTH_METHOD)
    assert spec['client_certificate_key'] == dict(type='str', no_log=True)
    assert 'client_certificate_key' not in credential_argument_spec()
    assert 'client_certificate_key' in secret_option_names(WITH_A_FOURTH_METHOD)
    assert ('token', 'client_certificate_key') in exclusive_options(WITH_A_FOURTH_METHOD)
    assert ('client_secret', 'client_certificate_key') in exclusive_options(WITH_A_FOURTH_METHOD)
    assert options_required_by(WITH_A_FOURTH_METHOD)['client_certificate_key'] == ['client_id']
    assert ('client_id with client_secret or client_assertion_private_key or client_certificate_key (or '
            'AUTH0_CLIENT_ID with AUTH0_CLIENT_SECRET or AUTH0_CLIENT_ASSERTION_PRIVATE_KEY or '
            'AUTH0_CLIENT_CERTIFICATE_KEY)') in no_credentials_error(WITH_A_FOURTH_METHOD).message
    environ = {'AUTH0_CLIENT_ID': CLIENT_ID, 'AUTH0_CLIENT_CERTIFICATE_KEY': 'certificate-key'}
    settings = resolve_credentials(NO_OPTIONS, environ, WITH_A_FOURTH_METHOD)
    assert (settings['client_id'], settings['client_certificate_key']) == (CLIENT_ID, 'certificate-key')
    method = auth_method(settings, methods=WITH_A_FOURTH_METHOD)
    assert isinstance(method, ThrowawayCertificateMethod)
    assert method.secret_values() == ('certificate-key',)


# -- the token of one run: minted once, reminted once --------------------------------------------------

@pytest.mark.parametrize('body', [None, [], {'members': []}, {'access_token': ''}, {'access_token': 42}])
def test_token_answer_without_an_access_token(api, make_client, body):
    api.post(TOKEN_URL, json=body)
    error = members_failure(make_client, token=None, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    assert error.__class__ is Auth0ResponseError
    assert "requesting a Management API token for client 'cli_M2Mapplication'" in error.message


def test_exactly_one_token_request_for_many_pages(api, make_client):
    api.post(TOKEN_URL, json=token_answer())
    FakeOrganization(make_members(1000)).register(api)
    assert len(list_members(make_client, **MINTING)) == 1000
    token_calls = [call for call in api.calls if call.request.method == 'POST']
    assert len(token_calls) == 1
    assert api.calls[0] is token_calls[0]
    assert len(api.calls) == 11
    assert authorizations(api) == ['Bearer ' + MINTED_TOKEN] * 10
    form = dict((key, values[0]) for key, values in parse_qs(token_calls[0].request.body).items())
    assert form == {'grant_type': 'client_credentials', 'client_id': CLIENT_ID, 'client_secret': CLIENT_SECRET,
                    'audience': BASE + '/api/v2/'}
    assert 'Authorization' not in token_calls[0].request.headers


def test_custom_audience_is_requested(api, make_client):
    api.post('https://login.travel0.com/oauth/token', json=token_answer())
    api.get(MEMBERS_URL.replace(DOMAIN, 'login.travel0.com'), json=ONE_PAGE)
    list_members(make_client, audience='https://travel0.us.auth0.com/api/v2/', domain='login.travel0.com', **MINTING)
    assert parse_qs(api.calls[0].request.body)['audience'] == ['https://travel0.us.auth0.com/api/v2/']
    assert api.calls[0].request.url == 'https://login.travel0.com/oauth/token'


def test_wrong_client_secret(api, make_client, clock):
    api.post(TOKEN_URL, status=401, json={'error': 'access_denied', 'error_description': 'Unauthorized'})
    with pytest.raises(Auth0APIError) as failure:
        list_members(make_client, **MINTING)
    error = failure.value
    assert (error.status, error.error_code) == (401, 'access_denied')
    assert "Auth0 refused requesting a Management API token for client 'cli_M2Mapplication'" in error.message
    assert '(HTTP 401 access_denied: Unauthorized). Check client_id and client_secret.' in error.message
    assert len(api.calls) == 1
    assert clock.sleeps == []


def test_wrong_audience(api, make_client):
    api.post(TOKEN_URL, status=403,
             json={'error': 'access_denied', 'error_description': 'Service not enabled within domain: https://x/api/v2/'})
    with pytest.raises(Auth0APIError) as failure:
        list_members(make_client, **MINTING)
    error = failure.value
    assert (error.status, error.error_code) == (403, 'access_denied')
    assert 'Service not enabled within domain' in error.message
    assert 'Check audience' in error.message and BASE + '/api/v2/' in error.message
    assert 'https://TENANT.REGION.auth0.com/api/v2/' in error.message


def test_other_token_refusals(api, make_client):
    api.post(TOKEN_URL, status=400, json={'error': 'invalid_request', 'error_description': 'Missing grant_type'})
    with pytest.raises(Auth0APIError) as failure:
        list_members(make_client, **MINTING)
    assert (failure.value.status, failure.value.error_code) == (400, 'invalid_request')
    assert 'Check the client credentials and audience.' in failure.value.message


def test_token_request_is_retried_on_429(api, make_client, clock):
    api.post(TOKEN_URL, status=429, json={'error': 'too_many_requests', 'error_description': 'Rate limit'},
             headers={'Retry-After': '4'})
    api.post(TOKEN_URL, json=token_answer())
    api.get(MEMBERS_URL, json=ONE_PAGE)
    assert list_members(make_client, **MINTING) == [member(0)]
    assert clock.sleeps == [4]


def test_an_expired_minted_token_is_reminted_once_and_paging_continues(api, make_client, clock):
    api.post(TOKEN_URL, json=token_answer('token-one'))
    api.post(TOKEN_URL, json=token_answer('token-two'))
    api.get(MEMBERS_URL, json={'members': [member(0)], 'total': 3})
    api.get(MEMBERS_URL, status=401, json=error_body(401, 'Expired token received for JSON Web Token validation'))
    api.get(MEMBERS_URL, json={'members': [member(1)], 'total': 3})
    api.get(MEMBERS_URL, json={'members': [member(2)], 'total': 3})
    assert list_members(make_client, per_page=1, **MINTING) == make_members(3)
    assert [path_of(call) for call in api.calls] == ['/oauth/token'] + [path_of(api.calls[1])] * 2 + [
        '/oauth/token'] + [path_of(api.calls[1])] * 2
    assert authorizations(api) == ['Bearer token-one'] * 2 + ['Bearer token-two'] * 2
    assert [call.request.params.get('page') for call in api.calls if call.request.method == 'GET'] == [
        '0', '1', '1', '2']
    assert clock.sleeps == []


def test_a_freshly_minted_token_that_is_refused_is_not_minted_again(api, make_client):
    # Refused before it ever worked: a second token would be refused the same way and cost quota.
    api.post(TOKEN_URL, json=token_answer('token-one'))
    api.get(MEMBERS_URL, status=401, json=error_body(401, 'Invalid signature received for JSON Web Token validation'))
    with pytest.raises(Auth0APIError) as failure:
        list_members(make_client, **MINTING)
    assert failure.value.status == 401
    assert 'not signed by this tenant' in failure.value.message
    assert 'freshly issued' not in failure.value.message
    assert [call.request.method for call in api.calls] == ['POST', 'GET']


def test_only_one_remint_per_run(api, make_client):
    api.post(TOKEN_URL, json=token_answer('token-one'))
    api.post(TOKEN_URL, json=token_answer('token-two'))
    api.get(MEMBERS_URL, json={'members': [member(0)], 'total': 2})
    api.get(MEMBERS_URL, status=401, json=error_body(401, 'Expired token received for JSON Web Token validation'))
    api.get(MEMBERS_URL, status=401, json=error_body(401, 'Expired token received for JSON Web Token validation'))
    with pytest.raises(Auth0APIError) as failure:
        list_members(make_client, per_page=1, **MINTING)
    assert failure.value.status == 401
    assert 'The token has expired' in failure.value.message
    assert 'A freshly issued token was rejected too.' in failure.value.message
    assert [call.request.method for call in api.calls] == ['POST', 'GET', 'GET', 'POST', 'GET']


def test_a_static_token_rejected_fails_without_minting(api, make_client):
    api.get(MEMBERS_URL, status=401, json=error_body(401, 'Expired token received for JSON Web Token validation'))
    with pytest.raises(Auth0APIError) as failure:
        list_members(make_client)
    assert failure.value.status == 401
    assert 'freshly issued' not in failure.value.message
    assert len(api.calls) == 1
    assert authorizations(api) == ['Bearer ' + TOKEN]
