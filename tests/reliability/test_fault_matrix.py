"""The fault matrix of issue 5, through real ansible-playbook runs against the local tenant.

Each case is one module task reading one organization, 50 members a page, with a fault of the local
tenant injected on that organization's members path. Organizations of 250 members are read by offset
paging (the first page's total says how many); faults that only checkpoint paging can meet (cursors,
the empty last page) use organizations of 1,050 members, past Auth0's 1000-record offset cap.
A case either succeeds with every member exactly once, in the tenant's order, or fails with a
message naming what went wrong, with no member list and no traceback; and the task takes no longer
than its timeout, max_retries and rate_limit_timeout allow.
Cases are batched several to a playbook (each on its own organization) to keep the suite fast;
a timestamp task between them times each one.
"""

import time

from reliability_support import (
    PER_PAGE, TASK_OVERHEAD, backoff_ceiling, check_no_traceback, check_passed_pages, member_ids, members_path,
    members_regex, members_requests, outcome, pass_first_pages, task_results, throttled_ceiling, timed_tasks,
)

FIELDS = ('user_id', 'email', 'picture', 'name')
PAGES = 5  # 250 members, 50 a page: offset pages 0-4, the first with include_totals
CHECKPOINT_PAGES = 6  # 250 members by checkpoint: 5 pages with `next`, then the empty page that ends the list
LARGE_CHECKPOINT_PAGES = 22  # 1,050 members by checkpoint: 21 pages with `next`, then the empty page
LARGE_READ = 1 + LARGE_CHECKPOINT_PAGES  # the offset page whose total is past the cap, then checkpoint paging


class Case:
    """One row of the matrix.

    inject: [(fault, times, params)] for the organization's members path, in order; large: the case
    reads an organization of 1,050 members (checkpoint paging); mid: the first offset page (and, for
    a large organization, the first checkpoint page) passes untouched so the faults hit a later page;
    expected: 'all members' or 'failure'; fragments: what a failure message must say, absent: what it
    must not; requests: how many members requests the tenant must see (a number, or (least, most));
    by_checkpoint: how many of them are checkpoint requests (take/from); waits: the longest total
    wait the options allow, added to TASK_OVERHEAD for the time bound; at_least: the shortest time
    the task may take (waits it must honour).
    """

    def __init__(self, fault, inject, expected='all members', large=False, mid=False, args=None, fragments=(),
                 absent=(), status=None, requests=None, by_checkpoint=0, waits=0.0, at_least=0.0):
        self.fault = fault
        self.inject = inject
        self.expected = expected
        self.large = large
        self.mid = mid
        self.args = args or {}
        self.fragments = fragments
        self.absent = absent
        self.status = status
        self.requests = requests
        self.by_checkpoint = by_checkpoint
        self.waits = waits
        self.at_least = at_least


def run_cases(cases, run_playbook, tenant, orgs, matrix_row, large_orgs=(), base_args=None):
    """Run cases in one playbook, each on its own organization; fail listing every case that went wrong."""
    token = tenant.mint_token()
    small, large = iter(orgs), iter(large_orgs)
    case_orgs = [next(large if case.large else small) for case in cases]
    passed = []
    task_args = []
    for case, org in zip(cases, case_orgs):
        passed.append(pass_first_pages(tenant, org, token, checkpoint_pages=1 if case.large else 0)
                      if case.mid else [])
        for fault, times, params in case.inject:
            tenant.inject(members_regex(org), fault, times=times, **params)
        args = dict(domain=tenant.domain, ca_path=tenant.ca_path, token=token, org_id=org.id, per_page=PER_PAGE,
                    timeout=2, max_retries=2)
        args.update(base_args or {})
        args.update(case.args)
        task_args.append(dict((key, value) for key, value in args.items() if value is not None))
    tenant.reset_log()
    run = run_playbook(timed_tasks(task_args))
    problems = []
    for case, org, queries, (result, seconds) in zip(cases, case_orgs, passed, task_results(run)):
        found = check_case(case, org, result, seconds, run, tenant) + check_passed_pages(tenant, org, queries)
        sent = members_requests(tenant, org)
        observed = '%s; %d members requests, %d by checkpoint' % (outcome(result), len(sent), by_checkpoint(sent))
        matrix_row(case.fault, case.expected, observed if not found else 'WRONG: ' + '; '.join(found), seconds)
        problems.extend('%s: %s' % (case.fault, problem) for problem in found)
    assert not problems, '\n'.join(problems)
    return run


