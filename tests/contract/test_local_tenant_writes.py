"""Contract tests of the tenant's users, roles and membership writes, over HTTP.

The membership module and its integration tests rely on these answers: every write a 204 with no
body, Auth0's payload validation and scopes, reads that see each write at once, and a request log
that shows each write's ids.
"""

import threading

import pytest

from contract_support import WRITE_SEED, Api
from local_tenant import PUBLISHED_LIMITS, LocalTenant
from local_tenant.data import build_tenant

ALICE, ALICE_GOOGLE, BOB, CAROL = (user["user_id"] for user in WRITE_SEED["users"])


@pytest.fixture
def wapi(writable):  # pylint: disable=redefined-outer-name
    return Api(writable)


def members_path(tenant, org="acme"):
    return "organizations/%s/members" % tenant.organization(org).id


def roles_path(tenant, user_id, org="acme"):
    return "organizations/%s/members/%s/roles" % (tenant.organization(org).id, user_id.replace("|", "%7C"))


def listed(api, org="acme", **params):
    """Every member of ``org`` through the checkpoint listing, with the fields asked."""
    found, cursor = [], None
    while True:
        page = api.get(members_path(api.tenant, org), take=3, **dict(params, **({"from": cursor} if cursor else {}))).json()
        found.extend(page["members"])
        cursor = page.get("next")
        if not page["members"]:
            return found


# -- users and roles ------------------------------------------------------------------------------


def users_of(api, user_id):
    return api.get("users/" + user_id.replace("|", "%7C")).json()


def test_users_by_email_is_exact_and_lists_every_connection(wapi):
    both = wapi.get("users-by-email", email="alice@acme.example")
    assert both.status_code == 200
    users = both.json()
    assert [user["user_id"] for user in users] == [ALICE, ALICE_GOOGLE]
    assert [user["identities"] for user in users] == [
        [{"connection": "Username-Password-Authentication", "user_id": "alice", "provider": "auth0", "isSocial": False}],
        [{"connection": "google-oauth2", "user_id": "108alice", "provider": "google-oauth2", "isSocial": True}],
    ]
    assert set(users[0]) >= {"user_id", "email", "name", "picture", "identities", "created_at", "nickname"}
    # Case-sensitive, as documented: Auth0 stores a database user's email as it was saved.
    assert wapi.get("users-by-email", email="ALICE@acme.example").json() == []
    assert wapi.get("users-by-email", email="alice@acme").json() == []
    assert [user["user_id"] for user in wapi.get("users-by-email", email="Carol@Acme.example").json()] == [CAROL]
    assert wapi.get("users-by-email", email="bob@acme.example", fields="user_id,email").json() == [
        {"email": "bob@acme.example", "user_id": BOB}]
    hidden = wapi.get("users-by-email", email="bob@acme.example", fields="identities,picture", include_fields="false").json()
    assert hidden == [{key: value for key, value in users_of(wapi, BOB).items() if key not in ("identities", "picture")}]
    assert wapi.get("users/auth0%7Cbob", fields="name").json() == {"name": "Bob"}


@pytest.mark.parametrize("params, message", [
    ({}, "Query validation error: 'Missing required property: email' on property query."),
    ({"email": "a@b.c", "q": "x"}, "Query validation error: 'Additional properties not allowed: q' on property query."),
    ({"email": ""}, "Query validation error: 'String is too short (0 chars), minimum 1' on property email "
                    "(Email address to search for (case-sensitive).)."),
    ({"email": "a@b.c", "include_fields": "maybe"}, "Query validation error: 'Expected type boolean but found type string' "
                                                    "on property include_fields (Whether specified fields are to be included "
                                                    "(true) or excluded (false).)."),
])
def test_users_by_email_query_validation(wapi, params, message):
    answer = wapi.get("users-by-email", **params)
    assert answer.status_code == 400
    assert answer.json() == {"statusCode": 400, "error": "Bad Request", "message": message, "errorCode": "invalid_query_string"}


def test_every_member_is_a_user(wapi, writable):
    bob = wapi.get("users/auth0%7Cbob").json()
    assert bob == writable.user(BOB) and bob["email"] == "bob@acme.example"
    member = writable.organization("acme").members[0]
    user = wapi.get("users/" + member["user_id"].replace("|", "%7C")).json()
    assert {key: user[key] for key in member} == member
    assert writable.user_by_email(member["email"]) == [user]


