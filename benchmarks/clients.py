"""One benchmark client run, in its own process: ``python benchmarks/clients.py CLIENT SPEC_JSON``.

bench.py starts this script once per measured run, so that the run's CPU time and peak RSS
(from os.wait4 in the parent) belong to the client alone. The script reads every member of one
organization and prints one JSON line: {"members": N, "fetch_s": seconds spent fetching, ...}.

Clients:
  collection   community.auth0's Auth0Client.organization_members (module_utils) called directly
  sdk          the official auth0-python 6.x pager (spec "take": 100, or null for its default)
  sdk_script   a whole "script using the SDK": page with take=100, then print the members as JSON
  sdk_sweep    a script using the SDK over the whole tenant: every organization, then each one's members
  requests     a plain requests.Session loop over checkpoint paging (take=100)
  collection_writes  Auth0Client.manage_members: make the organization match the list in spec "desired" (writes.py)
  sdk_writes   the same with auth0-python, as a script would: read, compare, then write one request at a time

The write clients print {"members": entries in the desired list, "fetch_s": seconds spent reading and writing}.
"""

import cProfile
import json
import os
import sys
import time


def _collection_client(spec, slept):
    """The collection's client, as the module builds it (static token unless client credentials are given)."""
    from ansible_collections.community.auth0.plugins.module_utils._auth0 import Auth0Client  # pylint: disable=import-outside-toplevel

    def sleep(seconds):
        slept.append(seconds)
        time.sleep(seconds)

    credentials = dict(token=spec["token"])
    if spec.get("client_credentials"):
        credentials = dict(client_id=spec["client_id"], client_secret=spec["client_secret"])
    return Auth0Client(spec["domain"], ca_path=spec["ca_path"], sleep=sleep, **credentials)


def _client_stats(client, slept):
    return dict(requests_sent=client.request_count, sleeps=len(slept), slept_s=round(sum(slept), 3))


def run_collection(spec, stats):
    """Every member of one organization with the collection's client."""
    slept = []
    client = _collection_client(spec, slept)
    _organization, members = client.organization_members(org_id=spec["org_id"], include_roles=spec.get("roles", False),
                                                         per_page=100)
    stats.update(_client_stats(client, slept))
    return members


def _desired(spec):
    with open(spec["desired"], encoding="utf-8") as handle:
        return json.load(handle)


def run_collection_writes(spec, stats):
    """auth0_org_members' work, purge_members and purge_roles: the list in spec["desired"] becomes the membership."""
    slept = []
    client = _collection_client(spec, slept)
    entries = _desired(spec)
    result = client.manage_members(org_id=spec["org_id"], members=entries, purge_members=True, purge_roles=True)
    stats.update(_client_stats(client, slept), added=len(result["added"]), removed=len(result["removed"]))
    return entries


def run_sdk_writes(spec, stats):
    """What a script with the SDK would do: read the members with roles, compare, then write one request at a time.

    Adds first (Auth0 documents roles for members only), then each member's role grants and
    revocations, then removals; 10 ids a membership write, the most Auth0 documents.
    """
    sdk = _sdk_client(spec)
    org_id = spec["org_id"]
    entries = _desired(spec)
    desired = {}
    for entry in entries:
        user_id, roles = (entry, []) if isinstance(entry, str) else (entry["user"], entry["roles"])
        desired[user_id] = set(roles)
    listing = sdk.organizations.members.list(org_id, take=100, fields="user_id,roles", include_fields=True)
    current = {member.user_id: set(role.id for role in member.roles or ()) for member in listing}
    added = [user_id for user_id in desired if user_id not in current]
    removed = [user_id for user_id in current if user_id not in desired]
    for start in range(0, len(added), 10):
        sdk.organizations.members.create(org_id, members=added[start:start + 10])
    for user_id, roles in desired.items():
        held = current.get(user_id, set())
        if roles - held:
            sdk.organizations.members.roles.assign(org_id, user_id, roles=sorted(roles - held))
        if held - roles:
            sdk.organizations.members.roles.delete(org_id, user_id, roles=sorted(held - roles))
    for start in range(0, len(removed), 10):
        sdk.organizations.members.delete(org_id, members=removed[start:start + 10])
    stats.update(added=len(added), removed=len(removed))
    return entries