def check_case(case, org, result, seconds, run, tenant):
    problems = check_no_traceback(run, result)
    if case.expected == 'all members':
        if result.get('failed'):
            problems.append('failed instead of returning every member: %s' % result.get('msg'))
        else:
            expected = [dict((key, member[key]) for key in FIELDS) for member in org.members]
            got = result.get('members') or []
            if member_ids(got) != member_ids(expected):
                problems.append('%d members returned, %d distinct, %d expected' % (
                    len(got), len(set(member_ids(got))), len(expected)))
            elif got != expected:
                problems.append('members differ from the tenant data')
            if result.get('count') != len(expected):
                problems.append('count %r' % result.get('count'))
    else:
        if not result.get('failed'):
            problems.append('succeeded with %r members instead of failing' % result.get('count'))
        if 'members' in result or 'count' in result:
            problems.append('a failed task returned a (partial) member list')
        msg = result.get('msg') or ''
        problems.extend('message lacks %r: %s' % (fragment, msg) for fragment in case.fragments if fragment not in msg)
        problems.extend('message says %r: %s' % (fragment, msg) for fragment in case.absent if fragment in msg)
        if case.status is not None and result.get('status') != case.status:
            problems.append('status %r, expected %r' % (result.get('status'), case.status))
    if case.requests is not None:
        problems.extend(check_requests(case, members_requests(tenant, org)))
    problems.extend(check_rate_limit_waits(tenant.answers_to(members_path(org))))
    bound = TASK_OVERHEAD + case.waits
    if seconds > bound:
        problems.append('took %.1f s, more than the %.1f s its timeout, max_retries and rate_limit_timeout allow'
                        % (seconds, bound))
    if seconds < case.at_least:
        problems.append('took %.1f s, less than the %.1f s it had to wait' % (seconds, case.at_least))
    return problems


def check_requests(case, sent):
    least, most = case.requests if isinstance(case.requests, tuple) else (case.requests, case.requests)
    problems = []
    if not least <= len(sent) <= most:
        problems.append('%d members requests, expected %s' % (
            len(sent), least if least == most else 'from %d to %d' % (least, most)))
    if by_checkpoint(sent) != case.by_checkpoint:
        problems.append('%d of them by checkpoint, expected %d' % (by_checkpoint(sent), case.by_checkpoint))
    return problems


def by_checkpoint(sent):
    return sum(1 for record in sent if 'take' in record.query or 'from' in record.query)


def check_rate_limit_waits(answers):
    """After each 429, the next request came no earlier than Retry-After, or else X-RateLimit-Reset, said."""
    problems = []
    for answer, following in zip(answers, answers[1:]):
        if answer.status != 429:
            continue
        retry_after = answer.headers.get('Retry-After')
        if retry_after is not None:
            not_before = answer.arrived + float(retry_after)
            told = 'Retry-After: %s' % retry_after
        else:
            not_before = int(answer.headers['X-RateLimit-Reset'])
            told = 'X-RateLimit-Reset: %d' % not_before
        if following.arrived < not_before:
            problems.append('retried %.2f s before the 429 allowed it (%s)' % (not_before - following.arrived, told))
    return problems


def status(code, times):
    return ('status', times, dict(status=code))


def test_transient_faults_are_retried_and_nothing_is_lost(run_playbook, tenant, orgs, large_orgs, matrix_row):
    # max_retries 2, timeout 2 unless the case says otherwise.
    cases = [Case('HTTP %d on the first request' % code, [status(code, 1)], requests=PAGES + 1, waits=backoff_ceiling(1))
             for code in (500, 502, 503, 504)]
    cases += [Case('HTTP %d twice in the middle of paging' % code, [status(code, 2)], mid=True, requests=PAGES + 2,
                   waits=backoff_ceiling(2))
              for code in (500, 502, 503, 504)]
    cases += [
        Case('HTTP 503 twice in the middle of checkpoint paging (1,050 members)', [status(503, 2)], large=True, mid=True,
             requests=LARGE_READ + 2, by_checkpoint=LARGE_CHECKPOINT_PAGES + 2, waits=backoff_ceiling(2)),
        # 429s are not bounded by max_retries (2) but by rate_limit_timeout (default 300 s).
        Case('429 burst (3, more than max_retries) with X-RateLimit-Reset', [status(429, 3)], requests=PAGES + 3,
             waits=throttled_ceiling(3)),
        Case('429 with Retry-After: 2', [('status', 1, dict(status=429, headers={'Retry-After': '2'}))],
             requests=PAGES + 1, waits=throttled_ceiling(1, reset_within=2), at_least=2.0),
        Case('429 with Retry-After: 1 in the middle of paging', [('status', 1, dict(status=429, headers={'Retry-After': '1'}))],
             mid=True, requests=PAGES + 1, waits=throttled_ceiling(1), at_least=1.0),
        Case('connection reset on the first request', [('reset', 1, {})], requests=PAGES + 1, waits=backoff_ceiling(1)),
        Case('connection reset twice in the middle of paging', [('reset', 2, {})], mid=True, requests=PAGES + 2,
             waits=backoff_ceiling(2)),
        Case('stall past timeout (1 s) once', [('stall', 1, dict(seconds=1.5))], args=dict(timeout=1), requests=PAGES + 1,
             waits=1 + backoff_ceiling(1), at_least=1.0),
        Case('HTML 502 page from a proxy, once, mid-paging', [('html', 1, {})], mid=True, requests=PAGES + 1,
             waits=backoff_ceiling(1)),
        # The membership looks changed between offset pages: the whole list is read again by checkpoint.
        Case('offset page that repeats members of the page before, mid-paging (re-read by checkpoint)',
             [('repeat_members', 1, {})], mid=True, requests=2 + CHECKPOINT_PAGES, by_checkpoint=CHECKPOINT_PAGES),
    ]
    run_cases(cases, run_playbook, tenant, orgs, matrix_row, large_orgs=large_orgs)


