"""Helpers shared by the contract tests (a uniquely named module, so several conftest.py files cannot clash)."""

import os
import sys

import requests

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)

from local_tenant import SEEDS_DIR  # noqa: E402  pylint: disable=wrong-import-position

SMALL_SEED = os.path.join(SEEDS_DIR, "small.yml")

# A tenant for the write tests: users in no organization (one email on two connections), tenant roles
# no organization lists, a generated organization and one whose member is also a member elsewhere.
WRITE_SEED = {
    "users": [
        {"user_id": "auth0|alice", "email": "alice@acme.example", "name": "Alice Auth0"},
        {"user_id": "google-oauth2|108alice", "email": "alice@acme.example", "name": "Alice Google", "connection": "google-oauth2"},
        {"user_id": "auth0|bob", "email": "bob@acme.example", "name": "Bob"},
        {"user_id": "auth0|carol", "email": "Carol@Acme.example", "name": "Carol"},
    ],
    "roles": ["billing", "billing-admin", {"name": "Auditor", "description": "Reads the books"}],
    "organizations": [
        {"name": "acme", "members": 5, "roles": ["admin", "viewer"]},
        {"name": "other", "members": [{"user_id": "auth0|bob", "roles": ["viewer"]}], "roles": ["viewer"]},
        {"name": "big", "members": 250},
    ],
}


def sdk_with(tenant, http_client, token=None):
    """auth0-python's ManagementClient pointed at the tenant, with an all-scopes token unless ``token``."""
    from auth0.management import ManagementClient  # pylint: disable=import-outside-toplevel

    return ManagementClient(domain=tenant.domain, token=token or tenant.mint_token(), httpx_client=http_client)


class Api:
    """Thin requests wrapper bound to one tenant: api.get("organizations/ID/members", take=2)."""

    def __init__(self, local_tenant):
        self.tenant = local_tenant
        self.session = requests.Session()
        # REQUESTS_CA_BUNDLE would otherwise override session.verify.
        self.session.trust_env = False
        self.session.verify = local_tenant.ca_path if local_tenant.tls else True
        self.token = local_tenant.mint_token()

    def get(self, path, token=None, headers=None, timeout=10, **params):
        """GET base_url/api/v2/<path> with the default all-scopes token unless token/headers say otherwise."""
        sent = {"Authorization": "Bearer " + (token or self.token)}
        sent.update(headers or {})
        return self.session.get(self.tenant.audience + path, params=params, headers=sent, timeout=timeout)

    def send(self, method, path, json_body=None, token=None, data=None):
        """``method`` base_url/api/v2/<path> with a JSON body (or raw ``data``), the all-scopes token unless ``token``."""
        headers = {"Authorization": "Bearer " + (token or self.token)}
        return self.session.request(method, self.tenant.audience + path, json=json_body, data=data, headers=headers, timeout=10)

    def post_token(self, json_body=None, **form):
        """POST /oauth/token, form-encoded unless json_body is given."""
        if json_body is not None:
            return self.session.post(self.tenant.base_url + "/oauth/token", json=json_body, timeout=10)
        return self.session.post(self.tenant.base_url + "/oauth/token", data=form, timeout=10)
