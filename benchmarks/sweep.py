"""Tenant sweep (issue #12): every organization's members on a B2B-shaped tenant, read three ways.

- one `auth0_organization_info` task with `include_members: true` (ansible-playbook, register);
- an Ansible loop of `auth0_org_members_info` over the organizations, run on a stratified sample
  and extrapolated to the whole tenant (labelled so);
- a Python script with the official auth0-python SDK (clients.py sdk_sweep);
- ansible-core's floor: the same playbook with a module that returns the same organizations and
  members from a file, without any request (benchmarks/floor/members_from_file.py).

Each at 0 ms and 20 ms per request with no rate limit, and at 0 ms with the tenant enforcing
Auth0's published limit (40 burst, 500 per minute) on members and organizations. Every run uses
client credentials, as a scheduled job would, so that token requests are counted too.
"""

import json
import os
import re
import time

from ansible_collections.community.auth0.plugins.module_utils._auth0 import Auth0Client
from ansible_collections.community.auth0.plugins.module_utils._connection_options import DEFAULT_MAX_CONCURRENT_REQUESTS
from ansible_runs import CLIENT_CREDENTIALS, FLOOR_MODULES, MEMBERS_MODULE, ORGANIZATIONS_MODULE, play, registered, write_json
from local_tenant import LocalTenant
from local_tenant.ratelimit import UNLIMITED
from measure import member_requests_by_org
from report_format import fmt, median_of, verdict
import tenant_shape

RUNS = ("module_task", "floor_task", "loop", "sdk_sweep")
LABELS = {
    "module_task": "one `auth0_organization_info` task, `include_members: true`",
    "floor_task": "ansible-core's floor: the same result from a file, no request",
    "loop": "Ansible loop of `auth0_org_members_info` (sample, extrapolated)",
    "sdk_sweep": "Python script with auth0-python (sequential, take=100)",
}
# (name, ms per request, rate limit on): the three conditions of the issue.
CONDITIONS = (("0 ms", 0, False), ("20 ms", 20, False), ("limit", 0, True))
LATENCY_MS = {condition: latency_ms for condition, latency_ms, _limited in CONDITIONS}
# Runs per condition (in the order of CONDITIONS). The task's time is what the targets are about; the SDK
# script at 20 ms is bound by latency (over 2,600 requests one after another) and varies little between runs.
# The floor makes no request, so latency and the rate limit do not touch it: it runs at 0 ms only.
FULL_ROUNDS = {"module_task": (3, 3, 1), "floor_task": (3, 0, 0), "sdk_sweep": (2, 1, 1), "loop": (1, 1, 1)}
QUICK_ROUNDS = dict({run: (1, 1, 1) for run in RUNS}, floor_task=(1, 0, 0))
LIMITED_GROUPS = ("members", "organizations")
SHOW_TASK = "organizations={{ result.count }} members={{ result.organizations | map(attribute='member_count') | sum }}"
SHOW_LOOP = "organizations={{ result.results | length }} members={{ result.results | map(attribute='count') | sum }}"
SHOWN = re.compile(rb'"msg": "organizations=(\d+) members=(\d+)"')


def unlimit(tenant, groups):
    for group in groups:
        tenant.set_rate_limit(group, *UNLIMITED)


