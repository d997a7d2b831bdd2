# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Private Key JWT: get Management API tokens without a shared client secret.

For internal collection use only: names here may change in any release.

The application's private key signs a short-lived client assertion for each token request, as
Auth0's "Authenticate with Private Key JWT" describes it (and auth0-python and go-auth0 build it):
iss and sub the client id, aud the tenant URL with its trailing slash, iat, exp and a unique jti.
Auth0 keeps only the public key. Signing needs PyJWT and cryptography, imported only here, so
token and client-secret users need neither.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time
import uuid

from ansible_collections.community.auth0.plugins.module_utils._auth0_errors import Auth0ConfigError, clip
from ansible_collections.community.auth0.plugins.module_utils._auth_method_client_credentials import CLIENT_ID
from ansible_collections.community.auth0.plugins.module_utils._credential_method import (
    CredentialMethod,
    CredentialOption,
)

try:
    import jwt
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
    from cryptography.hazmat.primitives.serialization import load_pem_private_key
    HAS_PRIVATE_KEY_JWT_LIBRARIES = True
except ImportError:
    HAS_PRIVATE_KEY_JWT_LIBRARIES = False

PRIVATE_KEY_JWT_LIBRARIES = 'PyJWT and cryptography'
CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
# What Auth0 accepts for a Private Key JWT credential, all RSA.
SIGNING_ALGORITHMS = ('RS256', 'RS384', 'PS256')
DEFAULT_SIGNING_ALG = 'RS256'
# Auth0 refuses assertions living longer than 5 minutes and recommends about one.
ASSERTION_LIFETIME_SECONDS = 60
# Auth0 registers RSA public keys of this size only, so a key outside it can never authenticate.
RSA_KEY_BITS = (2048, 4096)
_OPTION = 'client_assertion_private_key'


class PrivateKeyJwtMethod(CredentialMethod):
    """Mints Management API tokens with a fresh assertion signed by the private key in every token request.

    The key is loaded and checked when the method is made, so a key that cannot work fails before
    any request is sent, with a message that names the problem and never quotes the key.
    """

    NAME = 'private_key_jwt'
    # The Auth0 Terraform provider's environment variable names.
    OPTIONS = (
        CLIENT_ID,
        CredentialOption(_OPTION, 'AUTH0_CLIENT_ASSERTION_PRIVATE_KEY', secret=True),
        CredentialOption('client_assertion_signing_alg', 'AUTH0_CLIENT_ASSERTION_SIGNING_ALG', required=False,
                         choices=SIGNING_ALGORITHMS),
    )
    mints_tokens = True

    def __init__(self, settings, clock=time.time):
        client_id = settings['client_id']
        private_key = settings[_OPTION]
        signing_alg = settings.get('client_assertion_signing_alg')
        if not HAS_PRIVATE_KEY_JWT_LIBRARIES:
            raise Auth0ConfigError('%s needs the Python libraries %s on the host that runs community.auth0 '
                                   '(pip install PyJWT cryptography); tokens and client secrets work without them.'
                                   % (_OPTION, PRIVATE_KEY_JWT_LIBRARIES))
        self.signing_alg = signing_alg or DEFAULT_SIGNING_ALG
        if self.signing_alg not in SIGNING_ALGORITHMS:
            raise Auth0ConfigError('client_assertion_signing_alg %r is not one Auth0 accepts for Private Key JWT; use '
                                   '%s.' % (clip(self.signing_alg, 30), ', '.join(SIGNING_ALGORITHMS)))
        self.client_id = client_id
        self._pem = _pem_text(private_key)
        self._key = _load_rsa_key(self._pem, self.signing_alg)
        self._clock = clock
        self._assertions = []

    def token_form(self, audience, base_url):
        """The client-credentials grant, form-encoded for POST /oauth/token, with a new assertion."""
        return {
            'grant_type': 'client_credentials',
            'client_id': self.client_id,
            'client_assertion_type': CLIENT_ASSERTION_TYPE,
            'client_assertion': self._new_assertion(base_url + '/'),
            'audience': audience,
        }

    def secret_values(self):
        """What no message may show: the key (whole and line by line) and every assertion made so far."""
        lines = tuple(line for line in self._pem.splitlines() if len(line) >= 12 and not line.startswith('-----'))
        return (self._pem,) + lines + tuple(self._assertions)

    def refusal_hint(self, status, error_code):
        """What to check when /oauth/token refuses the assertion (403, the audience, is the authenticator's)."""
        if status == 401 or error_code == 'invalid_client':
            return ('Auth0 did not accept the client assertion. Check that the public key registered for application '
                    '%r (Applications > Credentials) pairs with client_assertion_private_key, that the credential\'s '
                    'algorithm is %s (client_assertion_signing_alg), and that this host\'s clock is right: it reads '
                    '%s and each assertion is valid for %d seconds.'
                    % (self.client_id, self.signing_alg,
                       time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime(self._clock())), ASSERTION_LIFETIME_SECONDS))
        return ('Check client_id, and that application %r authenticates with Private Key JWT (Applications > '
                'Credentials > Authentication Methods).' % self.client_id)

    def _new_assertion(self, audience_claim):
        issued_at = int(self._clock())
        claims = {
            'iss': self.client_id,
            'sub': self.client_id,
            'aud': audience_claim,
            'iat': issued_at,
            'exp': issued_at + ASSERTION_LIFETIME_SECONDS,
            'jti': str(uuid.uuid4()),
        }
        assertion = jwt.encode(claims, self._key, algorithm=self.signing_alg)
        if isinstance(assertion, bytes):
            # PyJWT 1.x, still packaged by some distributions, returns bytes.
            assertion = assertion.decode('ascii')
        self._assertions.append(assertion)
        return assertion