def test_unknown_user(wapi):
    for path in ("users/auth0%7Cnobody", "users/auth0%7Cnobody/organizations"):
        answer = wapi.get(path)
        assert answer.status_code == 404
        assert answer.json() == {"statusCode": 404, "error": "Not Found", "message": "The user does not exist.", "errorCode": "inexistent_user"}


def test_user_organizations_pages_like_other_offset_lists(wapi, writable):
    acme, other = writable.organization("acme"), writable.organization("other")
    assert wapi.get("users/auth0%7Cbob/organizations").json() == [other.to_api()]
    wapi.send("POST", members_path(writable), {"members": [BOB]})
    assert wapi.get("users/auth0%7Cbob/organizations", include_totals="true", per_page=1, page=1).json() == {
        "organizations": [other.to_api()], "start": 1, "limit": 1, "total": 2}
    assert wapi.get("users/auth0%7Cbob/organizations", per_page=1).json() == [acme.to_api()]
    assert wapi.get("users/auth0%7Calice/organizations").json() == []
    assert wapi.get("users/auth0%7Cbob/organizations", per_page=101).status_code == 400


def test_roles_are_tenant_wide_and_name_filter_ignores_case(wapi, writable):
    everything = wapi.get("roles", include_totals="true").json()
    names = [role["name"] for role in everything["roles"]]
    # The seed's top-level roles, then each organization's, once each (viewer is in two).
    assert names == ["billing", "billing-admin", "Auditor", "admin", "viewer"]
    assert everything["total"] == 5 and everything["roles"][2] == {"id": writable.role_id("Auditor"), "name": "Auditor", "description": "Reads the books"}
    assert [role["name"] for role in wapi.get("roles", name_filter="BILL").json()] == ["billing", "billing-admin"]
    assert [role["name"] for role in wapi.get("roles", name_filter="auditor").json()] == ["Auditor"]
    assert wapi.get("roles", name_filter="nope").json() == []
    assert wapi.get("roles", name_filter="i", per_page=2, page=1, include_totals="true").json()["start"] == 2
    assert wapi.get("roles/" + writable.role_id("viewer")).json() == writable.roles[writable.role_id("viewer")]
    assert wapi.get("roles/rol_nope").json()["errorCode"] == "inexistent_role"
    assert wapi.get("roles", type="x").status_code == 400


def test_seeded_users_do_not_change_the_members_of_existing_seeds():
    plain = {"organizations": [{"name": "acme", "members": 40, "roles": ["admin", "viewer"]}]}
    orgs = build_tenant(plain)[0]
    with_users, directory = build_tenant(dict(plain, users=25, roles=["auditor"]))
    assert [org.members for org in orgs.values()] == [org.members for org in with_users.values()]
    assert [org.member_roles for org in orgs.values()] == [org.member_roles for org in with_users.values()]
    assert len(directory.users) == 65 and len(directory.roles) == 3
    assert build_tenant(dict(plain, users=25))[1].users == build_tenant(dict(plain, users=25))[1].users


def test_a_user_seeded_twice_must_agree():
    seed = {"users": [{"user_id": "auth0|x", "email": "x@example.com"}],
            "organizations": [{"name": "a", "members": [{"user_id": "auth0|x", "email": "y@example.com"}]}]}
    with pytest.raises(ValueError, match="auth0|x is seeded with two values of email"):
        build_tenant(seed)


def test_add_users_after_start(writable):
    ids = writable.add_users([{"user_id": "samlp|corp|dave", "email": "dave@corp.example", "connection": "corp"}])
    generated = writable.add_users(3)
    assert ids == ["samlp|corp|dave"] and len(generated) == 3 and len(set(generated)) == 3
    assert writable.user_by_email("dave@corp.example")[0]["identities"][0]["connection"] == "corp"
    assert all(writable.user(user_id) for user_id in generated)


# -- membership writes ----------------------------------------------------------------------------


