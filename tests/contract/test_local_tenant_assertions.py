"""The local tenant's Private Key JWT client authentication, checked against Auth0's documented rules."""

import os
import stat
import time
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from local_tenant import ASSERTION_ALGORITHMS, CLIENT_ASSERTION_TYPE, new_rsa_key, public_key_pem
from local_tenant.assertions import AssertionRejected, AssertionVerifier, load_credential

CLIENT_ID = "pkjwt_contract_client"


@pytest.fixture(scope="module")
def keys():
    """One registered key per algorithm, and one key the tenant never saw."""
    return {"RS256": new_rsa_key(), "RS384": new_rsa_key(), "PS256": new_rsa_key(), "foreign": new_rsa_key()}


@pytest.fixture(scope="module")
def client(shared_tenant, keys):  # pylint: disable=redefined-outer-name
    """CLIENT_ID registered with an RS256, an RS384 and a PS256 credential: {alg: kid}."""
    return {alg: shared_tenant.add_private_key_client(CLIENT_ID, public_key_pem(keys[alg]), alg) for alg in ASSERTION_ALGORITHMS}


def sign(tenant, key, alg="RS256", headers=None, **overrides):
    """An assertion for CLIENT_ID as Auth0 documents it; a claim set to None is left out."""
    now = int(time.time())
    claims = {"iss": CLIENT_ID, "sub": CLIENT_ID, "aud": tenant.base_url + "/", "iat": now, "exp": now + 60, "jti": str(uuid.uuid4())}
    claims.update(overrides)
    claims = {name: value for name, value in claims.items() if value is not None}
    return jwt.encode(claims, key, algorithm=alg, headers=headers)


def grant(api, assertion, **extra):
    form = {
        "grant_type": "client_credentials", "client_id": CLIENT_ID, "audience": api.tenant.audience,
        "client_assertion_type": CLIENT_ASSERTION_TYPE, "client_assertion": assertion,
    }
    form.update(extra)
    return api.post_token(**{name: value for name, value in form.items() if value is not None})


def refused(response):
    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"error", "error_description"} and body["error"] == "invalid_client"
    return body["error_description"]


@pytest.mark.parametrize("alg", ASSERTION_ALGORITHMS)
def test_each_algorithm_gets_a_working_token(api, tenant, keys, client, acme, alg):
    response = grant(api, sign(tenant, keys[alg], alg))
    assert response.status_code == 200
    token = response.json()["access_token"]
    assert jwt.decode(token, options={"verify_signature": False})["azp"] == CLIENT_ID
    assert api.get("organizations/%s/members" % acme.id, token=token).status_code == 200


def test_kid_selects_the_credential(api, tenant, keys, client):
    assert grant(api, sign(tenant, keys["RS384"], "RS384", headers={"kid": client["RS384"]})).status_code == 200
    assert "No credential" in refused(grant(api, sign(tenant, keys["RS384"], "RS384", headers={"kid": client["RS256"]})))


def test_client_id_may_come_from_the_assertion_alone(api, tenant, keys, client):
    assert grant(api, sign(tenant, keys["RS256"]), client_id=None).status_code == 200


def test_the_token_endpoint_url_is_an_accepted_audience(api, tenant, keys, client):
    assert grant(api, sign(tenant, keys["RS256"], aud=tenant.base_url + "/oauth/token")).status_code == 200
    assert grant(api, sign(tenant, keys["RS256"], aud=[tenant.base_url + "/"])).status_code == 200


@pytest.mark.parametrize("description,alg,overrides,expected", [
    ("no trailing slash", "RS256", {"aud": "{base}"}, "'aud' claim must be"),
    ("another tenant", "RS256", {"aud": "https://travel0.us.auth0.com/"}, "'aud' claim must be"),
    ("the API audience", "RS256", {"aud": "{base}/api/v2/"}, "'aud' claim must be"),
    ("iss is another client", "RS256", {"iss": "someone-else"}, "'iss' and 'sub'"),
    ("sub is another client", "RS256", {"sub": "someone-else"}, "'iss' and 'sub'"),
    ("no exp", "RS256", {"exp": None}, "no 'exp' claim"),
    ("expired", "RS256", {"iat": -120, "exp": -60}, "has expired"),
    ("lives longer than 5 minutes", "RS256", {"exp": 301}, "no more than 5 minutes after 'iat'"),
    ("no iat, exp too far", "RS256", {"iat": None, "exp": 400}, "no more than 5 minutes"),
    ("iat beyond the clock skew", "RS256", {"iat": 30, "exp": 90}, "'iat' claim is in the future"),
    ("nbf beyond the clock skew", "RS256", {"nbf": 30}, "'nbf' claim is in the future"),
    ("no jti", "RS256", {"jti": None}, "no 'jti' claim"),
    ("jti over 64 characters", "RS256", {"jti": "j" * 65}, "longer than 64"),
    ("alg the credential was not registered with", "PS384", {}, "alg 'PS384' is not supported"),
])
def test_each_claim_rule(api, tenant, keys, client, description, alg, overrides, expected):  # pylint: disable=unused-argument
    now = int(time.time())
    claims = {}
    for name, value in overrides.items():
        if isinstance(value, str):
            value = value.format(base=tenant.base_url)
        elif name in ("iat", "exp", "nbf") and value is not None:
            value = now + value
        claims[name] = value
    assert expected in refused(grant(api, sign(tenant, keys["RS256"], alg, **claims)))


def test_iat_within_the_clock_skew_is_accepted(api, tenant, keys, client):
    now = int(time.time())
    assert grant(api, sign(tenant, keys["RS256"], iat=now + 5, exp=now + 65)).status_code == 200


