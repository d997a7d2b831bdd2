"""The local tenant's own behaviour, checked with plain requests against the Auth0 facts it copies."""

import base64
import json
import os
import signal
import subprocess
import sys
import time

import pytest
import requests

from contract_support import SMALL_SEED, TESTS_DIR, Api
from local_tenant import ALL_SCOPES, LocalTenant

PAGING_CAP_MESSAGE = (
    "Requesting page 10 exceeds the allowed maximum of 1000 records. To fetch results beyond 1000, use the checkpoint pagination method."
)


def members_path(org):
    return "organizations/%s/members" % org.id


def all_checkpoint_ids(api, org, **params):
    """Walk checkpoint pages until a response has no `next`; return (ids, responses)."""
    ids, bodies, cursor = [], [], None
    while True:
        extra = {"from": cursor} if cursor else {}
        body = api.get(members_path(org), **params, **extra).json()
        bodies.append(body)
        ids.extend(m["user_id"] for m in body["members"])
        cursor = body.get("next")
        if not cursor:
            return ids, bodies


# -- /oauth/token ---------------------------------------------------------------------------------

@pytest.mark.parametrize("as_json", [False, True])
def test_client_credentials_grant_issues_a_working_token(api, tenant, acme, as_json):
    fields = {"grant_type": "client_credentials", "client_id": tenant.client_id, "client_secret": tenant.client_secret, "audience": tenant.audience}
    response = api.post_token(json_body=fields) if as_json else api.post_token(**fields)
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["access_token", "token_type", "expires_in", "scope"]
    assert body["token_type"] == "Bearer" and body["expires_in"] == 86400
    assert body["scope"].split() == list(ALL_SCOPES)
    assert api.get(members_path(acme), token=body["access_token"]).status_code == 200


def test_token_grant_errors(api, tenant):
    good = {"grant_type": "client_credentials", "client_id": tenant.client_id, "client_secret": tenant.client_secret, "audience": tenant.audience}
    wrong_secret = api.post_token(**dict(good, client_secret="nope"))
    assert (wrong_secret.status_code, wrong_secret.json()) == (401, {"error": "access_denied", "error_description": "Unauthorized"})
    unknown_client = api.post_token(**dict(good, client_id="nobody"))
    assert unknown_client.status_code == 401
    wrong_audience = api.post_token(**dict(good, audience="https://other.example.com/api/v2/"))
    assert wrong_audience.status_code == 403
    assert wrong_audience.json() == {"error": "access_denied", "error_description": "Service not enabled within domain: https://other.example.com/api/v2/"}
    bad_grant = api.post_token(**dict(good, grant_type="password"))
    assert bad_grant.status_code == 400 and bad_grant.json()["error"] == "unsupported_grant_type"


def test_added_client_gets_only_its_scopes(api, tenant, acme):
    tenant.add_client("reader", "reader-secret", ["read:organizations"])
    response = api.post_token(grant_type="client_credentials", client_id="reader", client_secret="reader-secret", audience=tenant.audience)
    token = response.json()["access_token"]
    assert response.json()["scope"] == "read:organizations"
    assert api.get("organizations/" + acme.id, token=token).status_code == 200
    assert api.get(members_path(acme), token=token).status_code == 403


# -- bearer token checks --------------------------------------------------------------------------

def unauthorized(message):
    return {"statusCode": 401, "error": "Unauthorized", "message": message, "attributes": {"error": message}}


def test_each_401_reason(api, tenant, acme):
    path = members_path(acme)
    no_header = api.session.get(tenant.audience + path, timeout=10)
    assert (no_header.status_code, no_header.json()) == (401, unauthorized("Missing authentication"))
    assert api.get(path, token="not-a-jwt").json() == unauthorized("Invalid token")
    assert api.get(path, headers={"Authorization": "Basic abc"}).json() == unauthorized("Invalid token")
    expired = api.get(path, token=tenant.mint_token(expires_in=-5))
    assert (expired.status_code, expired.json()) == (401, unauthorized("Expired token received for JSON Web Token validation"))
    foreign = api.get(path, token=tenant.mint_token(sign_with_foreign_key=True))
    assert foreign.json() == unauthorized("Invalid signature received for JSON Web Token validation")
    other_aud = api.get(path, token=tenant.mint_token(audience="https://elsewhere.example.com/api/v2/"))
    assert other_aud.json() == unauthorized("Bad audience: https://elsewhere.example.com/api/v2/")
    other_iss = api.get(path, token=tenant.mint_token(issuer="https://elsewhere.example.com/"))
    assert other_iss.status_code == 401