def test_add_members_appends_and_adding_again_changes_nothing(wapi, writable):
    before = writable.member_ids("acme")
    answer = wapi.send("POST", members_path(writable), {"members": [ALICE_GOOGLE, ALICE]})
    assert (answer.status_code, answer.content) == (204, b"")
    assert writable.member_ids("acme") == before + [ALICE_GOOGLE, ALICE]
    again = wapi.send("POST", members_path(writable), {"members": [ALICE, before[0]]})
    assert (again.status_code, again.content) == (204, b"")
    assert writable.member_ids("acme") == before + [ALICE_GOOGLE, ALICE]
    assert [member["user_id"] for member in listed(wapi)] == writable.member_ids("acme")
    assert wapi.get(members_path(writable), include_totals="true").json()["total"] == 7
    assert listed(wapi)[-1] == {key: writable.user(ALICE)[key] for key in ("user_id", "email", "picture", "name")}
    posts = [record for record in writable.requests if record.method == "POST"]
    assert [record.body for record in posts] == [{"members": [ALICE_GOOGLE, ALICE]}, {"members": [ALICE, before[0]]}]
    assert writable.count(r"/members$", method="POST") == 2
    assert all(record.body is None for record in writable.requests if record.method == "GET")


def test_remove_members_takes_their_roles_and_removing_a_non_member_changes_nothing(wapi, writable):
    before = writable.member_ids("acme")
    gone = before[1]
    assert writable.roles_of("acme", gone) or writable.roles_of("acme", before[2])
    answer = wapi.send("DELETE", members_path(writable), {"members": [gone, ALICE]})
    assert (answer.status_code, answer.content) == (204, b"")
    assert writable.member_ids("acme") == [before[0]] + before[2:]
    assert writable.roles_of("acme", gone) == []
    assert wapi.send("DELETE", members_path(writable), {"members": [gone]}).status_code == 204
    assert wapi.send("DELETE", members_path(writable), {"members": ["auth0|never-existed"]}).status_code == 204
    assert wapi.get(roles_path(writable, gone)).status_code == 404
    # Rejoining gives no role back.
    wapi.send("POST", members_path(writable), {"members": [gone]})
    assert writable.member_ids("acme")[-1] == gone and writable.roles_of("acme", gone) == []
    assert [record.body for record in writable.requests if record.method == "DELETE"] == [
        {"members": [gone, ALICE]}, {"members": [gone]}, {"members": ["auth0|never-existed"]}]


def test_unknown_user_adds_no_one(wapi, writable):
    before = writable.member_ids("acme")
    answer = wapi.send("POST", members_path(writable), {"members": [ALICE, "auth0|nobody"]})
    assert answer.status_code == 400
    assert answer.json() == {"statusCode": 400, "error": "Bad Request", "message": "One or more of the users do not exist.", "errorCode": "inexistent_user"}
    assert writable.member_ids("acme") == before


@pytest.mark.parametrize("method", ["POST", "DELETE"])
def test_unknown_organization(wapi, method):
    for path, body in (("organizations/org_nope/members", {"members": [ALICE]}),
                       ("organizations/org_nope/members/auth0%7Calice/roles", {"roles": ["rol_x"]})):
        answer = wapi.send(method, path, body)
        assert answer.status_code == 404
        assert answer.json() == {"statusCode": 404, "error": "Not Found", "message": "No organization found by that id or name"}


PROPERTY = "on property members (List of user IDs to add to the organization as members.)"


@pytest.mark.parametrize("body, message", [
    ({"members": []}, "Payload validation error: 'Array is too short (0), minimum 1' %s." % PROPERTY),
    ({"members": ["auth0|%d" % n for n in range(11)]}, "Payload validation error: 'Array is too long (11), maximum 10' %s." % PROPERTY),
    ({"members": ALICE}, "Payload validation error: 'Expected type array but found type string' %s." % PROPERTY),
    ({"members": [ALICE, 7]}, "Payload validation error: 'Expected type string but found type integer' on property members[1] "
                              "(List of user IDs to add to the organization as members.)."),
    ({}, "Payload validation error: 'Missing required property: members'."),
    ({"members": [ALICE], "roles": []}, "Payload validation error: 'Additional properties not allowed: roles'."),
    ([ALICE], "Payload validation error: 'Expected type object but found type array'."),
])
def test_member_write_payload_validation(wapi, writable, body, message):
    before = writable.member_ids("acme")
    answer = wapi.send("POST", members_path(writable), body)
    assert answer.status_code == 400
    assert answer.json() == {"statusCode": 400, "error": "Bad Request", "message": message, "errorCode": "invalid_body"}
    assert writable.member_ids("acme") == before