def test_signature_and_algorithm(api, tenant, keys, client):
    assert "Invalid signature" in refused(grant(api, sign(tenant, keys["foreign"])))
    # A PS256 signature from the RS256 key: the PS256 credential's key does not verify it.
    assert "Invalid signature" in refused(grant(api, sign(tenant, keys["RS256"], "PS256")))
    assert "not supported" in refused(grant(api, sign(tenant, "a-shared-secret-of-32-bytes-long!", "HS256")))
    unsigned = jwt.encode({"iss": CLIENT_ID, "sub": CLIENT_ID}, None, algorithm="none")
    assert "not supported" in refused(grant(api, unsigned))
    assert "not a valid JWT" in refused(grant(api, "not-a-jwt"))
    tampered = sign(tenant, keys["RS256"]).split(".")
    other = sign(tenant, keys["RS256"], sub="someone-else").split(".")
    assert "Invalid signature" in refused(grant(api, ".".join([tampered[0], other[1], tampered[2]])))


def test_an_assertion_is_single_use(api, tenant, keys, client):
    assertion = sign(tenant, keys["RS256"])
    response = grant(api, assertion)
    assert response.status_code == 200
    assert tenant.credentials_seen == [assertion, response.json()["access_token"]]
    assert "already been used" in refused(grant(api, assertion))
    assert "already been used" in refused(grant(api, sign(tenant, keys["RS256"], jti=jwt.decode(assertion, options={"verify_signature": False})["jti"])))


def test_request_shape_errors(api, tenant, keys, client):
    assertion = sign(tenant, keys["RS256"])
    wrong_type = grant(api, assertion, client_assertion_type="urn:ietf:params:oauth:client-assertion-type:saml2-bearer")
    assert (wrong_type.status_code, wrong_type.json()["error"]) == (400, "invalid_request")
    both = grant(api, assertion, client_secret="also-a-secret")
    assert (both.status_code, both.json()["error"]) == (400, "invalid_request")
    missing = grant(api, None)
    assert (missing.status_code, missing.json()["error"]) == (400, "invalid_request")


def test_each_application_uses_only_its_own_method(api, tenant, keys, client):
    secret_app = grant(api, sign(tenant, keys["RS256"], iss=tenant.client_id, sub=tenant.client_id), client_id=tenant.client_id)
    assert "not configured for Private Key JWT" in refused(secret_app)
    key_app_with_a_secret = api.post_token(grant_type="client_credentials", client_id=CLIENT_ID, client_secret="guess", audience=tenant.audience)
    assert (key_app_with_a_secret.status_code, key_app_with_a_secret.json()) == (401, {"error": "access_denied", "error_description": "Unauthorized"})
    with pytest.raises(ValueError):
        tenant.add_private_key_client(tenant.client_id, public_key_pem(keys["RS256"]))


def test_a_wrong_audience_is_refused_after_authentication(api, tenant, keys, client):
    response = grant(api, sign(tenant, keys["RS256"]), audience="https://other.example.com/api/v2/")
    assert response.status_code == 403 and response.json()["error"] == "access_denied"


@pytest.mark.parametrize("key,alg,reason", [
    (ec.generate_private_key(ec.SECP256R1()), "RS256", "RSA public keys only"),
    (new_rsa_key(1024), "RS256", "2048 to 4096 bits"),
    (None, "HS256", "alg must be one of"),
])
def test_registration_refuses_what_auth0_refuses(tenant, key, alg, reason):
    pem = public_key_pem(key if key is not None else new_rsa_key())
    with pytest.raises(ValueError, match=reason):
        tenant.add_private_key_client("refused-client", pem, alg)


def test_default_private_key_client(api, tenant, acme):
    default = tenant.private_key_client
    assert default is tenant.private_key_client
    assert stat.S_IMODE(os.stat(default.private_key_path).st_mode) == 0o600
    with open(default.private_key_path, encoding="ascii") as handle:
        assert handle.read() == default.private_key_pem
    now = int(time.time())
    claims = {"iss": default.client_id, "sub": default.client_id, "aud": tenant.base_url + "/", "iat": now, "exp": now + 60, "jti": str(uuid.uuid4())}
    form = {"grant_type": "client_credentials", "client_id": default.client_id, "audience": tenant.audience,
            "client_assertion_type": CLIENT_ASSERTION_TYPE, "client_assertion": jwt.encode(claims, default.private_key_pem, algorithm=default.alg)}
    token = api.post_token(**form).json()["access_token"]
    assert api.get("organizations/" + acme.id, token=token).status_code == 200


def test_replay_memory_forgets_expired_assertions(keys):
    verifier = AssertionVerifier(audiences=("https://tenant.example/",))
    credential = load_credential("k1", public_key_pem(keys["RS256"]), "RS256")
    claims = {"iss": "c", "sub": "c", "aud": "https://tenant.example/", "iat": 1000, "exp": 1060, "jti": "once"}
    assertion = jwt.encode(claims, keys["RS256"], algorithm="RS256")
    verifier.verify(assertion, "c", [credential], now=1000)
    with pytest.raises(AssertionRejected, match="already been used"):
        verifier.verify(assertion, "c", [credential], now=1030)
    with pytest.raises(AssertionRejected, match="expired"):
        verifier.verify(assertion, "c", [credential], now=1060)
    later = jwt.encode(dict(claims, iat=1061, exp=1121, jti="later"), keys["RS256"], algorithm="RS256")
    verifier.verify(later, "c", [credential], now=1061)
    assert list(verifier._used_until) == [("c", "later")]  # pylint: disable=protected-access
