# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Private Key JWT method: the assertion it signs, and every key it refuses before a request."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import uuid
from urllib.parse import parse_qs

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from ansible_collections.community.auth0.plugins.module_utils import _auth_method_private_key_jwt as method_module
from ansible_collections.community.auth0.plugins.module_utils._auth0_errors import Auth0APIError, Auth0ConfigError
from ansible_collections.community.auth0.plugins.module_utils._auth_method_private_key_jwt import (
    CLIENT_ASSERTION_TYPE,
    PrivateKeyJwtMethod,
)
from ansible_collections.community.auth0.tests.unit.plugins.auth0_support import (
    BASE,
    CLIENT_ID,
    MEMBERS_URL,
    MINTED_TOKEN,
    NOW,
    ORG_ID,
    TOKEN_URL,
    error_body,
    member,
)

AUDIENCE = BASE + '/api/v2/'


def pem_of(key, private_format=serialization.PrivateFormat.PKCS8, encryption=None):
    return key.private_bytes(serialization.Encoding.PEM, private_format,
                             encryption or serialization.NoEncryption()).decode('ascii')


@pytest.fixture(scope='module')
def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope='module')
def pem(rsa_key):
    return pem_of(rsa_key)


def make_method(private_key, signing_alg=None):
    settings = dict(client_id=CLIENT_ID, client_assertion_private_key=private_key,
                    client_assertion_signing_alg=signing_alg)
    return PrivateKeyJwtMethod(settings, clock=lambda: NOW)


def claims_of(assertion, rsa_key, alg='RS256'):
    return jwt.decode(assertion, rsa_key.public_key(), algorithms=[alg], audience=BASE + '/',
                      options={'verify_exp': False, 'verify_iat': False})


def test_token_form_is_the_client_credentials_grant_with_an_assertion(pem):
    form = make_method(pem).token_form(AUDIENCE, BASE)
    assert sorted(form) == ['audience', 'client_assertion', 'client_assertion_type', 'client_id', 'grant_type']
    assert (form['grant_type'], form['client_id'], form['audience']) == ('client_credentials', CLIENT_ID, AUDIENCE)
    assert form['client_assertion_type'] == CLIENT_ASSERTION_TYPE == 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'


def test_assertion_claims(pem, rsa_key):
    assertion = make_method(pem).token_form(AUDIENCE, BASE)['client_assertion']
    claims = claims_of(assertion, rsa_key)
    assert sorted(claims) == ['aud', 'exp', 'iat', 'iss', 'jti', 'sub']
    assert claims['iss'] == claims['sub'] == CLIENT_ID
    assert claims['aud'] == 'https://travel0.us.auth0.com/'
    assert (claims['iat'], claims['exp']) == (int(NOW), int(NOW) + 60)
    assert str(uuid.UUID(claims['jti'])) == claims['jti']
    assert jwt.get_unverified_header(assertion) == {'alg': 'RS256', 'typ': 'JWT'}


def test_audience_claim_follows_the_domain(pem, rsa_key):
    assertion = make_method(pem).token_form('https://tenant.eu.auth0.com/api/v2/', 'https://login.example.com:8443')
    claims = jwt.decode(assertion['client_assertion'], rsa_key.public_key(), algorithms=['RS256'],
                        audience='https://login.example.com:8443/', options={'verify_exp': False, 'verify_iat': False})
    assert assertion['audience'] == 'https://tenant.eu.auth0.com/api/v2/' and claims['iss'] == CLIENT_ID


@pytest.mark.parametrize('alg', ['RS256', 'RS384', 'PS256'])
def test_each_algorithm_auth0_accepts(pem, rsa_key, alg):
    assertion = make_method(pem, alg).token_form(AUDIENCE, BASE)['client_assertion']
    assert jwt.get_unverified_header(assertion)['alg'] == alg
    assert claims_of(assertion, rsa_key, alg)['sub'] == CLIENT_ID
    for other in {'RS256', 'RS384', 'PS256'} - {alg}:
        with pytest.raises(jwt.InvalidTokenError):
            claims_of(assertion, rsa_key, other)


def test_default_algorithm_is_rs256(pem):
    assert make_method(pem).signing_alg == 'RS256'


def test_every_request_gets_a_fresh_assertion_and_every_assertion_is_secret(pem, rsa_key):
    method = make_method(pem)
    assertions = [method.token_form(AUDIENCE, BASE)['client_assertion'] for _request in range(3)]
    assert len(set(assertions)) == 3
    assert len(set(claims_of(assertion, rsa_key)['jti'] for assertion in assertions)) == 3
    secrets = method.secret_values()
    assert secrets[0] == pem and all(assertion in secrets for assertion in assertions)
    body_lines = [line for line in pem.splitlines() if not line.startswith('-----')]
    assert all(line in secrets for line in body_lines if len(line) >= 12)


