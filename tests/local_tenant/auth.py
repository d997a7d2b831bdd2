"""RS256 signing keys, token minting and Auth0-style bearer-token verification."""

import itertools
import threading
import time

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

ALL_SCOPES = (
    "read:organizations", "read:organization_members", "read:organization_member_roles", "read:users", "read:roles",
    "create:organization_members", "delete:organization_members",
    "create:organization_member_roles", "delete:organization_member_roles",
)


class TokenRejected(Exception):
    """The bearer token is not acceptable; ``str(exc)`` is Auth0's 401 message."""


def new_rsa_key(bits=2048):
    """A fresh RSA private key."""
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def normalise_scopes(scopes):
    """Accept a space-separated string or an iterable and return a tuple of scope names."""
    if isinstance(scopes, str):
        return tuple(s for s in scopes.split(" ") if s)
    return tuple(scopes)


class TokenAuthority:
    """Mints tokens with the tenant key and verifies them like the Management API does.

    Signature checks are cached per token string (signature validity never changes), while
    expiry, audience, issuer and revocation are re-checked on every request.
    """

    def __init__(self, issuer, audience):
        self.issuer = issuer
        self.audience = audience
        self.kid = "local-tenant-key-1"
        self._key = new_rsa_key()
        self._public_key = self._key.public_key()
        self._foreign_key = None
        self._serial = itertools.count(1)
        self._lock = threading.Lock()
        self._verified = {}
        # Tokens minted before this instant (time.time()) are treated as expired: the expire_token fault.
        self._expired_before = 0.0
        self._minted_at = {}

    def jwks(self):
        """The JSON Web Key Set of the tenant (what /.well-known/jwks.json serves)."""
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self._public_key, as_dict=True)
        jwk.update({"kid": self.kid, "use": "sig", "alg": "RS256"})
        return {"keys": [jwk]}

    def mint(self, scopes=ALL_SCOPES, expires_in=86400, audience=None, issuer=None, sign_with_foreign_key=False, client_id="local-tenant"):
        """Return a signed RS256 access token (see ``LocalTenant.mint_token``)."""
        now = time.time()
        jti = "lt-%d" % next(self._serial)
        claims = {
            "iss": issuer or self.issuer,
            "sub": "%s@clients" % client_id,
            "aud": audience or self.audience,
            "iat": int(now),
            "exp": int(now) + int(expires_in),
            "scope": " ".join(normalise_scopes(scopes)),
            "gty": "client-credentials",
            "azp": client_id,
            "jti": jti,
        }
        if sign_with_foreign_key:
            with self._lock:
                if self._foreign_key is None:
                    self._foreign_key = new_rsa_key()
            key = self._foreign_key
        else:
            key = self._key
        with self._lock:
            self._minted_at[jti] = now
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})

    def expire_all_now(self):
        """Treat every token minted up to now as expired (fresh tokens keep working)."""
        with self._lock:
            self._expired_before = time.time()

    def verify(self, authorization):
        """Check an Authorization header value; return the token's scopes or raise :class:`TokenRejected`."""
        if not authorization:
            raise TokenRejected("Missing authentication")
        scheme, _separator, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise TokenRejected("Invalid token")
        claims = self._verified.get(token)
        if claims is None:
            claims = self._check_signature(token)
            with self._lock:
                if len(self._verified) > 10000:
                    self._verified.clear()
                self._verified[token] = claims
        now = time.time()
        exp = claims.get("exp")
        if not isinstance(exp, (int, float)) or exp <= now or self._revoked(claims):
            raise TokenRejected("Expired token received for JSON Web Token validation")
        aud = claims.get("aud")
        audiences = aud if isinstance(aud, list) else [aud]
        if self.audience not in audiences:
            raise TokenRejected("Bad audience: %s" % " ".join(str(a) for a in audiences))
        if claims.get("iss") != self.issuer:
            raise TokenRejected("Bad issuer: %s" % claims.get("iss"))
        return frozenset(str(claims.get("scope") or "").split())

    def _revoked(self, claims):
        minted = self._minted_at.get(claims.get("jti"), claims.get("iat", 0))
        return minted < self._expired_before

    def _check_signature(self, token):
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError:
            raise TokenRejected("Invalid token") from None
        if header.get("alg") != "RS256":
            raise TokenRejected("Invalid token")
        try:
            claims = jwt.decode(
                token, self._public_key, algorithms=["RS256"],
                options={"verify_exp": False, "verify_aud": False, "verify_iss": False, "verify_iat": False, "verify_nbf": False},
            )
        except jwt.InvalidSignatureError:
            raise TokenRejected("Invalid signature received for JSON Web Token validation") from None
        except jwt.InvalidTokenError:
            raise TokenRejected("Invalid token") from None
        if not isinstance(claims, dict):
            raise TokenRejected("Invalid token")
        return claims