def test_persistent_and_bad_answers_fail_clearly(run_playbook, tenant, orgs, large_orgs, matrix_row):
    retries = 2
    patience = 4  # rate_limit_timeout of the 429-forever case
    cases = [
        # Every retry waits for the next reset, a second at most ahead: at least two retries fit into 4 s, and
        # there is at most one request per second (plus the requests' own time). max_retries 0 plays no part.
        Case('429 forever (rate_limit_timeout 4, max_retries 0)', [status(429, 50)], expected='failure', status=429,
             args=dict(rate_limit_timeout=patience, max_retries=0), requests=(3, patience + 3), waits=patience,
             fragments=("Auth0's rate limit was hit", 'rate_limit_timeout (%d s' % patience, 'The limit resets at',
                        'Raise rate_limit_timeout', '(page 1)'),
             absent=('max_retries',)),
        Case('429 with rate_limit_timeout 0', [status(429, 50)], expected='failure', status=429,
             args=dict(rate_limit_timeout=0), requests=1,
             fragments=("Auth0's rate limit was hit", 'rate_limit_timeout (0 s', 'The limit resets at')),
        Case('HTTP 503 forever, mid-paging', [status(503, 50)], expected='failure', mid=True, status=503,
             requests=1 + retries + 1, waits=backoff_ceiling(retries),
             fragments=('HTTP 503', 'after %d retries' % retries, '(page 2)')),
        Case('connection reset forever, mid-paging', [('reset', 50, {})], expected='failure', mid=True,
             requests=1 + retries + 1, waits=backoff_ceiling(retries),
             fragments=('Could not connect to %s' % tenant.domain, '(page 2)', '%d retries' % retries)),
        Case('stall past timeout (1 s) forever', [('stall', 50, dict(seconds=2))], expected='failure', args=dict(timeout=1),
             requests=None, waits=(retries + 1) * 1 + backoff_ceiling(retries), at_least=retries + 1,
             fragments=('Timed out after 1 seconds', tenant.domain, 'Raise timeout or max_retries')),
        Case('HTML 502 page from a proxy, forever', [('html', 50, {})], expected='failure', status=502,
             requests=retries + 1, waits=backoff_ceiling(retries),
             fragments=('HTTP 502', 'after %d retries' % retries, 'text/html')),
        Case('malformed JSON, mid-paging', [('malformed', 1, {})], expected='failure', mid=True, status=200, requests=2,
             fragments=('not JSON', 'no data is returned')),
        Case('empty body, mid-paging', [('empty', 1, {})], expected='failure', mid=True, status=200, requests=2,
             fragments=('not JSON', 'empty body')),
        Case('body of the wrong shape, mid-paging', [('wrong_shape', 1, {})], expected='failure', mid=True, requests=2,
             fragments=('without a list of members', '(page 2)')),
        Case('members that are not objects',
             [('wrong_shape', 1, dict(body={'members': ['auth0|x'], 'start': 0, 'limit': 50, 'total': 1}))],
             expected='failure', requests=1, fragments=('not an object',)),
        Case('first offset page without a total',
             [('wrong_shape', 1, dict(body={'members': [{'user_id': 'auth0|x'}], 'start': 0, 'limit': 50}))],
             expected='failure', requests=1, fragments=('without a usable total', 'rather than a partial list')),
        Case('cursor that repeats, mid checkpoint paging (1,050 members)', [('cursor_loop', 1, {})], expected='failure',
             large=True, mid=True, requests=3, by_checkpoint=2, fragments=('same paging cursor twice', '(page 2)')),
        Case('cursor that never ends (empty page with next), mid checkpoint paging (1,050 members)',
             [('wrong_shape', 1, dict(body={'members': [], 'next': 'bmV2ZXItZW5kcw'}))], expected='failure', large=True,
             mid=True, requests=3, by_checkpoint=2, fragments=('no members but a cursor',)),
        Case('checkpoint page that repeats members, mid-paging (1,050 members)', [('repeat_members', 1, {})],
             expected='failure', large=True, mid=True, requests=3, by_checkpoint=2,
             fragments=('twice', 'stopping rather than', '(page 2)')),
    ]
    run_cases(cases, run_playbook, tenant, orgs, matrix_row, large_orgs=large_orgs,
              base_args=dict(max_retries=retries, timeout=2))