def test_scopes_are_enforced_per_endpoint(api, tenant, acme):
    orgs_only = tenant.mint_token(scopes=["read:organizations"])
    response = api.get(members_path(acme), token=orgs_only)
    assert response.status_code == 403
    assert response.json() == {
        "statusCode": 403, "error": "Forbidden",
        "message": "Insufficient scope, expected any of: read:organization_members", "errorCode": "insufficient_scope",
    }
    members_only = tenant.mint_token(scopes=["read:organization_members"])
    assert api.get(members_path(acme), token=members_only).status_code == 200
    with_roles = api.get(members_path(acme), token=members_only, fields="user_id,roles")
    assert with_roles.status_code == 403
    assert with_roles.json()["message"] == "Insufficient scope, expected any of: read:organization_member_roles"
    assert api.get("organizations/" + acme.id, token=members_only).status_code == 403
    user_id = acme.members[0]["user_id"]
    assert api.get("%s/%s/roles" % (members_path(acme), user_id), token=members_only).status_code == 403


# -- members list: shapes, paging and fields ------------------------------------------------------

def test_three_response_shapes(api, acme):
    bare = api.get(members_path(acme), per_page=3).json()
    assert bare == acme.members[:3]
    assert list(bare[0]) == ["user_id", "email", "picture", "name"]

    totals = api.get(members_path(acme), page=2, per_page=3, include_totals="true").json()
    assert list(totals) == ["members", "start", "limit", "total"]
    assert (totals["start"], totals["limit"], totals["total"]) == (6, 3, 2500)
    assert totals["members"] == acme.members[6:9]

    checkpoint = api.get(members_path(acme), take=3, include_totals="true", per_page=50).json()
    assert list(checkpoint) == ["members", "next"]
    assert checkpoint["members"] == acme.members[:3]


def test_default_page_size_is_50(api, acme):
    assert len(api.get(members_path(acme)).json()) == 50
    assert len(api.get(members_path(acme), take=None, **{"from": ""}).json()["members"]) == 50


def test_offset_paging_caps_at_1000_records(api, acme):
    assert len(api.get(members_path(acme), page=9, per_page=100).json()) == 100
    response = api.get(members_path(acme), page=10, per_page=100)
    assert response.status_code == 400
    assert response.json() == {"statusCode": 400, "error": "Bad Request", "message": PAGING_CAP_MESSAGE, "errorCode": "invalid_paging"}
    assert api.get(members_path(acme), page=20, per_page=50).json()["message"].startswith("Requesting page 20 exceeds")


@pytest.mark.parametrize("params", [{"per_page": 101}, {"per_page": 0}, {"take": 101}, {"take": 0}, {"take": "ten"}, {"page": "x"},
                                    {"include_totals": "maybe"}, {"fields": "user_id,nickname"}, {"bogus": "1"}, {"from": "not-a-cursor"}])
def test_invalid_query_strings(api, acme, params):
    response = api.get(members_path(acme), **params)
    assert response.status_code == 400
    body = response.json()
    assert body["errorCode"] == "invalid_query_string"
    assert body["message"].startswith("Query validation error: ")


def test_checkpoint_quirk_next_on_last_short_page(api, tiny):
    ids, bodies = all_checkpoint_ids(api, tiny, take=2)
    assert [len(b["members"]) for b in bodies] == [2, 1, 0]
    assert all(b["next"] for b in bodies[:2])
    assert bodies[2] == {"members": []}
    assert ids == tiny.member_ids()
    decoded = base64.urlsafe_b64decode(bodies[0]["next"] + "==").decode()
    assert decoded.endswith("UTC," + ids[1])


def test_checkpoint_and_offset_agree_on_order(api, acme):
    ids, bodies = all_checkpoint_ids(api, acme, take=100)
    assert ids == acme.member_ids() and len(ids) == 2500 and len(set(ids)) == 2500
    assert len(bodies) == 26
    offset_ids = [m["user_id"] for page in range(10) for m in api.get(members_path(acme), page=page, per_page=100).json()]
    assert offset_ids == ids[:1000]


def expected_roles(org, user_id):
    return [{"id": r["id"], "name": r["name"]} for r in org.roles_of(user_id)]


