"""The module end to end as users run it (issues #4 and #12), on each ansible-core given.

For each ansible-core (the oldest and the newest the collection supports): `ansible-playbook` with
the module task registered, the same playbook with a module that returns the same members from a
file (ansible-core's floor: benchmarks/floor/members_from_file.py), the ad hoc `ansible -m` runs of
both (which print every member), `ansible -m ping`, the collection client's own fetch and a
Python script using the SDK, all on that installation's Python, at 0 ms.
"""

from report_format import fmt, median_of, verdict

RUNS = ("playbook_module", "playbook_floor", "module", "floor_module", "collection", "sdk_script", "ping")
LABELS = {
    "playbook_module": "module task, ansible-playbook + register",
    "playbook_floor": "floor task (members from a file), ansible-playbook + register",
    "module": "module, ad hoc `ansible -m` (prints every member)",
    "floor_module": "floor module, ad hoc `ansible -m`",
    "ping": "`ansible localhost -m ping`",
    "collection": "collection client's own fetch (in-process)",
    "sdk_script": "Python script with auth0-python (whole run)",
}
TASK_FACTOR = 1.2  # issue #12: the module task within the floor plus 1.2x the client's own fetch time
SCRIPT_FACTOR = 1.5  # issue #4: the module end to end within 1.5x a script using the SDK
RSS_FACTOR = 4  # issue #4: the module process under 4x the JSON the tenant sent


def run(bench, rounds):
    """Every run of RUNS, for each core and each size in `rounds` ({members: rounds}); ping once a round at the first size."""
    first_size = min(rounds)
    for core in bench.cores:
        bench.say("end to end on %s" % core.label)
        # Unmeasured: the first run of each kind compiles its imports into the benchmark's bytecode cache.
        for client in RUNS:
            bench.measure(client, 0 if client == "ping" else first_size, 0, phase="e2e_warmup", core=core)
        for members, count in sorted(rounds.items()):
            for round_no in range(count):
                shift = round_no % len(RUNS)
                for client in RUNS[shift:] + RUNS[:shift]:
                    if client == "ping" and members != first_size:
                        continue
                    bench.measure(client, 0 if client == "ping" else members, 0, phase="e2e", core=core)


def _rows(log, core, client, members):
    return [row for row in log if row["phase"] == "e2e" and row.get("core") == core and row["client"] == client
            and row["members"] == members]


def report(log, json_bytes):
    """Targets and one table per ansible-core."""
    e2e = [row for row in log if row["phase"] == "e2e"]
    if not e2e:
        return []
    cores = list(dict.fromkeys((row["core"], row["python"]) for row in e2e))
    sizes = sorted({row["members"] for row in e2e if row["members"]})
    lines = ["", "### Module end to end as users run it (0 ms, median of the runs)", ""]
    for core, python in cores:
        lines += _targets(log, core, python, sizes, json_bytes)
    for core, python in cores:
        lines += ["", "#### ansible-core %s, Python %s" % (core, python), "",
                  "| run | members | runs | wall (s) | CPU of the process tree (s) | module process wall (s) | "
                  "module process CPU (s) | fetch (s) | peak RSS (MB) |", "|---|---|---|---|---|---|---|---|---|"]
        for members in [0] + sizes:
            for client in RUNS:
                rows = _rows(log, core, client, members)
                if rows:
                    lines.append("| %s | %s | %d | %.2f | %.2f | %s | %s | %s | %d |" % (
                        LABELS[client], members or "-", len(rows), median_of(rows, "wall_s"), median_of(rows, "cpu_s"),
                        fmt(median_of(rows, "module_wall_s")), fmt(median_of(rows, "module_cpu_s")), fmt(median_of(rows, "fetch_s")),
                        max(row["peak_rss_kb"] for row in rows) // 1024))
    return lines


def _targets(log, core, python, sizes, json_bytes):
    lines = []
    parts, ok = [], True
    for members in sizes:
        task = median_of(_rows(log, core, "playbook_module", members), "wall_s")
        floor = median_of(_rows(log, core, "playbook_floor", members), "wall_s")
        fetch = median_of(_rows(log, core, "collection", members), "fetch_s")
        if task is None or floor is None or fetch is None:
            continue
        allowed = floor + TASK_FACTOR * fetch
        ok = ok and task <= allowed
        parts.append("%d members: task %.2f s vs floor %.2f s + %.1f x fetch %.2f s = %.2f s (%.2f s over the floor)"
                     % (members, task, floor, TASK_FACTOR, fetch, allowed, task - floor))
    if parts:
        lines.append("- ansible-core %s (Python %s): module task (ansible-playbook, register) within the floor task plus %.1fx "
                     "the client's own fetch: %s (%s)." % (core, python, TASK_FACTOR, verdict(ok), "; ".join(parts)))
    members = min(sizes)
    module = median_of(_rows(log, core, "module", members), "wall_s")
    script = median_of(_rows(log, core, "sdk_script", members), "wall_s")
    floor = median_of(_rows(log, core, "floor_module", members), "wall_s")
    ping = median_of(_rows(log, core, "ping", 0), "wall_s")
    if module and script and floor and ping:
        lines.append("  - Issue #4's target, ad hoc `ansible -m` within %.1fx a Python script using the SDK at %d members: %s "
                     "(module %.2f s, SDK script %.2f s: %.2fx). Below ansible-core's own floor: the ad hoc floor module takes "
                     "%.2f s (%.2fx) and `ansible -m ping` %.2f s (%.2fx)." % (
                         SCRIPT_FACTOR, members, verdict(module <= SCRIPT_FACTOR * script), module, script, module / script,
                         floor, floor / script, ping, ping / script))
    biggest = max(sizes)
    module_rows, floor_rows = _rows(log, core, "module", biggest), _rows(log, core, "floor_module", biggest)
    sent = json_bytes.get(biggest)
    if module_rows and floor_rows and sent:
        rss = max(row["peak_rss_kb"] for row in module_rows) * 1024
        floor_rss = max(row["peak_rss_kb"] for row in floor_rows) * 1024
        lines.append("  - Issue #4's target, module process peak RSS at %d members under %dx the JSON the tenant sent: %s "
                     "(%.0f MB vs %.1f MB of JSON = %.2fx; the floor module holding the same members peaks at %.0f MB = %.2fx)." % (
                         biggest, RSS_FACTOR, verdict(rss < RSS_FACTOR * sent), rss / 2 ** 20, sent / 2 ** 20, rss / sent,
                         floor_rss / 2 ** 20, floor_rss / sent))
    return lines