def test_ten_ids_is_the_most_a_write_takes(wapi, writable):
    ten = writable.add_users(10)
    assert wapi.send("POST", members_path(writable), {"members": ten}).status_code == 204
    assert wapi.send("DELETE", members_path(writable), {"members": ten + [ALICE]}).status_code == 400
    assert wapi.send("DELETE", members_path(writable), {"members": ten}).status_code == 204
    assert not set(ten) & set(writable.member_ids("acme"))


@pytest.mark.parametrize("path", ["members", "roles"])
def test_malformed_json_is_refused(wapi, writable, path):
    target = members_path(writable) if path == "members" else roles_path(writable, BOB, "other")
    answer = wapi.send("POST", target, data=b'{"members": [')
    assert answer.status_code == 400
    assert answer.json() == {"statusCode": 400, "error": "Bad Request", "message": "Invalid request payload JSON format"}
    assert writable.requests[-1].body is None


def test_member_roles_grant_and_revoke(wapi, writable):
    billing, auditor, viewer = (writable.role_id(name) for name in ("billing", "Auditor", "viewer"))
    target = roles_path(writable, BOB, "other")
    answer = wapi.send("POST", target, {"roles": [auditor, billing, viewer]})
    assert (answer.status_code, answer.content) == (204, b"")
    # Already held roles stay where they were; new ones follow in the order given.
    assert [role["id"] for role in wapi.get(target).json()] == [viewer, auditor, billing]
    assert [role["name"] for role in listed(wapi, "other", fields="user_id,roles")[0]["roles"]] == ["viewer", "Auditor", "billing"]
    revoked = wapi.send("DELETE", target, {"roles": [viewer, writable.role_id("billing-admin")]})
    assert (revoked.status_code, revoked.content) == (204, b"")
    assert [role["id"] for role in writable.roles_of("other", BOB)] == [auditor, billing]
    assert wapi.get(target, include_totals="true").json()["total"] == 2
    assert [record.body for record in writable.requests if record.method in ("POST", "DELETE")] == [
        {"roles": [auditor, billing, viewer]}, {"roles": [viewer, writable.role_id("billing-admin")]}]


def test_member_role_write_refusals(wapi, writable):
    target = roles_path(writable, BOB, "other")
    before = writable.roles_of("other", BOB)
    unknown_role = wapi.send("POST", target, {"roles": [writable.role_id("billing"), "rol_nope"]})
    assert unknown_role.status_code == 400 and unknown_role.json() == {
        "statusCode": 400, "error": "Bad Request", "message": "One or more of the roles do not exist.", "errorCode": "inexistent_role"}
    assert wapi.send("DELETE", target, {"roles": ["rol_nope"]}).status_code == 400
    unknown_user = wapi.send("POST", roles_path(writable, "auth0|nobody", "other"), {"roles": [writable.role_id("billing")]})
    assert unknown_user.json() == {"statusCode": 400, "error": "Bad Request", "message": "The user does not exist.", "errorCode": "inexistent_user"}
    empty = wapi.send("POST", target, {"roles": []})
    assert empty.status_code == 400 and empty.json()["message"] == (
        "Payload validation error: 'Array is too short (0), minimum 1' on property roles (List of roles IDs to associated with the user.).")
    assert writable.roles_of("other", BOB) == before


def test_a_member_holds_at_most_50_roles():
    seed = {"roles": ["r%02d" % n for n in range(51)], "users": [{"user_id": "auth0|m", "email": "m@example.com"}],
            "organizations": [{"name": "o", "members": [{"user_id": "auth0|m", "roles": []}]}]}
    with LocalTenant(seed=seed) as tenant:
        api = Api(tenant)
        ids = list(tenant.roles)
        target = roles_path(tenant, "auth0|m", "o")
        assert api.send("POST", target, {"roles": ids[:50]}).status_code == 204
        refused = api.send("POST", target, {"roles": ids[50:]})
        assert refused.status_code == 400
        assert refused.json() == {"statusCode": 400, "error": "Bad Request", "errorCode": "too_many_roles",
                                  "message": "A member can have at most 50 roles in an organization."}
        assert api.send("POST", target, {"roles": ids[:3]}).status_code == 204
        assert len(tenant.roles_of("o", "auth0|m")) == 50


