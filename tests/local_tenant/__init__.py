"""A faithful local stand-in for one Auth0 tenant's Management API (organizations, membership, users, roles).

Used by unit/integration tests, benchmarks and ``make demo``::

    from local_tenant import LocalTenant
    with LocalTenant(seed={"organizations": [{"name": "acme", "members": 2500, "roles": ["admin"]}]}) as tenant:
        tenant.mint_token()                        # RS256 token with ALL_SCOPES
        tenant.inject(r"/members$", "status", status=429)
        tenant.count(r"/members$")
        tenant.count(r"/members$", method="POST")   # membership writes; RequestRecord.body holds their ids
        tenant.member_ids("acme"), tenant.roles_of("acme", user_id), tenant.user_by_email(email)

Run ``python -m local_tenant --help`` to serve one from the command line.
"""

import os

from .assertions import ASSERTION_ALGORITHMS, CLIENT_ASSERTION_TYPE, private_key_pem, public_key_pem
from .auth import ALL_SCOPES, new_rsa_key
from .data import Organization
from .ratelimit import GROUPS, PUBLISHED_LIMITS
from .server import FAULTS, LocalTenant, RequestRecord

SEEDS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seeds")
"""Directory of the bundled seeds (demo.yml, small.yml)."""

__all__ = [
    "ALL_SCOPES", "ASSERTION_ALGORITHMS", "CLIENT_ASSERTION_TYPE", "FAULTS", "GROUPS", "PUBLISHED_LIMITS", "SEEDS_DIR",
    "LocalTenant", "Organization", "RequestRecord", "new_rsa_key", "private_key_pem", "public_key_pem",
]