def test_pkcs1_and_escaped_newlines_are_accepted(rsa_key, pem):
    pkcs1 = pem_of(rsa_key, serialization.PrivateFormat.TraditionalOpenSSL)
    assert pkcs1.startswith('-----BEGIN RSA PRIVATE KEY-----')
    for text in (pkcs1, pem.replace('\n', '\\n'), '\n  ' + pem + '  \n'):
        assertion = make_method(text).token_form(AUDIENCE, BASE)['client_assertion']
        assert claims_of(assertion, rsa_key)['iss'] == CLIENT_ID


def test_pyjwt_1_bytes_are_turned_into_text(pem, monkeypatch):
    encode = jwt.encode
    monkeypatch.setattr(method_module.jwt, 'encode', lambda *args, **kwargs: encode(*args, **kwargs).encode('ascii'))
    method = make_method(pem)
    assertion = method.token_form(AUDIENCE, BASE)['client_assertion']
    assert isinstance(assertion, str) and assertion in method.secret_values()


def assert_refused(private_key, *words, **options):
    with pytest.raises(Auth0ConfigError) as raised:
        make_method(private_key, options.get('signing_alg'))
    message = raised.value.message
    assert raised.value.status is None
    for word in words:
        assert word in message
    if isinstance(private_key, str):
        for line in private_key.splitlines():
            if not line.startswith('-----'):
                assert not any(line[start:start + 12] in message for start in range(0, max(len(line) - 11, 0)))
    return message


def test_refuses_text_that_is_not_pem():
    assert_refused('/srv/secrets/tenant-signing.key', 'not PEM text', 'not its path')
    assert_refused('MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7', 'not PEM text')


@pytest.mark.parametrize('value', ['', '   \n', None, 42, b'-----BEGIN PRIVATE KEY-----'])
def test_refuses_empty_or_non_text_values(value):
    assert_refused(value, 'empty or not text')


def test_refuses_public_keys_and_certificates(rsa_key):
    public_pem = rsa_key.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo).decode('ascii')
    assert_refused(public_pem, 'holds a public key', 'not a private key')
    certificate = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUbm90IGEgcmVhbCBjZXJ0\n-----END CERTIFICATE-----\n'
    assert_refused(certificate, 'holds a certificate')


def test_refuses_encrypted_keys(rsa_key):
    encryption = serialization.BestAvailableEncryption(b'passphrase')
    assert_refused(pem_of(rsa_key, encryption=encryption), 'encrypted with a passphrase', 'Ansible Vault')
    traditional = pem_of(rsa_key, serialization.PrivateFormat.TraditionalOpenSSL, encryption)
    assert 'Proc-Type: 4,ENCRYPTED' in traditional
    assert_refused(traditional, 'encrypted with a passphrase')


def test_refuses_a_damaged_key(pem):
    lines = pem.splitlines()
    damaged = '\n'.join(lines[:3] + [line[::-1] for line in lines[3:-1]] + lines[-1:])
    assert_refused(damaged, 'could not be loaded', 'its PEM block is damaged')
    # One changed character in the algorithm identifier: cryptography raises UnsupportedAlgorithm, not ValueError.
    assert pem[43] != 'A'
    assert_refused(pem[:43] + 'A' + pem[44:], 'could not be loaded')
    assert_refused(pem[:40] + '\u00e9' + pem[41:], 'could not be loaded')


@pytest.mark.parametrize('key,name', [
    (ec.generate_private_key(ec.SECP256R1()), 'an EC key'),
    (ed25519.Ed25519PrivateKey.generate(), 'an Ed25519 key'),
])
def test_refuses_keys_that_are_not_rsa(key, name):
    assert_refused(pem_of(key), name, 'RS256 signs with RSA keys only', signing_alg='RS256')
    assert_refused(pem_of(key), name, 'PS256 signs with RSA keys only', signing_alg='PS256')


def test_refuses_rsa_keys_auth0_would_not_register():
    short = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    assert_refused(pem_of(short), 'a 1024-bit RSA key', '2048 to 4096 bits')


@pytest.mark.parametrize('alg', ['HS256', 'rs256', 'ES256', 'none', 'RS512' * 20])
def test_refuses_algorithms_auth0_does_not_accept(pem, alg):
    message = assert_refused(pem, 'client_assertion_signing_alg', 'RS256, RS384, PS256', signing_alg=alg)
    assert len(message) < 200


def test_missing_libraries_are_named(pem, monkeypatch):
    monkeypatch.setattr(method_module, 'HAS_PRIVATE_KEY_JWT_LIBRARIES', False)
    assert_refused(pem, 'PyJWT and cryptography', 'pip install PyJWT cryptography', 'client secrets work without them')