class Sweep:
    """The B2B tenant, its playbooks, and every sweep run; `bench` runs the processes and keeps the log."""

    def __init__(self, bench, organizations, sample_size, quick, seed):
        self.bench = bench
        self.rounds = QUICK_ROUNDS if quick else FULL_ROUNDS
        strata = tenant_shape.scaled_strata(organizations)
        sized = tenant_shape.b2b_sizes(strata, seed)
        started = time.perf_counter()
        self.tenant = LocalTenant(seed=tenant_shape.b2b_seed(sized, seed), tls=True).start()
        self.seed_s = time.perf_counter() - started
        self.orgs = [dict(id=org.id, members=members, stratum=label)
                     for org, (members, label) in zip(self.tenant.organizations.values(), sized)]
        self.sample = stratified_sample(self.orgs, strata, sample_size)
        self.meta = dict(seed=seed, seed_s=self.seed_s, strata=[list(stratum) for stratum in strata],
                         orgs=[dict(members=org["members"], stratum=org["stratum"]) for org in self.orgs],
                         sample=[self.orgs.index(org) for org in self.sample])
        workdir = os.path.join(bench.tmp, "sweep")
        os.makedirs(workdir)
        self.vars = write_json(os.path.join(workdir, "vars.json"), dict(
            domain=self.tenant.domain, ca_path=self.tenant.ca_path, client_id=self.tenant.client_id,
            client_secret=self.tenant.client_secret, sample_ids=[org["id"] for org in self.sample]))
        self.task_playbook = write_json(os.path.join(workdir, "task.yml"), play(registered(
            ORGANIZATIONS_MODULE, dict(CLIENT_CREDENTIALS, include_members=True, include_roles=True), SHOW_TASK)))
        self.organizations_file = os.path.join(workdir, "organizations.json")
        self.floor_playbook = write_json(os.path.join(workdir, "floor.yml"), play(registered(
            "members_from_file", {"path": self.organizations_file, "token": "{{ client_secret }}", "key": "organizations"},
            SHOW_TASK)))
        self.loop_playbook = write_json(os.path.join(workdir, "loop.yml"), play(registered(
            MEMBERS_MODULE, dict(CLIENT_CREDENTIALS, org_id="{{ item }}", include_roles=True), SHOW_LOOP,
            loop="{{ sample_ids }}")))

    def close(self):
        self.tenant.stop()

    def run(self):
        self.bench.say("sweep: %d organizations, %d members; loop sample of %d"
                       % (len(self.orgs), sum(org["members"] for org in self.orgs), len(self.sample)))
        self.tenant.set_latency(0)
        self.save_organizations()
        # Unmeasured: fill the tenant's JSON caches and the benchmark's bytecode cache.
        self.measure("module_task", "warm-up")
        self.measure("floor_task", "warm-up")
        self.measure("sdk_sweep", "warm-up")
        for position, (condition, latency_ms, limited) in enumerate(CONDITIONS):
            self.tenant.set_latency(latency_ms / 1000.0)
            for round_no in range(max(rounds[position] for rounds in self.rounds.values())):
                shift = round_no % len(RUNS)  # no run always first
                for run in RUNS[shift:] + RUNS[:shift]:
                    if round_no < self.rounds[run][position]:
                        self.measure(run, condition, limited)
        self.tenant.set_latency(0)

    def save_organizations(self):
        """What the task returns, read once with the collection's client, for the floor task to return from a file."""
        client = Auth0Client(self.tenant.domain, client_id=self.tenant.client_id, client_secret=self.tenant.client_secret,
                             ca_path=self.tenant.ca_path)
        write_json(self.organizations_file, client.organizations_with_members(include_roles=True))

    def measure(self, run, condition, limited=False):
        if limited:
            for group in LIMITED_GROUPS:  # a full bucket for every run
                self.tenant.set_rate_limit(group)
        try:
            result = self.bench.run(self.argv(run), self.tenant, env=self.env(run))
        finally:
            unlimit(self.tenant, LIMITED_GROUPS)
        organizations, members = self.shown(run, result)
        expected = self.sample if run == "loop" else self.orgs
        if (organizations, members) != (len(expected), sum(org["members"] for org in expected)):
            raise RuntimeError("%s returned %d organizations and %d members, expected %d and %d" % (
                run, organizations, members, len(expected), sum(org["members"] for org in expected)))
        row = dict(phase="sweep", run=run, condition=condition, limited=limited, organizations=organizations, members=members,
                   **{key: result[key] for key in ("wall_s", "cpu_s", "requests", "status_429", "token_requests",
                                                   "member_requests", "listing_requests", "tenant_cpu_ms_per_request")})
        modules = result["module_runs"]
        if modules:
            row.update(module_runs=len(modules), module_wall_s=sum(m["wall_s"] for m in modules),
                       module_cpu_s=sum(m["cpu_s"] for m in modules), peak_rss_kb=max(m["peak_rss_kb"] for m in modules))
        if run in ("module_task", "floor_task"):
            row["task_s"] = task_time(result["item_times"])
        if run == "loop":
            by_org = member_requests_by_org(result["records"])
            row["member_requests_by_sample_org"] = [by_org.get(org["id"], 0) for org in self.sample]
            row.update(item_times(result["item_times"], [org["id"] for org in self.sample]))
        self.bench.log.append(row)
        self.bench.say("  sweep %-11s %-8s wall %7.2f s, cpu %6.2f s, %5d req (%d members, %d listing, %d token, %d x 429)"
                       % (run, condition, row["wall_s"], row["cpu_s"], row["requests"], row["member_requests"],
                          row["listing_requests"], row["token_requests"], row["status_429"]))
        return row

    def argv(self, run):
        core = self.bench.core
        if run == "sdk_sweep":
            return self.bench.client_argv("sdk_sweep", dict(domain=self.tenant.domain, ca_path=self.tenant.ca_path, take=100,
                                                            roles=True, client_id=self.tenant.client_id,
                                                            client_secret=self.tenant.client_secret))
        if run == "floor_task":
            return core.playbook(self.floor_playbook, self.vars, module_path=FLOOR_MODULES)
        return core.playbook(self.task_playbook if run == "module_task" else self.loop_playbook, self.vars)

    def env(self, run):
        if run == "sdk_sweep":
            return {"SSL_CERT_FILE": self.tenant.ca_path}
        return self.bench.item_times_env()

    @staticmethod
    def shown(run, result):
        if run == "sdk_sweep":
            line = json.loads(result["stdout"].decode("utf-8").strip().splitlines()[-1])
            return line["organizations"], line["members"]
        match = SHOWN.search(result["stdout"])
        return (int(match.group(1)), int(match.group(2))) if match else (None, None)


