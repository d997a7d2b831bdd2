"""Helpers shared by the contract tests (a uniquely named module, so several conftest.py files cannot clash)."""

import os
import sys

import requests

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)

from local_tenant import SEEDS_DIR  # noqa: E402  pylint: disable=wrong-import-position

SMALL_SEED = os.path.join(SEEDS_DIR, "small.yml")


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

    def post_token(self, json_body=None, **form):
        """POST /oauth/token, form-encoded unless json_body is given."""
        if json_body is not None:
            return self.session.post(self.tenant.base_url + "/oauth/token", json=json_body, timeout=10)
        return self.session.post(self.tenant.base_url + "/oauth/token", data=form, timeout=10)