def test_429_waits_until_x_ratelimit_reset(run_playbook, tenant, orgs, matrix_row):
    """The retry after a 429 is not sent before X-RateLimit-Reset, nor much after it, and the run then completes."""
    org = orgs[0]
    reset = int(time.time()) + 6  # ansible-playbook starts well within this, so the client really has to wait
    case = Case('429 with X-RateLimit-Reset %d s ahead' % (reset - time.time()),
                [('status', 1, dict(status=429, headers={'X-RateLimit-Reset': str(reset)}))],
                requests=PAGES + 1, waits=throttled_ceiling(1, reset_within=6))
    run_cases([case], run_playbook, tenant, [org], matrix_row)
    rate_limited, retry = tenant.answers_to(members_path(org))[:2]
    assert rate_limited.status == 429 and rate_limited.arrived < reset - 1, 'the 429 came too late to prove a wait'
    assert retry.arrived >= reset, 'retried %.2f s before X-RateLimit-Reset' % (reset - retry.arrived)
    # Up to a second of jitter, then the time to send on a loaded machine.
    assert retry.arrived < reset + 2.5, 'waited %.2f s past X-RateLimit-Reset' % (retry.arrived - reset)


def test_token_expiring_mid_paging(run_playbook, tenant, orgs, matrix_row):
    """Static token: a clear 401. Client credentials: one more token, then paging goes on.

    The static-token task runs first: the tenant's expire_token fault expires every token minted so far.
    """
    static = Case('access token expires mid-paging (static token)', [('expire_token', 1, {})], expected='failure',
                  mid=True, status=401, requests=2,
                  fragments=('Auth0 rejected the access token', '(page 2)', 'Expired token received',
                             'client_id and client_secret'))
    minted = Case('access token expires mid-paging (client credentials)', [('expire_token', 1, {})], mid=True,
                  requests=PAGES + 1, args=dict(token=None, client_id=tenant.client_id, client_secret=tenant.client_secret))

    run_cases([static, minted], run_playbook, tenant, orgs, matrix_row)
    tokens = tenant.count(r'^/oauth/token$', method='POST')
    assert tokens == 2, 'expected the run to get one token, then exactly one more after expiry; it got %d' % tokens


def test_token_endpoint_faults_with_private_key_jwt(run_playbook, tenant, orgs, matrix_row):
    """Faults on /oauth/token while a Private Key JWT application gets its token.

    The token endpoint's faults apply to its next requests in the order injected, whichever task sends
    them, so each run has one task. Only the attempt that gets through reaches the tenant's checks,
    which would refuse a replayed assertion.
    """
    key_client = tenant.private_key_client
    signing = dict(token=None, client_id=key_client.client_id, client_assertion_private_key=key_client.private_key_pem)
    transient = Case('private key JWT: HTTP 503, a connection reset, then 429 (Retry-After: 1) from /oauth/token', [],
                     args=signing, waits=backoff_ceiling(2) + 1.0, at_least=1.0)
    persistent = Case('private key JWT: HTTP 503 forever from /oauth/token', [], args=signing, expected='failure',
                      status=503, waits=backoff_ceiling(2), requests=0,
                      fragments=('HTTP 503', 'requesting a Management API token for client %r' % key_client.client_id,
                                 'after 2 retries'))
    try:
        for fault, params in [('status', dict(status=503)), ('reset', {}),
                              ('status', dict(status=429, headers={'Retry-After': '1'}))]:
            tenant.inject(r'^/oauth/token$', fault, **params)
        run_cases([transient], run_playbook, tenant, orgs, matrix_row)
        assert tenant.count(r'^/oauth/token$', method='POST') == 4
        assert len(tenant.credentials_seen) == 2, 'one assertion and one token'
        tenant.inject(r'^/oauth/token$', 'status', times=50, status=503)
        run_cases([persistent], run_playbook, tenant, orgs, matrix_row)
        assert tenant.count(r'^/oauth/token$', method='POST') == 3
    finally:
        tenant.clear_faults()