def test_refusal_hints(pem):
    method = make_method(pem, 'PS256')
    hint = method.refusal_hint(401, 'invalid_client')
    for words in ('public key registered', CLIENT_ID, 'PS256', 'clock', '2023-11-14 22:13:20 UTC', '60 seconds'):
        assert words in hint
    assert 'authenticates with Private Key JWT' in method.refusal_hint(400, 'invalid_request')


# -- through the client: the token request, its retries and its refusals ------------------------------------

ONE_PAGE = {'members': [member(0)], 'total': 1}


def signing(pem, **options):
    return dict(token=None, client_id=CLIENT_ID, client_assertion_private_key=pem, **options)


def token_forms(api):
    return [dict((key, values[0]) for key, values in parse_qs(call.request.body).items())
            for call in api.calls if call.request.url == TOKEN_URL]


def read_members(make_client, **options):
    return make_client(**options).organization_members(org_id=ORG_ID)[1]


def test_the_client_posts_a_signed_assertion_and_no_secret(api, make_client, pem, rsa_key):
    api.post(TOKEN_URL, json={'access_token': MINTED_TOKEN, 'token_type': 'Bearer'})
    api.get(MEMBERS_URL, json=ONE_PAGE)
    assert read_members(make_client, **signing(pem)) == [member(0)]
    (form,) = token_forms(api)
    assert sorted(form) == ['audience', 'client_assertion', 'client_assertion_type', 'client_id', 'grant_type']
    assert form['audience'] == BASE + '/api/v2/'
    assert claims_of(form['client_assertion'], rsa_key)['iat'] == int(NOW)
    assert api.calls[1].request.headers['Authorization'] == 'Bearer ' + MINTED_TOKEN


def test_every_attempt_carries_a_fresh_assertion(api, make_client, clock, pem, rsa_key):
    # A retried assertion might already be spent, or expired after a long rate-limit wait.
    api.post(TOKEN_URL, status=503, json={'error': 'temporarily_unavailable'})
    api.post(TOKEN_URL, status=429, json={'error': 'too_many_requests', 'error_description': 'Rate limit'},
             headers={'Retry-After': '50'})
    api.post(TOKEN_URL, json={'access_token': MINTED_TOKEN, 'token_type': 'Bearer'})
    api.get(MEMBERS_URL, json=ONE_PAGE)
    read_members(make_client, **signing(pem))
    claims = [claims_of(form['client_assertion'], rsa_key) for form in token_forms(api)]
    assert len(set(claim['jti'] for claim in claims)) == 3
    assert claims[2]['iat'] - claims[0]['iat'] >= 50
    assert claims[2]['exp'] > NOW + sum(clock.sleeps)


def test_an_expired_token_is_reminted_with_a_new_assertion(api, make_client, pem, rsa_key):
    api.post(TOKEN_URL, json={'access_token': 'token-one', 'token_type': 'Bearer'})
    api.post(TOKEN_URL, json={'access_token': 'token-two', 'token_type': 'Bearer'})
    api.get(MEMBERS_URL, json={'members': [member(0)], 'total': 2})
    api.get(MEMBERS_URL, status=401, json=error_body(401, 'Expired token received for JSON Web Token validation'))
    api.get(MEMBERS_URL, json={'members': [member(1)], 'total': 2})
    assert len(make_client(**signing(pem)).organization_members(org_id=ORG_ID, per_page=1)[1]) == 2
    first, second = [claims_of(form['client_assertion'], rsa_key)['jti'] for form in token_forms(api)]
    assert first != second


def test_a_refused_assertion_says_what_to_check_and_shows_no_credential(api, make_client, pem):
    # Auth0 (or a proxy) echoing the assertion and a line of the key back must not show them.
    def echo(request):
        form = dict((key, values[0]) for key, values in parse_qs(request.body).items())
        description = 'Invalid client_assertion %s (key line %s)' % (form['client_assertion'], pem.splitlines()[5])
        return 401, {}, '{"error": "invalid_client", "error_description": "%s"}' % description
    api.add_callback('POST', TOKEN_URL, callback=echo)
    with pytest.raises(Auth0APIError) as failure:
        read_members(make_client, **signing(pem, client_assertion_signing_alg='RS384'))
    error = failure.value
    assert (error.status, error.error_code) == (401, 'invalid_client')
    assert "Auth0 refused requesting a Management API token for client 'cli_M2Mapplication'" in error.message
    for words in ('public key registered', 'algorithm is RS384 (client_assertion_signing_alg)', 'clock'):
        assert words in error.message
    (form,) = token_forms(api)
    for secret in [form['client_assertion']] + [line for line in pem.splitlines() if not line.startswith('-----')]:
        assert secret[:12] not in error.message


def test_an_unusable_key_sends_nothing(api, make_client):
    with pytest.raises(Auth0ConfigError):
        make_client(**signing('-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n'))
    assert not api.calls
