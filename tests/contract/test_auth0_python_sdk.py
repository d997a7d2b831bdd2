"""Contract check: the official auth0-python 6.x SDK, which no one here wrote, against LocalTenant.

If the SDK can page, parse and raise its typed errors against the tenant exactly as it does against
Auth0, the tenant's shapes (and the collection tests built on them) are not just our own reading.
"""

import pytest
from auth0.authentication import GetToken
from auth0.authentication.exceptions import Auth0Error
from auth0.management import ManagementClient
from auth0.management.errors import ForbiddenError, NotFoundError, TooManyRequestsError, UnauthorizedError

from contract_support import sdk_with
from local_tenant import new_rsa_key, private_key_pem, public_key_pem

FULL_FIELDS = "user_id,email,name,picture,roles"


@pytest.fixture
def sdk(tenant, http_client):  # pylint: disable=redefined-outer-name
    """ManagementClient pointed at the tenant with an all-scopes token."""
    return sdk_with(tenant, http_client)


def test_checkpoint_pager_with_roles_take_100(sdk, tenant, acme):  # pylint: disable=redefined-outer-name
    members = list(sdk.organizations.members.list(acme.id, take=100, fields=FULL_FIELDS, include_fields=True))
    assert [m.user_id for m in members] == acme.member_ids()
    assert len(members) == 2500
    for member in members[:200]:
        assert [(r.id, r.name) for r in member.roles] == [(r["id"], r["name"]) for r in acme.roles_of(member.user_id)]
    assert {m.email for m in members} == {m["email"] for m in acme.members}
    # 25 full pages, then the empty page that ends the walk.
    assert tenant.count(r"/members$") == 26


def test_checkpoint_pager_default_take(sdk, tenant, acme):  # pylint: disable=redefined-outer-name
    members = list(sdk.organizations.members.list(acme.id, fields=FULL_FIELDS))
    assert [m.user_id for m in members] == acme.member_ids()
    assert all(m.roles is not None for m in members)
    assert tenant.count(r"/members$") == 51
    assert tenant.requests[0].query == {"include_totals": "true", "take": "50", "fields": FULL_FIELDS}


def test_get_organization_by_name(sdk, acme):  # pylint: disable=redefined-outer-name
    org = sdk.organizations.get_by_name("acme")
    assert (org.id, org.name, org.display_name) == (acme.id, "acme", "Acme Corp")
    assert org.branding.logo_url == "https://example.com/acme.png"


def test_list_organizations_by_checkpoint(sdk, tenant, acme):  # pylint: disable=redefined-outer-name
    organizations = list(sdk.organizations.list(take=2))
    assert [org.name for org in organizations] == ["acme", "tiny", "empty-org"]
    # Two pages: the second has no next, so the pager stops there.
    assert [r.query.get("from") is not None for r in tenant.requests] == [False, True]
    assert tenant.requests[0].query == {"include_totals": "true", "take": "2"}
    listed = organizations[0]
    assert (listed.id, listed.display_name, listed.branding.logo_url) == (acme.id, "Acme Corp", "https://example.com/acme.png")
    assert listed.metadata == {"plan": "enterprise", "region": "eu"}
    quota = listed.token_quota.client_credentials
    assert (quota.per_hour, quota.per_day, quota.enforce) == (1073741824, 1073741824, True)
    assert (listed.third_party_client_access, listed.is_app_entitlement_active) == ("block", True)
    assert organizations[2].metadata is None and organizations[2].token_quota is None


def test_typed_401(tenant, http_client, acme):  # pylint: disable=redefined-outer-name
    client = sdk_with(tenant, http_client, tenant.mint_token(expires_in=-10))
    with pytest.raises(UnauthorizedError) as raised:
        list(client.organizations.members.list(acme.id))
    assert raised.value.status_code == 401
    assert raised.value.body["message"] == "Expired token received for JSON Web Token validation"


def test_typed_403(tenant, http_client, acme):  # pylint: disable=redefined-outer-name
    client = sdk_with(tenant, http_client, tenant.mint_token(scopes=["read:organization_members"]))
    with pytest.raises(ForbiddenError) as raised:
        list(client.organizations.members.list(acme.id, fields=FULL_FIELDS))
    assert raised.value.body["errorCode"] == "insufficient_scope"


