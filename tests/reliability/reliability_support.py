"""Helpers of the reliability suite: batched playbook cases with per-task timing, and fault set-up."""

import json
import re

import requests

MODULE = 'community.auth0.auth0_org_members_info'
PER_PAGE = 50
# Start-up of one module task plus its handful of local requests, on a loaded CI machine.
TASK_OVERHEAD = 8.0
BACKOFF_BASE = 0.5  # _transport.BACKOFF_BASE_SECONDS: the wait before retry n is at most BACKOFF_BASE * 2 ** (n - 1)
RETRY_JITTER = 1.0  # _rate_limit.RETRY_JITTER_SECONDS: each wait after a 429 gets up to this much on top


def members_path(org):
    return '/api/v2/organizations/%s/members' % org.id


def members_regex(org):
    return '^%s$' % re.escape(members_path(org))


def backoff_ceiling(retries):
    """The longest total backoff `retries` retries without Retry-After or X-RateLimit-Reset may wait."""
    return sum(BACKOFF_BASE * 2 ** (number - 1) for number in range(1, retries + 1))


def throttled_ceiling(count, reset_within=1.0):
    """The longest total wait after `count` 429s whose X-RateLimit-Reset is at most `reset_within` s ahead.

    A reset already past when the answer is read falls back to the backoff; every wait gets jitter.
    """
    return sum(max(reset_within, BACKOFF_BASE * 2 ** (number - 1)) + RETRY_JITTER for number in range(1, count + 1))


def first_offset_query(per_page=PER_PAGE):
    """The first request of a full member read (default fields): offset page 0 with totals."""
    return {'page': '0', 'per_page': str(per_page), 'include_totals': 'true'}


def pass_first_pages(tenant, org, token, per_page=PER_PAGE, checkpoint_pages=0):
    """Let the next requests for org's members get the tenant's own answers to the client's first queries.

    The tenant's faults apply to the next N requests of a path whatever their query, so to put a fault
    in the middle of paging the first answers are copies of what the tenant itself serves for them
    (fetched here, byte for byte): the first offset page with totals and, for an organization too
    large for offset paging, the first `checkpoint_pages` checkpoint pages. The fault injected next
    then hits a later page. Returns the queries answered so, for check_passed_pages().
    """
    queries = [first_offset_query(per_page)]
    answers = [_tenant_page(tenant, org, token, queries[0])]
    first = json.loads(answers[0])
    assert first['total'] > len(first['members']), 'the organization has a single page'
    query = {'take': str(per_page)}
    for _number in range(checkpoint_pages):
        queries.append(query)
        answers.append(_tenant_page(tenant, org, token, query))
        query = {'take': str(per_page), 'from': json.loads(answers[-1])['next']}
    for answer in answers:
        tenant.inject(members_regex(org), 'status', status=200, body=answer)
    return queries


def _tenant_page(tenant, org, token, query):
    response = requests.get(tenant.base_url + members_path(org), params=query,
                            headers={'Authorization': 'Bearer ' + token}, verify=tenant.ca_path, timeout=10)
    response.raise_for_status()
    return response.content


def members_requests(tenant, org):
    """The tenant's log of org's members requests, oldest first."""
    return [record for record in tenant.requests if record.path == members_path(org) and record.method == 'GET']


def check_passed_pages(tenant, org, queries):
    """Problems (list of str) if the copied pages answered other queries than the ones they were copied for."""
    asked = [record.query for record in members_requests(tenant, org)[:len(queries)]]
    if asked != queries:
        return ['the copied pages answered %r, not the %r they were copied for' % (asked, queries)]
    return []


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