def _pem_text(private_key):
    if not isinstance(private_key, str) or not private_key.strip():
        raise Auth0ConfigError('%s is empty or not text; give the PEM text of the private key, e.g. '
                               "\"{{ lookup('ansible.builtin.file', 'auth0-m2m.pem') }}\"." % _OPTION)
    text = private_key.strip()
    if '\n' not in text and '\\n' in text:
        # A PEM put in one environment variable or CI secret often has its newlines escaped.
        text = text.replace('\\n', '\n')
    return text + '\n'


def _load_rsa_key(pem, signing_alg):
    kind = _pem_kind(pem)
    if kind is None:
        raise Auth0ConfigError('%s is not PEM text (no -----BEGIN ... PRIVATE KEY----- line); give the contents of the '
                               "key file, not its path, e.g. \"{{ lookup('ansible.builtin.file', 'auth0-m2m.pem') }}\"."
                               % _OPTION)
    if kind in ('PUBLIC KEY', 'RSA PUBLIC KEY', 'CERTIFICATE'):
        raise Auth0ConfigError('%s holds a %s, not a private key; the public key (or certificate) is what you register '
                               'in Auth0, the private key is what signs here.' % (_OPTION, kind.lower()))
    if kind == 'ENCRYPTED PRIVATE KEY' or 'Proc-Type: 4,ENCRYPTED' in pem:
        raise Auth0ConfigError('%s is encrypted with a passphrase, which is not supported; decrypt it (openssl pkey -in '
                               'key.pem -out plain.pem) and protect the file with Ansible Vault instead.' % _OPTION)
    try:
        key = load_pem_private_key(pem.encode('ascii'), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        # The library's own words are not shown: they may quote the data they could not parse.
        raise Auth0ConfigError('%s could not be loaded: its PEM block is damaged or in a format that is not '
                               'supported (use PKCS#8 or PKCS#1 PEM, as openssl genrsa or openssl genpkey write it).'
                               % _OPTION)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise Auth0ConfigError('%s is %s key; %s signs with RSA keys only (Auth0 accepts RS256, RS384 and PS256, all '
                               'RSA). Create an RSA key: openssl genrsa -out auth0-m2m.pem 2048.'
                               % (_OPTION, _key_type_name(key), signing_alg))
    if not RSA_KEY_BITS[0] <= key.key_size <= RSA_KEY_BITS[1]:
        raise Auth0ConfigError('%s is a %d-bit RSA key; Auth0 accepts RSA keys of %d to %d bits.'
                               % ((_OPTION, key.key_size) + RSA_KEY_BITS))
    return key


def _pem_kind(pem):
    """The label of the first PEM block (PRIVATE KEY, RSA PRIVATE KEY, PUBLIC KEY...), or None."""
    start = pem.find('-----BEGIN ')
    if start < 0:
        return None
    end = pem.find('-----', start + len('-----BEGIN '))
    return pem[start + len('-----BEGIN '):end].strip() if end > 0 else None


def _key_type_name(key):
    for key_class, name in ((ec.EllipticCurvePrivateKey, 'an EC'), (ed25519.Ed25519PrivateKey, 'an Ed25519'),
                            (ed448.Ed448PrivateKey, 'an Ed448')):
        if isinstance(key, key_class):
            return name
    # Named without importing cryptography's dsa module, whose import prints a deprecation warning.
    if 'DSA' in type(key).__name__:
        return 'a DSA'
    return 'a non-RSA'