def test_fields_include_exclude_and_roles(api, acme):
    only = api.get(members_path(acme), per_page=5, fields="roles,user_id").json()
    assert [list(m) for m in only] == [["user_id", "roles"]] * 5
    assert [m["roles"] for m in only] == [expected_roles(acme, m["user_id"]) for m in only]

    excluded = api.get(members_path(acme), per_page=5, fields="email,roles", include_fields="false").json()
    assert [list(m) for m in excluded] == [["user_id", "picture", "name"]] * 5

    full = api.get(members_path(acme), take=5, fields="user_id,email,name,picture,roles").json()["members"]
    assert [m["user_id"] for m in full] == acme.member_ids()[:5]
    assert all(list(m) == ["user_id", "email", "picture", "name", "roles"] for m in full)
    assert [m["roles"] for m in full] == [expected_roles(acme, m["user_id"]) for m in full]


def test_generated_roles_are_mixed(acme):
    counts = [len(acme.roles_of(uid)) for uid in acme.member_ids()]
    assert set(counts) == {0, 1, 2}
    assert counts.count(0) < len(counts) * 0.2


def test_seeding_is_deterministic(acme):
    again = LocalTenant(seed=SMALL_SEED).organization("acme")
    assert again.id == acme.id and again.members == acme.members and again.member_roles == acme.member_roles
    assert acme.id.startswith("org_") and len(acme.id) == 20
    assert all(r["id"].startswith("rol_") and len(r["id"]) == 20 for r in acme.roles)
    assert all(m["user_id"].startswith("auth0|") and len(m["user_id"]) == 30 for m in acme.members)


# -- other endpoints ------------------------------------------------------------------------------

ACME_FIELDS = ["id", "name", "display_name", "branding", "metadata", "token_quota", "third_party_client_access",
               "is_app_entitlement_active"]


def acme_body(acme):
    """acme as Auth0 serialises an organization with every optional field set (see seeds/small.yml)."""
    return {
        "id": acme.id, "name": "acme", "display_name": "Acme Corp",
        "branding": {"logo_url": "https://example.com/acme.png"},
        "metadata": {"plan": "enterprise", "region": "eu"},
        "token_quota": {"client_credentials": {"per_hour": 1073741824, "per_day": 1073741824, "enforce": True}},
        "third_party_client_access": "block",
        "is_app_entitlement_active": True,
    }


def test_organization_by_id_and_by_name(api, acme):
    by_id = api.get("organizations/" + acme.id)
    assert by_id.json() == acme_body(acme) and list(by_id.json()) == ACME_FIELDS
    by_name = api.get("organizations/name/acme")
    assert by_name.json() == acme_body(acme) and list(by_name.json()) == ACME_FIELDS


def test_optional_organization_fields_only_when_set(api, tenant, tiny):
    expected = {"id": tiny.id, "name": "tiny", "display_name": "Tiny Team", "metadata": {"plan": "free"}}
    assert api.get("organizations/name/tiny").json() == expected
    empty = tenant.organization("empty-org")
    expected = {"id": empty.id, "name": "empty-org", "display_name": "Nobody Here"}
    assert api.get("organizations/" + empty.id).json() == expected


def test_unknown_org_and_unknown_path(api, acme):
    not_found = {"statusCode": 404, "error": "Not Found", "message": "No organization found by that id or name"}
    for path in ("organizations/org_doesnotexist0000", "organizations/name/nope", "organizations/org_doesnotexist0000/members"):
        response = api.get(path)
        assert (response.status_code, response.json()) == (404, not_found)
    assert api.get("no/such/thing").status_code == 404
    user_id = acme.members[0]["user_id"]
    assert api.get("organizations/%s/members/%s/roles" % (acme.id, "auth0|nobody")).status_code == 404
    assert api.get("organizations/org_doesnotexist0000/members/%s/roles" % user_id).json() == not_found


def test_organizations_list_offset_and_checkpoint(api, tenant, acme):
    orgs = [o.to_api() for o in tenant.organizations.values()]
    assert orgs[0] == acme_body(acme)
    assert api.get("organizations").json() == orgs
    totals = api.get("organizations", include_totals="true", per_page=50).json()
    assert totals == {"organizations": orgs, "start": 0, "limit": 50, "total": 3}
    first = api.get("organizations", take=2, include_totals="true").json()
    assert list(first) == ["organizations", "next"] and first["organizations"] == orgs[:2]
    last = api.get("organizations", take=2, **{"from": first["next"]}).json()
    assert last == {"organizations": orgs[2:]}
    # As recorded in 2026 (include_totals=true&take=50): checkpoint wins, no total, no next on the only page.
    assert api.get("organizations", include_totals="true", take=50).json() == {"organizations": orgs}


