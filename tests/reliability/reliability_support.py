"""Helpers of the reliability suite: batched playbook cases with per-task timing, and fault set-up."""

import json
import re

import requests

MODULE = 'community.auth0.auth0_org_members_info'
PER_PAGE = 50
# Start-up of one module task plus its handful of local requests, on a loaded CI machine.
TASK_OVERHEAD = 8.0
BACKOFF_BASE = 0.5  # _auth0.BACKOFF_BASE_SECONDS: the wait before retry n is at most BACKOFF_BASE * 2 ** (n - 1)


def members_path(org):
    return '/api/v2/organizations/%s/members' % org.id


def members_regex(org):
    return '^%s$' % re.escape(members_path(org))


def backoff_ceiling(retries):
    """The longest total backoff `retries` retries without Retry-After or X-RateLimit-Reset may wait."""
    return sum(BACKOFF_BASE * 2 ** (number - 1) for number in range(1, retries + 1))


def pass_first_page(tenant, org, token, per_page=PER_PAGE):
    """Let the next request for org's members get the tenant's own first checkpoint page.

    The tenant's faults apply to the next N requests of a path whatever their query, so to put a fault
    in the middle of paging the first page is answered with a copy of what the tenant itself serves for
    it (fetched here, byte for byte); the fault injected next then hits the second page.
    """
    response = requests.get(tenant.base_url + members_path(org), params={'take': per_page},
                            headers={'Authorization': 'Bearer ' + token}, verify=tenant.ca_path, timeout=10)
    response.raise_for_status()
    assert json.loads(response.content)['next'], 'the organization has a single page'
    tenant.inject(members_regex(org), 'status', status=200, body=response.content)


def timed_tasks(task_args):
    """Module tasks with a timestamp task before each and after the last; see task_times()."""
    tasks = []
    for args in task_args:
        tasks.append({'ansible.builtin.set_fact': {'reliability_mark': '{{ now().timestamp() }}'}})
        tasks.append({MODULE: args})
    tasks.append({'ansible.builtin.set_fact': {'reliability_mark': '{{ now().timestamp() }}'}})
    return tasks


def task_results(run):
    """[(registered module result, seconds the task took)] of a run of timed_tasks()."""
    marks = [float(result['ansible_facts']['reliability_mark']) for result in run.results[0::2]]
    return [(result, end - start) for result, start, end in zip(run.results[1::2], marks, marks[1:])]


def member_ids(members):
    return [member.get('user_id') for member in members]


def outcome(result):
    """A short description of a module result for the matrix."""
    if result.get('failed'):
        return 'failed (%s): %s' % (result.get('status', 'no status'), result.get('msg', ''))
    return 'ok: %d members' % result.get('count', -1)


def check_no_traceback(run, result):
    """Problems (list of str) if anything looks like a traceback."""
    problems = []
    if 'Traceback' in run.stdout + run.stderr:
        problems.append('a traceback was printed')
    # ansible-core 2.19 puts this placeholder into every failed result; anything else would be a traceback.
    if result.get('exception', '(traceback unavailable)') != '(traceback unavailable)':
        problems.append('the result carries an exception: %s' % result['exception'][:300])
    if result.get('module_stderr') or result.get('module_stdout'):
        problems.append('the module crashed: %s' % (result.get('module_stderr') or result.get('module_stdout'))[:300])
    return problems