def test_typed_404(sdk):  # pylint: disable=redefined-outer-name
    with pytest.raises(NotFoundError) as raised:
        sdk.organizations.get_by_name("no-such-org")
    assert raised.value.body == {"statusCode": 404, "error": "Not Found", "message": "No organization found by that id or name"}


def test_typed_429_after_the_sdk_retries(sdk, tenant, acme):  # pylint: disable=redefined-outer-name
    # The SDK retries a 429 twice; Retry-After keeps its backoff short.
    tenant.inject(r"/members$", "status", times=3, status=429, headers={"Retry-After": "0"})
    with pytest.raises(TooManyRequestsError) as raised:
        list(sdk.organizations.members.list(acme.id))
    assert raised.value.body["message"] == "Global limit has been reached"
    assert raised.value.headers["x-ratelimit-remaining"] == "0"
    assert tenant.count(r"/members$") == 3


def test_sdk_recovers_from_one_429(sdk, tenant, tiny):  # pylint: disable=redefined-outer-name
    tenant.inject(r"/members$", "status", status=429, headers={"Retry-After": "0"})
    members = list(sdk.organizations.members.list(tiny.id, take=2))
    assert [m.user_id for m in members] == tiny.member_ids()
    assert [r.status for r in tenant.requests] == [429, 200, 200, 200]


def test_sdk_client_credentials_flow(tenant, http_client, tiny, monkeypatch):  # pylint: disable=redefined-outer-name
    # The SDK's token provider opens its own httpx client; SSL_CERT_FILE makes it trust the tenant CA.
    monkeypatch.setenv("SSL_CERT_FILE", tenant.ca_path)
    client = ManagementClient(domain=tenant.domain, client_id=tenant.client_id, client_secret=tenant.client_secret, httpx_client=http_client)
    members = list(client.organizations.members.list(tiny.id, fields=FULL_FIELDS))
    assert [m.user_id for m in members] == tiny.member_ids()
    assert [[r.name for r in m.roles] for m in members] == [["admin"], ["editor", "viewer"], []]
    assert tenant.count(r"^/oauth/token$", method="POST") == 1


@pytest.mark.parametrize("alg", ["RS256", "RS384", "PS256"])
def test_sdk_private_key_jwt(tenant, http_client, tiny, monkeypatch, alg):  # pylint: disable=redefined-outer-name
    # GetToken signs the assertion itself (aud https://DOMAIN/, a uuid4 jti, 180 s) and posts it as JSON.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", tenant.ca_path)
    key = new_rsa_key()
    client_id = "sdk-pkjwt-" + alg.lower()
    tenant.add_private_key_client(client_id, public_key_pem(key), alg)
    get_token = GetToken(tenant.domain, client_id, client_assertion_signing_key=private_key_pem(key), client_assertion_signing_alg=alg)
    token = get_token.client_credentials(tenant.audience)["access_token"]
    members = list(sdk_with(tenant, http_client, token).organizations.members.list(tiny.id))
    assert [m.user_id for m in members] == tiny.member_ids()


def test_sdk_private_key_jwt_refusals(tenant, monkeypatch):  # pylint: disable=redefined-outer-name
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", tenant.ca_path)
    registered = tenant.private_key_client
    with pytest.raises(Auth0Error) as raised:
        GetToken(tenant.domain, registered.client_id, client_assertion_signing_key=private_key_pem(new_rsa_key())).client_credentials(tenant.audience)
    assert (raised.value.status_code, raised.value.error_code) == (401, "invalid_client")
    wrong_alg = GetToken(tenant.domain, registered.client_id, client_assertion_signing_key=registered.private_key_pem, client_assertion_signing_alg="PS256")
    with pytest.raises(Auth0Error) as raised:
        wrong_alg.client_credentials(tenant.audience)
    assert (raised.value.status_code, raised.value.error_code) == (401, "invalid_client")
    token = GetToken(tenant.domain, registered.client_id, client_assertion_signing_key=registered.private_key_pem).client_credentials(tenant.audience)
    assert token["token_type"] == "Bearer"