def _sdk_client(spec):
    import ssl  # pylint: disable=import-outside-toplevel

    import httpx  # pylint: disable=import-outside-toplevel
    from auth0.management import ManagementClient  # pylint: disable=import-outside-toplevel

    http_client = httpx.Client(verify=ssl.create_default_context(cafile=spec["ca_path"]), timeout=30)
    return ManagementClient(domain=spec["domain"], token=spec["token"], httpx_client=http_client)


def _sdk_member_options(spec):
    kwargs = {"take": spec["take"]} if spec.get("take") else {}
    if spec.get("roles"):
        kwargs.update(fields="user_id,email,name,picture,roles", include_fields=True)
    return kwargs


def run_sdk(spec, stats):  # pylint: disable=unused-argument
    """The SDK's checkpoint pager; take=None leaves the SDK's default page size."""
    return list(_sdk_client(spec).organizations.members.list(spec["org_id"], **_sdk_member_options(spec)))


def run_sdk_sweep(spec, stats):
    """Every organization's members, as the SDK's docs show: list the organizations, then each one's members.

    Client credentials, as a scheduled job would use; the SDK fetches the token with its own
    httpx client, which finds the tenant's CA through SSL_CERT_FILE (set by bench.py).
    """
    import ssl  # pylint: disable=import-outside-toplevel

    import httpx  # pylint: disable=import-outside-toplevel
    from auth0.management import ManagementClient  # pylint: disable=import-outside-toplevel

    http_client = httpx.Client(verify=ssl.create_default_context(cafile=spec["ca_path"]), timeout=30)
    sdk = ManagementClient(domain=spec["domain"], client_id=spec["client_id"], client_secret=spec["client_secret"],
                           httpx_client=http_client)
    organizations = []
    for organization in sdk.organizations.list(take=100):
        members = list(sdk.organizations.members.list(organization.id, **_sdk_member_options(spec)))
        organizations.append(dict(organization.model_dump(exclude_none=True), members=members))
    _dump_like_a_module({"organizations": [dict(org, members=[m.model_dump(exclude_none=True) for m in org["members"]])
                                           for org in organizations], "count": len(organizations)})
    stats["organizations"] = len(organizations)
    return [member for org in organizations for member in org["members"]]


def _dump_like_a_module(result):
    """Serialise the result as a module would print it, so that the script pays for the same output."""
    with open(os.devnull, "w", encoding="utf-8") as sink:
        sink.write(json.dumps(result))


def run_sdk_script(spec, stats):  # pylint: disable=unused-argument
    """What a user would write instead of the module: fetch with the SDK, print the members as JSON."""
    members = run_sdk(dict(spec, take=100), stats)
    _dump_like_a_module({"members": [member.model_dump(exclude_none=True) for member in members], "count": len(members)})
    return members


def run_requests(spec, stats):
    """The floor for a Python client: requests, keep-alive, checkpoint cursor, nothing else."""
    import requests  # pylint: disable=import-outside-toplevel

    session = requests.Session()
    url = "https://%s/api/v2/organizations/%s/members" % (spec["domain"], spec["org_id"])
    headers = {"Authorization": "Bearer " + spec["token"]}
    params = {"take": 100}
    members = []
    received = 0
    while True:
        response = session.get(url, params=params, headers=headers, verify=spec["ca_path"], timeout=30)
        response.raise_for_status()
        received += len(response.content)
        stats["json_bytes"] = received
        body = response.json()
        members.extend(body["members"])
        if not body.get("next"):
            if spec.get("dump_to"):  # the warm-up keeps the members for bench.py's ansible-core floor runs
                with open(spec["dump_to"], "w", encoding="utf-8") as handle:
                    json.dump(members, handle)
            return members
        params["from"] = body["next"]


CLIENTS = {"collection": run_collection, "sdk": run_sdk, "sdk_script": run_sdk_script, "sdk_sweep": run_sdk_sweep,
           "requests": run_requests, "collection_writes": run_collection_writes,
           "sdk_writes": run_sdk_writes}


def peak_rss_kb():
    """This process's own peak RSS (VmHWM): ru_maxrss of a child also counts its parent's peak before exec."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return None


def main(argv):
    """Run one client as SPEC_JSON says and print its result line."""
    name, spec = argv[1], json.loads(argv[2])
    stats = {}
    profiler = cProfile.Profile() if spec.get("profile") else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    members = CLIENTS[name](spec, stats)
    if profiler:
        profiler.disable()
        profiler.dump_stats(spec["profile"])
    stats.update(members=len(members), fetch_s=time.perf_counter() - start, peak_rss_kb=peak_rss_kb())
    sys.stdout.write(json.dumps(stats) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
