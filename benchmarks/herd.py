"""Herd (issue #12): many module runs at once against one tight members bucket.

Twenty runs of `auth0_org_members_info` start together against a tenant whose members bucket
holds 2 requests and refills 60 a minute (Auth0's free-tier scale), with the default
rate_limit_timeout. Two shapes of the same herd:

- processes: 20 separate ansible-playbook processes started at once (parallel CI jobs);
- hosts: one play over 20 hosts (local connection) with forks=20 and no run_once.

Reported: runs that got through, 429 answers absorbed, and the time from the first start to the
last end against the least time the bucket allows for the member requests served.
"""

import os
import re
import resource
import subprocess
import threading
import time

from ansible_runs import CLIENT_CREDENTIALS, MEMBERS_MODULE, play, registered, write_json
from local_tenant.ratelimit import UNLIMITED
from measure import cpu_of, request_stats
import tenant_shape

VARIANTS = ("processes", "hosts")
LABELS = {"processes": "20 ansible-playbook processes at once", "hosts": "one play over 20 hosts, forks=20, no run_once"}
RECAP = re.compile(rb"^(herd\d+)\s+:\s+ok=(\d+)\s+changed=\d+\s+unreachable=(\d+)\s+failed=(\d+)", re.MULTILINE)
SHOWN = re.compile(rb'"msg": "count=(\d+)"')


class Herd:
    """The herd's playbook and inventory; `bench` supplies the tenant, the core and the log."""

    def __init__(self, bench, org, runs, burst, per_minute):
        self.bench = bench
        self.org = org
        self.runs = runs
        self.burst, self.per_minute = burst, per_minute
        tenant = bench.tenant
        workdir = os.path.join(bench.tmp, "herd")
        os.makedirs(workdir)
        args = dict(CLIENT_CREDENTIALS, org_id=org.id)
        self.vars = write_json(os.path.join(workdir, "vars.json"), dict(
            domain=tenant.domain, ca_path=tenant.ca_path, client_id=tenant.client_id, client_secret=tenant.client_secret))
        tasks = registered(MEMBERS_MODULE, args, "count={{ result.count }}")
        self.playbooks = {"processes": write_json(os.path.join(workdir, "one.yml"), play(tasks)),
                          "hosts": write_json(os.path.join(workdir, "hosts.yml"), play(tasks, hosts="herd"))}
        self.inventory = write_json(os.path.join(workdir, "inventory.json"), {"herd": {"hosts": {
            "herd%02d" % number: {"ansible_connection": "local", "ansible_python_interpreter": bench.core.launcher}
            for number in range(1, runs + 1)}}})
        self.workdir = workdir

    def run(self):
        self.bench.say("herd: %d runs at once, %d members each, against %d burst / %d per minute"
                       % (self.runs, len(self.org.members), self.burst, self.per_minute))
        for variant in VARIANTS:
            self.measure(variant)

    def measure(self, variant):
        tenant = self.bench.tenant
        tenant.set_rate_limit("members", self.burst, self.per_minute)
        tenant.reset_log()
        self.bench.clear_probe()
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        try:
            if variant == "processes":
                outcomes = self.processes()
            else:
                outcomes = self.hosts()
        finally:
            tenant.set_rate_limit("members", *UNLIMITED)
        wall = max(outcome["ended"] for outcome in outcomes) - started
        stats = request_stats(tenant.requests)
        modules = self.bench.probe_records()
        row = dict(phase="herd", variant=variant, runs=self.runs, members=len(self.org.members), burst=self.burst,
                   per_minute=self.per_minute, through=sum(1 for outcome in outcomes if outcome["ok"]), wall_s=wall,
                   cpu_s=cpu_of(resource.getrusage(resource.RUSAGE_CHILDREN)) - cpu_of(children_before),
                   ended_s=sorted(outcome["ended"] - started for outcome in outcomes),
                   module_wall_s=[module["wall_s"] for module in modules], **stats)
        self.bench.log.append(row)
        self.bench.say("  herd %-9s %d/%d through in %.1f s, %d member requests, %d x 429, %d tokens"
                       % (variant, row["through"], self.runs, wall, row["member_requests"], row["status_429"], row["token_requests"]))

    def processes(self):
        """Start every ansible-playbook at once; each run's end time and whether it returned every member."""
        argv = self.bench.core.playbook(self.playbooks["processes"], self.vars)
        procs = []
        for number in range(self.runs):
            out = open(os.path.join(self.workdir, "out-%02d" % number), "w+b")  # pylint: disable=consider-using-with
            procs.append((subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=self.bench.env), out))  # pylint: disable=consider-using-with
        outcomes = [None] * len(procs)

        def wait(index, proc, out):
            proc.wait()
            ended = time.perf_counter()
            out.seek(0)
            shown = SHOWN.search(out.read())
            out.close()
            outcomes[index] = dict(ended=ended, ok=proc.returncode == 0 and bool(shown) and int(shown.group(1)) == len(self.org.members))

        waiters = [threading.Thread(target=wait, args=(index, proc, out)) for index, (proc, out) in enumerate(procs)]
        for waiter in waiters:
            waiter.start()
        for waiter in waiters:
            waiter.join()
        return outcomes

    def hosts(self):
        """One play over every host; a host got through when both its tasks were ok."""
        argv = self.bench.core.playbook(self.playbooks["hosts"], self.vars, inventory=self.inventory)
        result = self.bench.run_process(argv, env=dict(ANSIBLE_FORKS=str(self.runs)))
        recap = {host: (int(ok), int(unreachable), int(failed)) for host, ok, unreachable, failed in RECAP.findall(result["stdout"])}
        ended = time.perf_counter()
        return [dict(ended=ended, ok=recap.get(("herd%02d" % number).encode()) == (2, 0, 0)) for number in range(1, self.runs + 1)]


# -- report ------------------------------------------------------------------------------------------


def report(log):
    rows = [row for row in log if row["phase"] == "herd"]
    if not rows:
        return []
    first = rows[0]
    lines = ["", "### Herd (issue #12): %d module runs at once against %d burst / %d per minute on members" % (
        first["runs"], first["burst"], first["per_minute"]), "",
        "Each run is one `auth0_org_members_info` task reading an organization of %d members (%s member requests "
        "each at the least), with client credentials and the default rate_limit_timeout (300 s). Before issue #12, "
        "12 of 20 such runs failed after their 5 retries." % (
            first["members"], tenant_shape.fewest_member_requests(first["members"])), "",
        "| herd | runs through | member requests | 429s absorbed | token requests | first / last run done (s) | "
        "bucket bound (s) | x bound | CPU of all runs (s) |", "|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        bound = tenant_shape.bucket_bound(row["member_requests"], row["burst"], row["per_minute"])
        lines.append("| %s | %d of %d | %d | %d | %d | %.1f / %.1f | %.1f | %.2f | %.1f |" % (
            LABELS[row["variant"]], row["through"], row["runs"], row["member_requests"], row["status_429"], row["token_requests"],
            row["ended_s"][0], row["ended_s"][-1], bound, row["wall_s"] / bound if bound else float("nan"), row["cpu_s"]))
    lines += ["", "The bucket bound is (member requests - burst) / rate: the bucket starts full, and no client can "
              "get more through it. The time is from starting the runs to the last one's end, so it includes "
              "starting the ansible processes on this machine's 2 cores. The hosts of one play all end with the play."]
    return lines
