"""One measured process run, and what the local tenant saw of it.

The tenant serves from the benchmark's own process, so during a run this process's CPU time is the
tenant's and the children's CPU time is the client's (the whole process tree of the run).
"""

import re
import resource
import subprocess
import tempfile
import time

MEMBERS_PATH = re.compile(r"^/api/v2/organizations/[^/]+/members$")
LISTING_PATH = "/api/v2/organizations"
TOKEN_PATH = "/oauth/token"


def cpu_of(usage):
    return usage.ru_utime + usage.ru_stime


def run_measured(argv, env, cwd):
    """Run argv to completion: dict(rc, wall_s, cpu_s of the process tree, tenant_cpu_s, stdout bytes, stderr bytes)."""
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    self_before = resource.getrusage(resource.RUSAGE_SELF)
    # A file, not a pipe: ad hoc runs print tens of megabytes, which a pipe would make the run wait on.
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.run(argv, stdout=out, stderr=subprocess.PIPE, env=env, cwd=cwd, check=False)
        wall = time.perf_counter() - started
        out.seek(0)
        stdout = out.read()
    return dict(rc=proc.returncode, wall_s=wall, stdout=stdout, stderr=proc.stderr,
                cpu_s=cpu_of(resource.getrusage(resource.RUSAGE_CHILDREN)) - cpu_of(children_before),
                tenant_cpu_s=cpu_of(resource.getrusage(resource.RUSAGE_SELF)) - cpu_of(self_before))


def request_stats(records):
    """Requests the tenant logged, split by kind; 429 answers are counted apart and in no other kind."""
    served = [record for record in records if record.status != 429]
    return dict(requests=len(records), status_429=len(records) - len(served),
                token_requests=sum(1 for record in served if record.path == TOKEN_PATH),
                member_requests=sum(1 for record in served if MEMBERS_PATH.match(record.path)),
                listing_requests=sum(1 for record in served if record.path == LISTING_PATH))


def member_requests_by_org(records):
    """Served member-list requests per organization id."""
    counts = {}
    for record in records:
        if record.status != 429 and MEMBERS_PATH.match(record.path):
            org_id = record.path.split("/")[4]
            counts[org_id] = counts.get(org_id, 0) + 1
    return counts
