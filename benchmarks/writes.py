"""Membership writes (issue #21): make a 1,000-member organization match a list, the collection vs an SDK script.

The desired list differs from the organization by 100 additions (users in no organization), 100
removals and role changes on 50 kept members (25 gain a role, 25 lose one), with purge_members and
purge_roles. Two clients do the same work, each in its own process (clients.py):

- collection: the collection's client, ``Auth0Client.manage_members`` (what auth0_org_members runs);
- sdk_writes: a script with auth0-python 6 written the straightforward way: read every member with
  roles, compute the differences, add and remove in batches of 10 (Auth0 takes at most 10 ids), and
  grant and revoke each member's roles, one request after another.

Each run gets a fresh tenant from the same seed, so every run starts from the same state and from full
buckets; the final state is checked against the desired one. Conditions: 0 ms and 20 ms per request
without limits, and 0 ms with Auth0's published limits on every endpoint group (20 burst / 200 a minute
for member writes and for member-role writes, each its own bucket).
"""

import json
import os
import random
import time

from local_tenant import LocalTenant
from local_tenant.ratelimit import PUBLISHED_LIMITS
from local_tenant.server import _ROUTES as TENANT_ROUTES
from report_format import fmt, median_of, verdict
import tenant_shape

MEMBERS, ADDED, REMOVED, GAINING, LOSING = 1000, 100, 100, 25, 25
ROLES = tenant_shape.ROLES
SEED = {"seed": "writes", "organizations": [{"name": "writes", "members": MEMBERS, "roles": ROLES}], "users": ADDED}
RUNS = ("collection_writes", "sdk_writes")
LABELS = {"collection_writes": "collection client, `manage_members` (purge_members, purge_roles)",
          "sdk_writes": "Python script with auth0-python (sequential)"}
# (name, ms per request, Auth0's limits on): the conditions of the issue.
CONDITIONS = (("0 ms", 0, False), ("20 ms", 20, False), ("limit", 0, True))
# Runs per condition, in the order of CONDITIONS. A limited run takes about 10 s (the role-write bucket).
FULL_ROUNDS = (3, 3, 2)
QUICK_ROUNDS = (1, 1, 1)
# The collection's run under the limits must take at most this many times the buckets' bound.
BOUND_SLACK = 1.2
WRITE_GROUPS = ("member_writes", "member_role_writes")
KINDS = (("reads", lambda group: group not in WRITE_GROUPS), ("member writes", "member_writes".__eq__),
         ("role writes", "member_role_writes".__eq__))


def scenario(tenant, rng):
    """(desired entries as the module takes them, desired state {user_id: set(role ids)}) on a fresh tenant."""
    org = "writes"
    current = {user_id: set(role["id"] for role in tenant.roles_of(org, user_id)) for user_id in tenant.member_ids(org)}
    members = sorted(current)
    removed = set(rng.sample(members, REMOVED))
    kept = [user_id for user_id in members if user_id not in removed]
    all_roles = set(tenant.role_id(name) for name in ROLES)
    # Losing members hold two roles or more: a member left with no role is listed as a bare id, which
    # manage_members reads as "roles not managed" (an empty list too), so it would keep its last role.
    losing = rng.sample([user_id for user_id in kept if len(current[user_id]) >= 2], LOSING)
    gaining = rng.sample([user_id for user_id in kept if user_id not in losing and current[user_id] != all_roles],
                         GAINING)
    spare = sorted(set(tenant.users) - set(members))[:ADDED]
    desired = {user_id: set(current[user_id]) for user_id in kept}
    for user_id in losing:
        desired[user_id].remove(rng.choice(sorted(desired[user_id])))
    for user_id in gaining:
        desired[user_id].add(rng.choice(sorted(all_roles - desired[user_id])))
    desired.update((user_id, set()) for user_id in spare)
    entries = [{"user": user_id, "roles": sorted(roles)} if roles else user_id for user_id, roles in desired.items()]
    return entries, desired


def group_of(record):
    """The tenant's rate-limit group of a logged request (the tenant's own routing table)."""
    for method, pattern, _handler, group, _scope in TENANT_ROUTES:
        if method == record.method and pattern.match(record.path):
            return group
    return None


def requests_by_group(records):
    """{group: requests served}; 429 answers are counted apart by the caller."""
    counts = {}
    for record in records:
        if record.status != 429:
            counts[group_of(record)] = counts.get(group_of(record), 0) + 1
    return counts


def buckets_bound(by_group):
    """The least time Auth0's published buckets let these requests through in, each bucket full at the start.

    The reads come before the writes; the two write buckets refill side by side, so the slower one bounds
    the writes.
    """
    def bound(group):
        return tenant_shape.bucket_bound(by_group.get(group, 0), *PUBLISHED_LIMITS[group])

    reads = max([bound(group) for group in by_group if group and group not in WRITE_GROUPS] or [0])
    return reads + max(bound(group) for group in WRITE_GROUPS)


