"""Private Key JWT client authentication at POST /oauth/token, checked the way Auth0 documents it.

Auth0's rules ("Authenticate with Private Key JWT", "Configure Private Key JWT Authentication"):
the assertion is signed with RS256, RS384 or PS256, the algorithm the credential was registered
with; ``iss`` and ``sub`` are the client id; ``aud`` is the tenant URL with its trailing slash (an
Auth0 support article uses the token endpoint URL, which Auth0 accepts too); ``exp`` at most 5
minutes after ``iat``; ``iat``/``nbf`` may run 10 seconds ahead of Auth0's clock; ``jti`` is unique
and the assertion single-use; ``iss``, ``sub`` and ``jti`` at most 64 characters. Public keys are
RSA of 2048 to 4096 bits, registered as PEM.
"""

import threading
import time
from collections import namedtuple

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_ALGORITHMS = ("RS256", "RS384", "PS256")
MAX_ASSERTION_LIFETIME = 300
CLOCK_SKEW = 10
MAX_CLAIM_LENGTH = 64
RSA_KEY_BITS = (2048, 4096)

_SIGNATURE_ONLY = {"verify_exp": False, "verify_iat": False, "verify_nbf": False, "verify_aud": False, "verify_iss": False}

Credential = namedtuple("Credential", "kid alg public_key")
Credential.__doc__ = "A public key registered for an application (what Auth0 calls a client credential)."

PrivateKeyClient = namedtuple("PrivateKeyClient", "client_id kid alg private_key_pem private_key_path")
PrivateKeyClient.__doc__ = "The tenant's default Private Key JWT application and the private key that signs for it."


class AssertionRejected(Exception):
    """The client assertion does not authenticate the client; ``str(exc)`` is the error_description."""


def private_key_pem(key):
    """The unencrypted PKCS#8 PEM text of ``key`` (what ``openssl genpkey`` writes)."""
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode("ascii")


def public_key_pem(key):
    """The SubjectPublicKeyInfo PEM text of a private key's public half (what is registered with Auth0)."""
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def load_credential(kid, public_key_pem_text, alg):
    """Check a public key as Auth0 does when a credential is registered; raise ValueError if it would refuse it."""
    if alg not in ASSERTION_ALGORITHMS:
        raise ValueError("alg must be one of %s, not %r" % (", ".join(ASSERTION_ALGORITHMS), alg))
    public_key = serialization.load_pem_public_key(public_key_pem_text.encode("ascii"))
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise ValueError("Auth0 registers RSA public keys only")
    if not RSA_KEY_BITS[0] <= public_key.key_size <= RSA_KEY_BITS[1]:
        raise ValueError("Auth0 accepts RSA keys of %d to %d bits, not %d" % (RSA_KEY_BITS + (public_key.key_size,)))
    return Credential(kid, alg, public_key)


class AssertionVerifier:
    """Verifies client assertions for one tenant and remembers every jti until its assertion expires."""

    def __init__(self, audiences):
        self._audiences = tuple(audiences)
        self._lock = threading.Lock()
        self._used_until = {}

    def verify(self, assertion, client_id, credentials, now=None):
        """Check ``assertion`` for ``client_id`` against its ``credentials``; raise AssertionRejected if it fails."""
        now = time.time() if now is None else now
        try:
            header = jwt.get_unverified_header(assertion)
        except jwt.InvalidTokenError:
            raise AssertionRejected("The client_assertion is not a valid JWT") from None
        alg = header.get("alg")
        if alg not in ASSERTION_ALGORITHMS:
            raise AssertionRejected("The client_assertion alg %r is not supported; use one of %s" % (alg, ", ".join(ASSERTION_ALGORITHMS)))
        kid = header.get("kid")
        candidates = [c for c in credentials if c.alg == alg and (kid is None or c.kid == kid)]
        if not candidates:
            raise AssertionRejected("No credential of the client matches the client_assertion's alg %s%s" % (alg, " and kid" if kid else ""))
        claims = self._claims_signed_by_one_of(assertion, alg, candidates)
        self._check_claims(claims, client_id, now)

    @staticmethod
    def _claims_signed_by_one_of(assertion, alg, candidates):
        for credential in candidates:
            try:
                # Only the signature here: the claims are checked one by one, each with its own message.
                claims = jwt.decode(assertion, credential.public_key, algorithms=[alg], options=_SIGNATURE_ONLY)
            except jwt.InvalidSignatureError:
                continue
            except jwt.InvalidTokenError:
                raise AssertionRejected("The client_assertion is not a valid JWT") from None
            if isinstance(claims, dict):
                return claims
            raise AssertionRejected("The client_assertion payload is not a JSON object")
        raise AssertionRejected("Invalid signature of the client_assertion: no public key registered for the client verifies it")

    def _check_claims(self, claims, client_id, now):
        for name in ("iss", "sub", "jti"):
            value = claims.get(name)
            if not isinstance(value, str) or not value:
                raise AssertionRejected("The client_assertion has no '%s' claim" % name)
            if len(value) > MAX_CLAIM_LENGTH:
                raise AssertionRejected("The client_assertion '%s' claim is longer than %d characters" % (name, MAX_CLAIM_LENGTH))
        if claims["iss"] != client_id or claims["sub"] != client_id:
            raise AssertionRejected("The client_assertion 'iss' and 'sub' claims must be the client_id")
        aud = claims.get("aud")
        audiences = aud if isinstance(aud, list) else [aud]
        if not any(value in self._audiences for value in audiences):
            raise AssertionRejected("The client_assertion 'aud' claim must be %s" % self._audiences[0])
        exp = claims.get("exp")
        if not _is_number(exp):
            raise AssertionRejected("The client_assertion has no 'exp' claim")
        if exp <= now:
            raise AssertionRejected("The client_assertion has expired")
        for name in ("iat", "nbf"):
            if name in claims and not _is_number(claims[name]):
                raise AssertionRejected("The client_assertion '%s' claim is not a number" % name)
            if name in claims and claims[name] > now + CLOCK_SKEW:
                raise AssertionRejected("The client_assertion '%s' claim is in the future" % name)
        issued = claims.get("iat", now)
        if exp - issued > MAX_ASSERTION_LIFETIME:
            raise AssertionRejected("'exp' claim must specify a time that is no more than 5 minutes after 'iat'")
        self._use_once(client_id, claims["jti"], exp, now)

    def _use_once(self, client_id, jti, exp, now):
        with self._lock:
            for key in [key for key, until in self._used_until.items() if until <= now]:
                del self._used_until[key]
            if (client_id, jti) in self._used_until:
                raise AssertionRejected("The client_assertion 'jti' claim has already been used")
            self._used_until[(client_id, jti)] = exp


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)
