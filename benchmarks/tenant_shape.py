"""The benchmark's B2B tenant, and the request counts and times its reads cannot go below.

A real B2B tenant has many small organizations and a few large ones. ``b2b_sizes`` draws the
member count of every organization from strata (how many organizations have how many members)
with a fixed seed, so every run serves the same tenant.
"""

import math
import random

# (label, fewest members, most members, organizations) of a tenant of 1,000 organizations.
B2B_STRATA = (("1-20", 1, 20, 700), ("21-300", 21, 300, 250), ("301-1,000", 301, 1000, 45), ("1,001-5,000", 1001, 5000, 5))
ROLES = ["admin", "editor", "viewer"]
PAGE = 100
# Auth0's published limit on reading organization members and organizations.
PUBLISHED_BURST, PUBLISHED_PER_MINUTE = 40, 500


def scaled_strata(organizations):
    """B2B_STRATA scaled to `organizations` organizations, every stratum keeping at least one."""
    total = sum(stratum[3] for stratum in B2B_STRATA)
    return tuple((label, low, high, max(1, round(count * organizations / total))) for label, low, high, count in B2B_STRATA)


def b2b_sizes(strata, seed):
    """Member count of each organization in creation order: uniform within each stratum, strata shuffled together."""
    rng = random.Random(seed)
    sized = [(rng.randint(low, high), label) for label, low, high, count in strata for _number in range(count)]
    rng.shuffle(sized)
    return sized


def org_name(position):
    return "b2b-%04d" % position


def b2b_seed(sized, seed):
    """A LocalTenant seed with one organization per (members, stratum), each with roles for its members."""
    return {"seed": "b2b-%s" % seed,
            "organizations": [{"name": org_name(position), "members": members, "roles": ROLES}
                              for position, (members, _label) in enumerate(sized)]}


def fewest_member_requests(members, per_page=PAGE):
    """Issue #12's minimum for a full read: 1 up to a page, one per page up to 1000 records, two more past that."""
    if members <= per_page:
        return 1
    return math.ceil(members / per_page) + (2 if members > 1000 else 0)


def checkpoint_member_requests(members, take=PAGE):
    """Checkpoint paging: every page, then the empty page Auth0 ends with (it sends `next` on the last full one)."""
    return math.ceil(members / take) + 1


def organization_listing_requests(organizations, take=PAGE):
    """Checkpoint listing of organizations: Auth0 leaves `next` out of the last page, so no empty page follows."""
    return max(1, math.ceil(organizations / take))


def bucket_bound(requests, burst=PUBLISHED_BURST, per_minute=PUBLISHED_PER_MINUTE):
    """The least time a token bucket (full at the start) lets `requests` requests through in."""
    return max(0, requests - burst) * 60.0 / per_minute