class Writes:
    """Every write run; `bench` runs the client processes and keeps the log."""

    def __init__(self, bench, quick, seed=21):
        self.bench = bench
        self.rounds = QUICK_ROUNDS if quick else FULL_ROUNDS
        self.rng_seed = seed
        self.workdir = os.path.join(bench.tmp, "writes")
        os.makedirs(self.workdir, exist_ok=True)

    def run(self):
        self.bench.say("writes: %d members, +%d -%d, roles changed on %d, fresh tenant per run"
                       % (MEMBERS, ADDED, REMOVED, GAINING + LOSING))
        for run in RUNS:  # unmeasured: each library's first import compiles it into the run's bytecode cache
            self.measure(run, "warm-up", 0, False)
        for position, (condition, latency_ms, limited) in enumerate(CONDITIONS):
            for round_no in range(self.rounds[position]):
                for run in RUNS[round_no % 2:] + RUNS[:round_no % 2]:  # no client always first
                    self.measure(run, condition, latency_ms, limited)

    def measure(self, run, condition, latency_ms, limited):
        started = time.perf_counter()
        tenant = LocalTenant(seed=SEED, tls=True, rate_limit=limited).start()
        try:
            entries, desired = scenario(tenant, random.Random(self.rng_seed))
            path = os.path.join(self.workdir, "desired.json")
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(entries, handle)
            spec = dict(domain=tenant.domain, ca_path=tenant.ca_path, token=tenant.mint_token(),
                        org_id=tenant.organization("writes").id, desired=path)
            seed_s = time.perf_counter() - started
            tenant.set_latency(latency_ms / 1000.0)
            result = self.bench.run(self.bench.client_argv(run, spec), tenant)
            tenant.set_latency(0)
            final = {user_id: set(role["id"] for role in tenant.roles_of("writes", user_id))
                     for user_id in tenant.member_ids("writes")}
        finally:
            tenant.stop()
        if final != desired:
            wrong = sorted(set(final) ^ set(desired))
            wrong += sorted(user_id for user_id, roles in desired.items() if final.get(user_id, roles) != roles)
            raise RuntimeError("writes: %s left the organization unlike the desired list (%d members differ: %s)"
                               % (run, len(wrong), ", ".join(wrong[:5])))
        line = json.loads(result["stdout"].decode("utf-8").strip().splitlines()[-1])
        by_group = requests_by_group(result["records"])
        row = dict(phase="writes", client=run, condition=condition, latency_ms=latency_ms, limited=limited,
                   wall_s=result["wall_s"], cpu_s=result["cpu_s"], work_s=line["fetch_s"], requests=result["requests"],
                   status_429=result["status_429"], by_group=by_group, bound_s=buckets_bound(by_group),
                   seed_s=seed_s, sleeps=line.get("sleeps"), slept_s=line.get("slept_s"),
                   **{kind: sum(count for group, count in by_group.items() if match(group)) for kind, match in KINDS})
        if condition != "warm-up":
            self.bench.log.append(row)
        self.bench.say("  writes %-17s %-6s %5.2f s (work %5.2f s), %3d req (%d reads, %d member, %d role), %d x 429, "
                       "bound %.1f s" % (run, condition, row["wall_s"], row["work_s"], row["requests"], row["reads"],
                                         row["member writes"], row["role writes"], row["status_429"], row["bound_s"]))
        return row


# -- report ------------------------------------------------------------------------------------------


def report(log):
    rows = [row for row in log if row["phase"] == "writes"]
    if not rows:
        return []
    lines = ["", "### Membership writes (issue #21): a 1,000-member organization made to match a list", "",
             "The list differs from the organization by %d additions, %d removals and role changes on %d kept "
             "members (%d gain a role, %d lose one); purge_members and purge_roles. Each run starts from a fresh "
             "tenant (same seed, full buckets) and its final state is checked against the list. Time is the "
             "client's work in its process, importing its library included as in the read rows (wall = the whole "
             "process). The bound is the least time Auth0's published buckets let the served requests through: "
             "(requests - burst) / rate per bucket, the slower write bucket (they refill side by side) after the "
             "reads." % (ADDED, REMOVED, GAINING + LOSING, GAINING, LOSING), "",
             "| condition | client | runs | reads | member writes | role writes | 429s | work (s, median) | "
             "wall (s) | client CPU (s) | bucket bound (s) | x bound | x SDK script (time) |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    summary = {}
    for condition, _latency_ms, _limited in CONDITIONS:
        for run in RUNS:
            group = [row for row in rows if row["condition"] == condition and row["client"] == run]
            if group:
                summary[(condition, run)] = dict(
                    group[0], runs=len(group), work_s=median_of(group, "work_s"), wall_s=median_of(group, "wall_s"),
                    cpu_s=median_of(group, "cpu_s"), status_429=sum(row["status_429"] for row in group),
                    worst_s=max(row["work_s"] for row in group))
    for (condition, run), entry in summary.items():
        sdk = summary.get((condition, "sdk_writes"))
        lines.append("| %s | %s | %d | %d | %d | %d | %d | %s | %s | %s | %s | %s | %s |" % (
            condition, LABELS[run], entry["runs"], entry["reads"], entry["member writes"], entry["role writes"],
            entry["status_429"], fmt(entry["work_s"]), fmt(entry["wall_s"]), fmt(entry["cpu_s"]),
            fmt(entry["bound_s"], "%.1f") if entry["limited"] else "-",
            fmt(entry["work_s"] / entry["bound_s"] if entry["limited"] and entry["bound_s"] else None),
            fmt(entry["work_s"] / sdk["work_s"] if sdk and run != "sdk_writes" else None)))
    limited = summary.get(("limit", "collection_writes"))
    if limited:
        ok = limited["status_429"] == 0 and limited["worst_s"] <= BOUND_SLACK * limited["bound_s"]
        lines += ["", "- Under Auth0's limits, zero 429s and time within %.1fx of the buckets' bound: %s (%d runs, "
                  "%d answered 429; slowest %.2f s against a bound of %.1f s: %.2fx)." % (
                      BOUND_SLACK, verdict(ok), limited["runs"], limited["status_429"], limited["worst_s"],
                      limited["bound_s"], limited["worst_s"] / limited["bound_s"] if limited["bound_s"] else 0)]
    return lines