def test_member_roles_endpoint(api, tiny):
    editor = tiny.members[1]["user_id"]
    path = "organizations/%s/members/%s/roles" % (tiny.id, editor)
    bare = api.get(path).json()
    assert [r["name"] for r in bare] == ["editor", "viewer"]
    assert list(bare[0]) == ["id", "name", "description"]
    totals = api.get(path, include_totals="true", per_page=1).json()
    assert totals == {"roles": bare[:1], "start": 0, "limit": 1, "total": 2}
    assert api.get(path, per_page=101).status_code == 400


# -- headers, rate limits, log --------------------------------------------------------------------

def test_every_response_has_json_and_rate_limit_headers(api, acme):
    for response in (api.get(members_path(acme)), api.get("nope"), api.get(members_path(acme), token="x"), api.get(members_path(acme), per_page=0)):
        assert response.headers["Content-Type"] == "application/json; charset=utf-8"
        assert int(response.headers["X-RateLimit-Limit"]) > 0
        assert int(response.headers["X-RateLimit-Remaining"]) >= 0
        assert int(response.headers["X-RateLimit-Reset"]) >= int(time.time()) - 1


def test_rate_limit_bucket_empties_then_refills(fresh_tenant):
    api = Api(fresh_tenant)
    org = fresh_tenant.organization("acme")
    fresh_tenant.set_rate_limit("members", burst=3, per_minute=600)
    remaining = [api.get(members_path(org)).headers["X-RateLimit-Remaining"] for _attempt in range(3)]
    assert remaining == ["2", "1", "0"]
    limited = api.get(members_path(org))
    assert limited.status_code == 429
    assert limited.json() == {"statusCode": 429, "error": "Too Many Requests", "message": "Global limit has been reached", "errorCode": "too_many_requests"}
    assert limited.headers["X-RateLimit-Limit"] == "3" and limited.headers["X-RateLimit-Remaining"] == "0"
    assert int(limited.headers["X-RateLimit-Reset"]) >= int(time.time())
    # Other groups keep their own bucket.
    assert api.get("organizations/" + org.id).status_code == 200
    time.sleep(0.15)  # 10 tokens a second
    assert api.get(members_path(org)).status_code == 200


def test_published_limits_with_rate_limit_true():
    with LocalTenant(seed=SMALL_SEED, tls=False, rate_limit=True) as tenant:
        api = Api(tenant)
        org = tenant.organization("tiny")
        assert api.get(members_path(org)).headers["X-RateLimit-Limit"] == "40"
        assert api.get("organizations/%s/members/%s/roles" % (org.id, org.members[0]["user_id"])).headers["X-RateLimit-Limit"] == "20"
        statuses = [api.get("organizations/" + org.id).status_code for _attempt in range(45)]
        assert statuses[:39] == [200] * 39 and 429 in statuses


def test_request_log_never_keeps_credentials(api, tenant, acme):
    api.get(members_path(acme), take=2)
    api.get("organizations/" + acme.id)
    assert tenant.count(r"/members$") == 1
    assert tenant.count(r"^/api/v2/organizations/", method=None) == 2
    record = tenant.requests[0]
    assert (record.method, record.path, record.query, record.status) == ("GET", "/api/v2/" + members_path(acme), {"take": "2"}, 200)
    assert api.token not in repr(tenant.requests)
    tenant.reset_log()
    assert tenant.requests == []


def test_latency(api, tenant, acme):
    tenant.set_latency(0.2)
    started = time.monotonic()
    api.get(members_path(acme))
    assert time.monotonic() - started >= 0.2


# -- faults ---------------------------------------------------------------------------------------

def test_status_fault_applies_n_times_in_order(api, tenant, acme):
    tenant.inject(r"/members$", "status", times=2, status=503)
    tenant.inject(r"/members$", "status", status=429, headers={"Retry-After": "1"})
    first, second, third, fourth = (api.get(members_path(acme)) for _attempt in range(4))
    assert (first.status_code, second.status_code, third.status_code, fourth.status_code) == (503, 503, 429, 200)
    assert first.json() == {"statusCode": 503, "error": "Service Unavailable", "message": "Service Unavailable"}
    assert third.json()["errorCode"] == "too_many_requests"
    assert third.headers["Retry-After"] == "1" and third.headers["X-RateLimit-Remaining"] == "0"
    assert api.get("organizations/" + acme.id).status_code == 200


def test_status_fault_custom_body(api, tenant, acme):
    tenant.inject(r"/members$", "status", status=500, body={"oops": True})
    assert api.get(members_path(acme)).json() == {"oops": True}