def stratified_sample(orgs, strata, size):
    """The first organizations (in the tenant's order) of each stratum, in proportion, at least one each."""
    total = sum(stratum[3] for stratum in strata)
    sample = []
    for label, _low, _high, count in strata:
        members_of_stratum = [org for org in orgs if org["stratum"] == label]
        sample += members_of_stratum[:max(1, round(count * size / total))]
    return sample


def task_time(events):
    """Seconds from the start of the task that reads the organizations to its result, without the playbook around it."""
    starts = [event["t"] for event in events if event["event"] == "task" and event["name"] == "read"]
    ends = [event["t"] for event in events if event["event"] == "ok" and event["name"] == "read"]
    if len(starts) != 1 or len(ends) != 1:
        raise RuntimeError("the item_times callback did not see the task start and end once")
    return ends[0] - starts[0]


def item_times(events, sample_ids):
    """Seconds each loop item took (from the previous item's end, the first from the task's start) and the loop task's span."""
    starts = [event["t"] for event in events if event["event"] == "task" and event["name"] == "read"]
    items = {event["item"]: event["t"] for event in events if event["event"] == "item"}
    if not starts or set(items) != set(sample_ids):
        raise RuntimeError("the item_times callback did not see every loop item")
    ends = sorted(items.values())
    previous = dict(zip(ends, [starts[0]] + ends[:-1]))
    return dict(item_s=[items[org_id] - previous[items[org_id]] for org_id in sample_ids], loop_task_s=ends[-1] - starts[0])


# -- report ------------------------------------------------------------------------------------------


def extrapolated_loop(row, meta):
    """The loop over every organization, from its sample: each stratum's items weighed by organizations/sampled."""
    sample = [meta["orgs"][index] for index in meta["sample"]]
    weights = {}
    for label, _low, _high, count in meta["strata"]:
        weights[label] = count / sum(1 for org in sample if org["stratum"] == label)
    weight = [weights[org["stratum"]] for org in sample]
    loop_s = sum(w * seconds for w, seconds in zip(weight, row["item_s"]))
    member_requests = sum(w * requests for w, requests in zip(weight, row["member_requests_by_sample_org"]))
    scale = len(meta["orgs"]) / len(sample)
    return dict(wall_s=row["wall_s"] - row["loop_task_s"] + loop_s, member_requests=member_requests,
                token_requests=row["token_requests"] * scale, status_429=row["status_429"] * scale,
                module_wall_s=row["module_wall_s"] * scale if row.get("module_wall_s") else None,
                cpu_s=row["cpu_s"] * scale)


def minimums(meta):
    sizes = [org["members"] for org in meta["orgs"]]
    return dict(module=sum(map(tenant_shape.fewest_member_requests, sizes)),
                sdk=sum(map(tenant_shape.checkpoint_member_requests, sizes)),
                listing=tenant_shape.organization_listing_requests(len(sizes)))