def test_roles_granted_before_joining_show_once_the_user_joins(wapi, writable):
    billing = writable.role_id("billing")
    answer = wapi.send("POST", roles_path(writable, ALICE), {"roles": [billing]})
    assert (answer.status_code, answer.content) == (204, b"")
    assert wapi.get(roles_path(writable, ALICE)).status_code == 404
    wapi.send("POST", members_path(writable), {"members": [ALICE]})
    assert [role["id"] for role in wapi.get(roles_path(writable, ALICE)).json()] == [billing]
    assert listed(wapi, fields="user_id,roles")[-1] == {"user_id": ALICE, "roles": [{"id": billing, "name": "billing"}]}


WRITES = [
    ("POST", "members", "create:organization_members"),
    ("DELETE", "members", "delete:organization_members"),
    ("POST", "roles", "create:organization_member_roles"),
    ("DELETE", "roles", "delete:organization_member_roles"),
]


@pytest.mark.parametrize("method, kind, scope", WRITES)
def test_each_write_needs_its_scope(wapi, writable, method, kind, scope):
    path, body = ((members_path(writable, "other"), {"members": [BOB]}) if kind == "members"
                  else (roles_path(writable, BOB, "other"), {"roles": [writable.role_id("viewer")]}))
    others = [other for _method, _kind, other in WRITES if other != scope]
    token = writable.mint_token(scopes=others + ["read:organizations", "read:organization_members", "read:users", "read:roles"])
    refused = wapi.send(method, path, body, token=token)
    assert refused.status_code == 403
    assert refused.json() == {"statusCode": 403, "error": "Forbidden", "message": "Insufficient scope, expected any of: %s" % scope,
                              "errorCode": "insufficient_scope"}
    assert writable.member_ids("other") == [BOB] and [role["name"] for role in writable.roles_of("other", BOB)] == ["viewer"]
    assert wapi.send(method, path, body, token=writable.mint_token(scopes=[scope])).status_code == 204


@pytest.mark.parametrize("path, scope", [
    ("users-by-email?email=bob@acme.example", "read:users"), ("users/auth0%7Cbob", "read:users"),
    ("users/auth0%7Cbob/organizations", "read:organizations"), ("roles", "read:roles"),
])
def test_each_read_needs_its_scope(wapi, writable, path, scope):
    from local_tenant import ALL_SCOPES  # pylint: disable=import-outside-toplevel
    assert scope in ALL_SCOPES
    refused = wapi.session.get(writable.audience + path, headers={
        "Authorization": "Bearer " + writable.mint_token(scopes=[s for s in ALL_SCOPES if s != scope])}, timeout=10)
    assert (refused.status_code, refused.json()["message"]) == (403, "Insufficient scope, expected any of: %s" % scope)


# -- reads around writes --------------------------------------------------------------------------


def test_checkpoint_listing_under_way_survives_removals_and_sees_additions(wapi, writable):
    before = writable.member_ids("big")
    path = members_path(writable, "big")
    first = wapi.get(path, take=100, fields="user_id").json()
    assert [member["user_id"] for member in first["members"]] == before[:100]
    # Remove the member the cursor names and the first one after it; add one.
    wapi.send("DELETE", path, {"members": [before[99], before[100]]})
    wapi.send("POST", path, {"members": [ALICE]})
    rest, cursor = [], first["next"]
    while True:
        page = wapi.get(path, take=100, fields="user_id", **{"from": cursor}).json()
        rest.extend(member["user_id"] for member in page["members"])
        if not page["members"]:
            break
        cursor = page["next"]
    assert rest == before[101:] + [ALICE]
    assert wapi.get(path, include_totals="true", per_page=1).json()["total"] == 249
    assert wapi.get(path, fields="user_id", **{"from": "bm90IGEgY3Vyc29y"}).json()["errorCode"] == "invalid_query_string"


def test_offset_pages_and_cached_fragments_follow_the_writes(wapi, writable):
    path = members_path(writable)
    with_roles = wapi.get(path, fields="user_id,roles", per_page=100).json()
    assert [member["user_id"] for member in with_roles] == writable.member_ids("acme")
    third = with_roles[2]["user_id"]
    admin = writable.role_id("admin")
    wapi.send("DELETE", roles_path(writable, third), {"roles": [admin, writable.role_id("viewer")]})
    wapi.send("POST", roles_path(writable, third), {"roles": [admin]})
    wapi.send("DELETE", path, {"members": [with_roles[0]["user_id"]]})
    wapi.send("POST", path, {"members": [BOB]})
    again = wapi.get(path, fields="user_id,roles", per_page=100).json()
    assert [member["user_id"] for member in again] == [member["user_id"] for member in with_roles[1:]] + [BOB]
    assert again[1] == {"user_id": third, "roles": [{"id": admin, "name": "admin"}]}
    assert again[-1] == {"user_id": BOB, "roles": []}
    assert wapi.get(path, per_page=2, page=2, include_totals="true").json()["members"] == [
        {key: writable.user(BOB)[key] for key in ("user_id", "email", "picture", "name")}]