def test_reset_fault_drops_the_connection(api, tenant, acme):
    tenant.inject(r"/members$", "reset")
    with pytest.raises(requests.exceptions.ConnectionError):
        api.get(members_path(acme))
    assert tenant.requests[-1].status == 0
    assert api.get(members_path(acme)).status_code == 200


def test_stall_fault_triggers_client_timeout(api, tenant, acme):
    tenant.inject(r"/members$", "stall", seconds=1)
    with pytest.raises(requests.exceptions.ReadTimeout):
        api.get(members_path(acme), timeout=0.3)


@pytest.mark.parametrize("fault,status,content_type", [
    ("malformed", 200, "application/json; charset=utf-8"),
    ("html", 502, "text/html; charset=utf-8"),
    ("empty", 200, "application/json; charset=utf-8"),
])
def test_unparseable_bodies(api, tenant, acme, fault, status, content_type):
    tenant.inject(r"/members$", fault)
    response = api.get(members_path(acme), take=2)
    assert (response.status_code, response.headers["Content-Type"]) == (status, content_type)
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.text)


def test_wrong_shape(api, tenant, acme):
    tenant.inject(r"/members$", "wrong_shape")
    body = api.get(members_path(acme), take=2).json()
    assert not isinstance(body.get("members"), list)
    tenant.inject(r"/organizations/name/", "wrong_shape", body=["not", "an", "object"])
    assert api.get("organizations/name/acme").json() == ["not", "an", "object"]


def test_cursor_loop_repeats_the_cursor(api, tenant, acme):
    first = api.get(members_path(acme), take=2).json()
    tenant.inject(r"/members$", "cursor_loop")
    looped = api.get(members_path(acme), take=2, **{"from": first["next"]}).json()
    assert looped["next"] == first["next"]
    assert [m["user_id"] for m in looped["members"]] == acme.member_ids()[2:4]


def test_repeat_members_serves_the_previous_page(api, tenant, acme):
    first = api.get(members_path(acme), take=2).json()
    tenant.inject(r"/members$", "repeat_members")
    second = api.get(members_path(acme), take=2, **{"from": first["next"]}).json()
    assert second["members"] == first["members"] and second["next"] != first["next"]


def test_expire_token_fault(api, tenant, acme):
    tenant.inject(r"/members$", "expire_token")
    response = api.get(members_path(acme))
    assert response.json() == unauthorized("Expired token received for JSON Web Token validation")
    assert api.get("organizations/" + acme.id).status_code == 401
    grant = api.post_token(grant_type="client_credentials", client_id=tenant.client_id, client_secret=tenant.client_secret, audience=tenant.audience)
    assert api.get(members_path(acme), token=grant.json()["access_token"]).status_code == 200


def test_inject_rejects_unknown_fault(tenant):
    with pytest.raises(ValueError):
        tenant.inject(r"/members$", "explode")


# -- command line ---------------------------------------------------------------------------------

def test_command_line_serves_until_sigterm(tmp_path):
    env_file = tmp_path / "tenant.env"
    env = dict(os.environ, PYTHONPATH=TESTS_DIR)
    proc = subprocess.Popen(  # pylint: disable=consider-using-with
        [sys.executable, "-m", "local_tenant", "--seed", SMALL_SEED, "--http", "--env-file", str(env_file)],
        env=env, stdout=subprocess.PIPE, text=True,
    )
    try:
        printed = dict(proc.stdout.readline().rstrip("\n").split("=", 1) for _line in range(8))
        written = dict(line.split("=", 1) for line in env_file.read_text().splitlines())
        assert printed == written
        assert set(written) == {
            "AUTH0_DOMAIN", "AUTH0_CA_PATH", "AUTH0_API_TOKEN", "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET",
            "LOCAL_TENANT_PRIVATE_KEY_JWT_CLIENT_ID", "LOCAL_TENANT_PRIVATE_KEY_JWT_KEY_FILE", "AUTH0_AUDIENCE",
        }
        with open(written["LOCAL_TENANT_PRIVATE_KEY_JWT_KEY_FILE"], encoding="ascii") as handle:
            assert handle.read().startswith("-----BEGIN PRIVATE KEY-----")
        response = requests.get(
            "http://%s/api/v2/organizations/name/tiny" % written["AUTH0_DOMAIN"],
            headers={"Authorization": "Bearer " + written["AUTH0_API_TOKEN"]}, timeout=10,
        )
        assert response.json()["display_name"] == "Tiny Team"
        assert written["AUTH0_AUDIENCE"] == "http://%s/api/v2/" % written["AUTH0_DOMAIN"]
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        proc.stdout.close()