def summary(log, meta):
    """(run, condition) -> the median run (the loop: its extrapolation), with the raw sample row kept apart."""
    table = {}
    for run in RUNS:
        for condition, _latency, _limited in CONDITIONS:
            rows = [row for row in log if row["phase"] == "sweep" and row["run"] == run and row["condition"] == condition]
            if not rows:
                continue
            if run == "loop":
                table[(run, condition)] = dict(extrapolated_loop(rows[0], meta), sample=rows[0], runs=1, extrapolated=True)
                continue
            table[(run, condition)] = dict(
                runs=len(rows), wall_s=median_of(rows, "wall_s"), cpu_s=median_of(rows, "cpu_s"), module_wall_s=median_of(rows, "module_wall_s"),
                task_s=median_of(rows, "task_s"),
                member_requests=max(row["member_requests"] for row in rows), listing_requests=max(row["listing_requests"] for row in rows),
                token_requests=max(row["token_requests"] for row in rows), status_429=max(row["status_429"] for row in rows),
                peak_rss_kb=max(row.get("peak_rss_kb") or 0 for row in rows) or None)
    return table


def report(log, meta):
    """Markdown lines: the tenant, the targets of issue #12 and one table of every run."""
    if not meta or not any(row["phase"] == "sweep" for row in log):
        return []
    table = summary(log, meta)
    least = minimums(meta)
    orgs = meta["orgs"]
    lines = ["", "### Tenant sweep (issue #12): every organization's members", "",
             "Tenant: %d organizations, %d members with roles (seed %r): %s. Every run reads every organization "
             "with its members and their roles (`include_roles: true`; the SDK asks for `fields=...,roles`), with "
             "client credentials. The tenant was seeded in %.1f s." % (
                 len(orgs), sum(org["members"] for org in orgs), meta["seed"],
                 ", ".join("%d with %s members" % (stratum[3], stratum[0]) for stratum in meta["strata"]), meta["seed_s"]), ""]
    lines += _targets(table, least)
    lines += ["", "| condition | run | runs | wall (s) | x SDK script | task (s) | module process (s) | CPU (s) | member requests | "
              "listing requests | token requests | 429s | x bucket bound |", "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for condition, _latency, limited in CONDITIONS:
        sdk = table.get(("sdk_sweep", condition))
        for run in RUNS:
            entry = table.get((run, condition))
            if entry is None:
                continue
            bound = tenant_shape.bucket_bound(entry["member_requests"]) if limited else None
            lines.append("| %s | %s%s | %d | %.1f | %s | %s | %s | %.1f | %s | %s | %s | %s | %s |" % (
                condition, LABELS[run], " [extrapolated]" if entry.get("extrapolated") else "", entry["runs"], entry["wall_s"],
                "%.2f" % (entry["wall_s"] / sdk["wall_s"]) if sdk else "-", fmt(entry.get("task_s"), "%.1f"),
                fmt(entry.get("module_wall_s"), "%.1f"), entry["cpu_s"],
                fmt(entry["member_requests"], "%.0f"), fmt(entry.get("listing_requests"), "%d"), fmt(entry["token_requests"], "%.0f"),
                fmt(entry["status_429"], "%.0f"), "%.2f" % (entry["wall_s"] / bound) if bound else "-"))
    lines += ["", "Minimum member requests (issue #12: 1 per organization up to 100 members, ceil(n/100) up to 1,000, "
              "ceil(n/100)+2 above): %d, plus %d listing requests. Checkpoint paging with take=100, as the SDK pages, needs "
              "%d member requests (Auth0 sends `next` on the last full page, so an empty page follows)."
              % (least["module"], least["listing"], least["sdk"])]
    lines += _loop_note(table, meta)
    return lines


def _targets(table, least):
    lines = []
    task = {condition: table.get(("module_task", condition)) for condition, _latency, _limited in CONDITIONS}
    sdk = {condition: table.get(("sdk_sweep", condition)) for condition, _latency, _limited in CONDITIONS}
    floor = table.get(("floor_task", "0 ms"))
    measured = [entry for entry in task.values() if entry]
    if measured:
        ok = all(entry["member_requests"] == least["module"] and entry["listing_requests"] == least["listing"] for entry in measured)
        lines.append("- Requests = the minimum (%d member + %d listing requests): %s (the task: %s; the SDK script: %s)." % (
            least["module"], least["listing"], verdict(ok),
            ", ".join("%s %d + %d" % (condition, entry["member_requests"], entry["listing_requests"])
                      for condition, entry in task.items() if entry),
            ", ".join("%s %d + %d" % (condition, entry["member_requests"], entry["listing_requests"])
                      for condition, entry in sdk.items() if entry) or "not run"))
        tokens = [entry["token_requests"] for entry in measured]
        lines.append("- One token request per task: %s (%s)." % (verdict(all(t == 1 for t in tokens)), ", ".join(map(str, tokens))))
    if task["20 ms"] and sdk["20 ms"]:
        ratio = task["20 ms"]["wall_s"] / sdk["20 ms"]["wall_s"]
        lines.append("- At 20 ms per request, no rate limit, the task within 0.35x the SDK script's wall time: %s "
                     "(%.1f s vs %.1f s = %.3fx)." % (verdict(ratio <= 0.35), task["20 ms"]["wall_s"], sdk["20 ms"]["wall_s"], ratio))
        if floor:
            # The least time the task's requests spend in latency, as many in flight as it allows by default.
            latency_s = ((task["20 ms"]["member_requests"] + task["20 ms"]["listing_requests"]) * LATENCY_MS["20 ms"] / 1000.0
                         / DEFAULT_MAX_CONCURRENT_REQUESTS)
            lines.append("  Where the time goes: ansible-core's floor for this result (the same playbook returning the same "
                         "organizations from a file, no request) takes %.1f s = %.2fx the SDK script; the requests' latency "
                         "alone, %d in flight, is at least %.1f s; together %.1f s = %.2fx. The task spends %.1f s beyond "
                         "the floor, against that latency bound of %.1f s." % (
                             floor["wall_s"], floor["wall_s"] / sdk["20 ms"]["wall_s"], DEFAULT_MAX_CONCURRENT_REQUESTS, latency_s,
                             floor["wall_s"] + latency_s, (floor["wall_s"] + latency_s) / sdk["20 ms"]["wall_s"],
                             task["20 ms"]["wall_s"] - floor["wall_s"], latency_s))
    limited = task["limit"]
    if limited:
        bound = tenant_shape.bucket_bound(limited["member_requests"])
        ratio = limited["wall_s"] / bound
        lines.append("- Rate limit on (40 burst, 500 per minute): zero 429s: %s (%d); within 1.1x the time the bucket allows "
                     "for %d member requests, (%d - 40) / (500/60 s) = %.1f s: %s (the whole ansible-playbook run %.1f s = "
                     "%.3fx; the task alone, from its start to its result, %s; the module process alone %.1f s = %.3fx)." % (
                         verdict(limited["status_429"] == 0), limited["status_429"], limited["member_requests"],
                         limited["member_requests"], bound, verdict(ratio <= 1.1), limited["wall_s"], ratio,
                         "%.1f s = %.3fx" % (limited["task_s"], limited["task_s"] / bound) if limited.get("task_s") else "not measured",
                         limited["module_wall_s"], limited["module_wall_s"] / bound))
        if floor:
            lines.append("  The run beyond the bucket's bound: %.1f s, where ansible-core's floor for this result is %.1f s "
                         "(its module process %.1f s)." % (limited["wall_s"] - bound, floor["wall_s"], floor["module_wall_s"]))
    return lines


def _loop_note(table, meta):
    entry = next((table[key] for key in table if key[0] == "loop"), None)
    if entry is None:
        return []
    sample = [meta["orgs"][index] for index in meta["sample"]]
    return ["", "The loop ran on %d organizations (%s, the first of each stratum in the tenant's order) and is "
            "extrapolated to %d: each stratum's loop items (timed by benchmarks/callback_plugins/item_times.py, from one "
            "item's end to the next) and member requests are weighed by the stratum's organizations over its sampled "
            "ones; the playbook's start and end are counted once; token requests and CPU scale by %d/%d. Measured on "
            "the sample: %s." % (
                len(sample), ", ".join("%d of %s members" % (sum(1 for org in sample if org["stratum"] == stratum[0]), stratum[0])
                                       for stratum in meta["strata"]),
                len(meta["orgs"]), len(meta["orgs"]), len(sample),
                "; ".join("%s %.1f s, %d member requests, %d token requests, %d x 429" % (
                    condition, table[("loop", condition)]["sample"]["wall_s"], table[("loop", condition)]["sample"]["member_requests"],
                    table[("loop", condition)]["sample"]["token_requests"], table[("loop", condition)]["sample"]["status_429"])
                    for condition, _latency, _limited in CONDITIONS if ("loop", condition) in table))]