def test_concurrent_writes_keep_the_organization_consistent(writable):
    newcomers = writable.add_users(40)
    before = writable.member_ids("big")
    errors = []

    def writer(ids, leaving):
        api = Api(writable)
        for start in range(0, len(ids), 5):
            for method, batch in (("POST", ids[start:start + 5]), ("DELETE", leaving[start:start + 5])):
                status = api.send(method, members_path(writable, "big"), {"members": batch}).status_code
                if status != 204:
                    errors.append(status)

    def reader():
        api = Api(writable)
        for _round in range(5):
            seen = [member["user_id"] for member in listed(api, "big", fields="user_id")]
            if len(seen) != len(set(seen)):
                errors.append("a listing repeated a member")

    threads = [threading.Thread(target=writer, args=(newcomers[n::4], before[n::4][:10])) for n in range(4)]
    threads += [threading.Thread(target=reader) for _reader in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    leaving = {user_id for n in range(4) for user_id in before[n::4][:10]}
    final = writable.member_ids("big")
    assert sorted(final) == sorted([user_id for user_id in before if user_id not in leaving] + newcomers)
    big = writable.organization("big")
    assert big.member_index == {user_id: index for index, user_id in enumerate(final)}
    assert big.member_created == sorted(big.member_created) and len(set(big.member_created)) == len(final)
    assert [member["user_id"] for member in listed(Api(writable), "big", fields="user_id")] == final


# -- rate limits and faults -----------------------------------------------------------------------


def test_write_buckets_are_their_own():
    assert PUBLISHED_LIMITS["member_writes"] == PUBLISHED_LIMITS["member_role_writes"] == (20, 200)
    with LocalTenant(seed=WRITE_SEED, rate_limit=True) as tenant:
        api = Api(tenant)
        members, roles = members_path(tenant, "other"), roles_path(tenant, BOB, "other")
        viewer = {"roles": [tenant.role_id("viewer")]}
        answers = [api.send("POST", members, {"members": [BOB]}) for _post in range(20)]
        assert [answer.headers["X-RateLimit-Limit"] for answer in answers[:1]] == ["20"]
        assert [answer.status_code for answer in answers] == [204] * 20
        limited = api.send("DELETE", members, {"members": [ALICE]})
        assert limited.status_code == 429 and limited.json()["errorCode"] == "too_many_requests"
        # Neither the reads nor the member-role writes share that bucket.
        assert api.get(members).status_code == 200 and api.get(roles).status_code == 200
        assert [api.send("POST", roles, viewer).status_code for _grant in range(20)] == [204] * 20
        assert api.send("DELETE", roles, viewer).status_code == 429
        tenant.set_rate_limit("member_writes")
        assert api.send("DELETE", members, {"members": [ALICE]}).status_code == 204


def test_inject_can_aim_at_one_method(wapi, writable):
    path = members_path(writable)
    writable.inject(r"/members$", "status", status=503, method="POST")
    assert wapi.get(path).status_code == 200
    assert wapi.send("DELETE", path, {"members": [ALICE]}).status_code == 204
    failed = wapi.send("POST", path, {"members": [ALICE]})
    assert failed.status_code == 503 and ALICE not in writable.member_ids("acme")
    assert wapi.send("POST", path, {"members": [ALICE]}).status_code == 204
    assert [(record.method, record.status, record.body) for record in writable.requests] == [
        ("GET", 200, None), ("DELETE", 204, {"members": [ALICE]}), ("POST", 503, {"members": [ALICE]}), ("POST", 204, {"members": [ALICE]})]


def test_token_requests_keep_no_body(wapi, writable):
    assert wapi.post_token(grant_type="client_credentials", client_id=writable.client_id, client_secret=writable.client_secret,
                           audience=writable.audience).status_code == 200
    assert writable.requests[-1].body is None
    assert writable.client_secret not in repr(writable.requests)
