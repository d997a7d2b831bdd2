"""Contract check: the official auth0-python SDK's membership writes, user and role reads against LocalTenant.

The SDK sends the bodies and parses the answers its authors wrote against Auth0; if its calls work
here and its typed errors come out, the tenant's writes are not only our own reading of the docs.
"""

import pytest
from auth0.management.core.api_error import ApiError
from auth0.management.errors import BadRequestError, ForbiddenError, NotFoundError

from contract_support import WRITE_SEED, sdk_with

ALICE, ALICE_GOOGLE, BOB, _CAROL = (user["user_id"] for user in WRITE_SEED["users"])


@pytest.fixture
def tenant(writable):  # pylint: disable=redefined-outer-name
    """The tests below write: each gets a tenant of its own (conftest's http_client trusts its CA)."""
    return writable


def test_sdk_adds_and_removes_members(tenant, http_client):  # pylint: disable=redefined-outer-name
    sdk = sdk_with(tenant, http_client)
    acme = tenant.organization("acme")
    before = tenant.member_ids("acme")
    assert sdk.organizations.members.create(acme.id, members=[ALICE, ALICE_GOOGLE]) is None
    assert tenant.member_ids("acme") == before + [ALICE, ALICE_GOOGLE]
    listed = [member.user_id for member in sdk.organizations.members.list(acme.id, take=2)]
    assert listed == before + [ALICE, ALICE_GOOGLE]
    assert sdk.organizations.members.delete(acme.id, members=[ALICE, ALICE_GOOGLE]) is None
    assert tenant.member_ids("acme") == before
    assert [(record.method, record.status, record.body) for record in tenant.requests if record.method != "GET"] == [
        ("POST", 204, {"members": [ALICE, ALICE_GOOGLE]}), ("DELETE", 204, {"members": [ALICE, ALICE_GOOGLE]})]


def test_sdk_assigns_and_removes_member_roles(tenant, http_client):  # pylint: disable=redefined-outer-name
    sdk = sdk_with(tenant, http_client)
    other = tenant.organization("other")
    billing, viewer = tenant.role_id("billing"), tenant.role_id("viewer")
    assert sdk.organizations.members.roles.assign(other.id, BOB, roles=[billing]) is None
    roles = list(sdk.organizations.members.roles.list(other.id, BOB))
    assert [(role.id, role.name) for role in roles] == [(viewer, "viewer"), (billing, "billing")]
    assert sdk.organizations.members.roles.delete(other.id, BOB, roles=[billing]) is None
    assert [role["id"] for role in tenant.roles_of("other", BOB)] == [viewer]
    assert tenant.requests[0].path == "/api/v2/organizations/%s/members/%s/roles" % (other.id, BOB)


def test_sdk_finds_users_by_email_and_by_id(tenant, http_client):  # pylint: disable=redefined-outer-name
    sdk = sdk_with(tenant, http_client)
    users = sdk.users.list_users_by_email(email="alice@acme.example")
    assert [(user.user_id, user.identities[0].connection) for user in users] == [
        (ALICE, "Username-Password-Authentication"), (ALICE_GOOGLE, "google-oauth2")]
    assert users[1].identities[0].is_social is True
    bob = sdk.users.get(BOB)
    assert (bob.user_id, bob.email, bob.name) == (BOB, "bob@acme.example", "Bob")
    assert bob.created_at is not None
    organizations = list(sdk.users.organizations.list(BOB))
    assert [organization.name for organization in organizations] == ["other"]
    assert sdk.users.list_users_by_email(email="nobody@acme.example") == []


def test_sdk_lists_roles_by_name_filter(tenant, http_client):  # pylint: disable=redefined-outer-name
    sdk = sdk_with(tenant, http_client)
    roles = list(sdk.roles.list(name_filter="Billing"))
    assert [(role.id, role.name) for role in roles] == [(tenant.role_id("billing"), "billing"), (tenant.role_id("billing-admin"), "billing-admin")]
    assert tenant.requests[0].query == {"per_page": "50", "page": "0", "include_totals": "true", "name_filter": "Billing"}


def test_sdk_typed_errors_of_writes(tenant, http_client):  # pylint: disable=redefined-outer-name
    acme = tenant.organization("acme")
    reader = sdk_with(tenant, http_client, tenant.mint_token(scopes=["read:organization_members"]))
    with pytest.raises(ForbiddenError) as forbidden:
        reader.organizations.members.create(acme.id, members=[ALICE])
    assert forbidden.value.body["message"] == "Insufficient scope, expected any of: create:organization_members"
    sdk = sdk_with(tenant, http_client)
    with pytest.raises(BadRequestError) as too_many:
        sdk.organizations.members.create(acme.id, members=[ALICE] * 11)
    assert too_many.value.body["errorCode"] == "invalid_body"
    assert "'Array is too long (11), maximum 10'" in too_many.value.body["message"]
    # The SDK names no 404 for the member writes (Auth0's API description lists 400, 401, 403 and 429):
    # its generic ApiError carries the answer, the one the reads give for an unknown organization.
    for write in (sdk.organizations.members.create, sdk.organizations.members.delete):
        with pytest.raises(ApiError) as unknown_org:
            write("org_nope", members=[ALICE])
        assert not isinstance(unknown_org.value, BadRequestError)
        assert (unknown_org.value.status_code, unknown_org.value.body["message"]) == (404, "No organization found by that id or name")
    with pytest.raises(BadRequestError) as unknown_role:
        sdk.organizations.members.roles.assign(acme.id, tenant.member_ids("acme")[0], roles=["rol_nope"])
    assert unknown_role.value.body["errorCode"] == "inexistent_role"
    with pytest.raises(NotFoundError) as unknown_user:
        sdk.users.get("auth0|nobody")
    assert unknown_user.value.body["message"] == "The user does not exist."
    assert [record.status for record in tenant.requests] == [403, 400, 404, 404, 400, 404]
