"""No credential reaches anything ansible prints, at -vvvv, on success, on failure and on requests' exceptions.

Playbooks at -vvvv run succeeding and failing tasks with a distinctive access token, client secret
and private keys (in task options and in the environment). Everything a run printed or saved is
scanned for each secret and for its first 12 characters: stdout, stderr, the log file, the tree
callback's JSON results and the registered results (which include the module's `invocation`). The
secrets include what the tenant saw at /oauth/token: every client assertion a module signed and
every token it was issued; a private key is looked for line by line.
"""

import json
import socket

from local_tenant import ALL_SCOPES, LocalTenant, new_rsa_key, private_key_pem

from reliability_support import (
    check_no_traceback, check_passed_pages, members_regex, outcome, pass_first_pages, task_results, timed_tasks,
)

CLIENT_ID = 'reliability-m2m-client'
CLIENT_SECRET = 'RelSecret-7f3c9a1e5b2d4f60-client-secret-do-not-print'
WRONG_SECRET = 'WrongSecret-0a9b8c7d6e5f-another-secret-do-not-print'


def closed_port():
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def fragments_of(secret):
    """The secret, its first 12 characters and, for a JWT, the first 12 of each part (header, claims, signature)."""
    found = {secret, secret[:12]}
    found.update(part[:12] for part in secret.strip().split('.') if len(part) >= 12)
    return found


def pem_lines(pem):
    """The body lines of a PEM key: any one of them printed is part of the key printed."""
    return [line for line in pem.splitlines() if line and not line.startswith('-----')]


def damaged(pem):
    """The key with its body lines reversed: still PEM-shaped, but it cannot be loaded."""
    lines = pem.splitlines()
    return '\n'.join(lines[:1] + [line[::-1] for line in lines[1:-1]] + lines[-1:]) + '\n'


def scan(texts, secrets):
    """[(where, fragment)] of every secret fragment found in texts {where: text}."""
    fragments = set()
    for secret in secrets:
        fragments |= fragments_of(secret)
    return sorted((where, fragment) for where, text in texts.items() for fragment in fragments if fragment in text)


def run_at_vvvv(run_playbook, tmp_path, cases, extra_env):
    """Run the cases' tasks at -vvvv with a log file and the tree callback; (run, {where: text printed or saved})."""
    log_path = tmp_path / 'ansible.log'
    tree = tmp_path / 'tree'
    run = run_playbook(timed_tasks([args for _name, _ok, args in cases]), verbosity=4, extra_env=dict(extra_env, **{
        'ANSIBLE_LOG_PATH': str(log_path),
        'ANSIBLE_CALLBACKS_ENABLED': 'ansible.builtin.tree', 'ANSIBLE_CALLBACK_TREE_DIR': str(tree),
    }))
    texts = {'stdout': run.stdout, 'stderr': run.stderr, 'registered results': json.dumps(run.results),
             'log file': log_path.read_text()}
    texts.update(('tree callback %s' % path.name, path.read_text()) for path in tree.iterdir())
    # At -vvvv each result is printed with its invocation (the module's arguments, secrets masked).
    assert run.stdout.count('"module_args"') >= len(cases), 'the invocations were not printed'
    assert len(texts) > 4, 'the tree callback wrote nothing'
    return run, texts


def problems_of(run, texts, cases, secrets, matrix_row):
    """Each case's outcome and leaks (one matrix row per case), then leaks anywhere in the run's output."""
    problems = []
    for (name, succeeds, _args), (result, seconds) in zip(cases, task_results(run)):
        found = check_no_traceback(run, result)
        if bool(result.get('failed')) == succeeds:
            found.append('expected %s: %s' % ('success' if succeeds else 'failure', outcome(result)))
        leaks = scan({'result': json.dumps(result)}, secrets)
        found.extend('%s in the result' % fragment for _where, fragment in leaks)
        matrix_row('secrets at -vvvv: ' + name, 'no secret printed; ' + ('success' if succeeds else 'failure'),
                   'LEAK/WRONG: ' + '; '.join(found) if found else outcome(result)[:120] + '; no secret printed', seconds)
        problems.extend('%s: %s' % (name, problem) for problem in found)
    leaks = scan(texts, secrets)
    problems.extend('%r found in %s' % (fragment, where) for where, fragment in leaks)
    return problems


def test_no_secret_in_anything_ansible_prints(run_playbook, tenant, orgs, matrix_row, tmp_path):
    tenant.add_client(CLIENT_ID, CLIENT_SECRET, ALL_SCOPES)
    token = tenant.mint_token()
    expired = tenant.mint_token(expires_in=-60)
    key_client = tenant.private_key_client
    unknown_key = private_key_pem(new_rsa_key())
    with LocalTenant(tls=False) as elsewhere:
        redirect_to = elsewhere.base_url + '/api/v2/organizations/%s/members' % orgs[4].id
        passed = pass_first_pages(tenant, orgs[0], token, per_page=100)
        tenant.inject(members_regex(orgs[0]), 'reset', times=1)
        tenant.inject(members_regex(orgs[1]), 'status', times=50, status=503)
        tenant.inject(members_regex(orgs[2]), 'reset', times=50)
        tenant.inject(members_regex(orgs[4]), 'status', times=1, status=302, headers={'Location': redirect_to})
        tenant.inject(members_regex(orgs[11]), 'status', times=50, status=429)
        tenant.inject(members_regex(orgs[14]), 'expire_token', times=1)
        connection = dict(domain=tenant.domain, ca_path=tenant.ca_path, per_page=100, timeout=2, max_retries=1)
        minting = dict(connection, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
        signing = dict(connection, client_id=key_client.client_id, client_assertion_private_key=key_client.private_key_pem)
        cases = [
            ('success, static token, a connection reset mid-paging', True, dict(connection, token=token, org_id=orgs[0].id)),
            ('HTTP 503 forever, static token', False, dict(connection, token=token, org_id=orgs[1].id)),
            ('connection reset forever, static token', False, dict(connection, token=token, org_id=orgs[2].id)),
            ('connection refused (requests exception with the URL)', False,
             dict(connection, domain='127.0.0.1:%d' % closed_port(), token=token, org_id=orgs[3].id)),
            ('redirect to another host, static token', False, dict(connection, token=token, org_id=orgs[4].id)),
            ('expired static token', False, dict(connection, token=expired, org_id=orgs[5].id)),
            ('static token with a trailing newline (requests InvalidHeader)', False,
             dict(connection, token=token + '\n', org_id=orgs[6].id)),
            ('success, client credentials', True, dict(minting, org_id=orgs[7].id)),
            ('success, client credentials from AUTH0_CLIENT_ID/AUTH0_CLIENT_SECRET', True,
             dict(connection, org_id=orgs[8].id)),
            ('wrong client secret', False, dict(minting, client_secret=WRONG_SECRET, org_id=orgs[9].id)),
            ('client credentials, token endpoint unreachable', False,
             dict(minting, domain='127.0.0.1:%d' % closed_port(), org_id=orgs[10].id)),
            ('HTTP 429 past rate_limit_timeout (1 s), static token', False,
             dict(connection, token=token, org_id=orgs[11].id, rate_limit_timeout=1)),
            ('success, private key JWT', True, dict(signing, org_id=orgs[12].id)),
            ('private key JWT, a key Auth0 does not know (401 invalid_client)', False,
             dict(signing, client_assertion_private_key=unknown_key, org_id=orgs[13].id)),
            ('private key JWT, a damaged key (refused before any request)', False,
             dict(signing, client_assertion_private_key=damaged(unknown_key), org_id=orgs[13].id)),
            ('success, private key JWT, the token expires mid-run (a second assertion)', True,
             dict(signing, org_name=orgs[14].name)),
        ]
        tenant.reset_log()
        run, texts = run_at_vvvv(run_playbook, tmp_path, cases,
                                 {'AUTH0_CLIENT_ID': CLIENT_ID, 'AUTH0_CLIENT_SECRET': CLIENT_SECRET})
        assert not elsewhere.requests, 'the redirect was followed to %s' % elsewhere.base_url
    seen = tenant.credentials_seen
    # Two client-credentials tokens; one assertion and token, one refused assertion, and two assertions and
    # tokens (the token expired mid-run) for Private Key JWT.
    assert len(seen) == 2 + 2 + 1 + 4, 'the tenant saw %d assertions and tokens' % len(seen)
    secrets = [token, expired, CLIENT_SECRET, WRONG_SECRET] + seen
    secrets += pem_lines(key_client.private_key_pem) + pem_lines(unknown_key) + pem_lines(damaged(unknown_key))
    problems = check_passed_pages(tenant, orgs[0], passed) + problems_of(run, texts, cases, secrets, matrix_row)
    assert not problems, '\n'.join(problems)


def test_no_private_key_from_the_environment_is_printed(run_playbook, tenant, orgs, matrix_row, tmp_path):
    key_client = tenant.private_key_client
    connection = dict(domain=tenant.domain, ca_path=tenant.ca_path, per_page=100, timeout=2, max_retries=1)
    cases = [
        ('success, private key JWT from AUTH0_CLIENT_ASSERTION_PRIVATE_KEY', True, dict(connection, org_id=orgs[15].id)),
        ('private key JWT from the environment, wrong AUTH0_CLIENT_ASSERTION_SIGNING_ALG (401)', False,
         dict(connection, client_assertion_signing_alg='PS256', org_id=orgs[15].id)),
    ]
    run, texts = run_at_vvvv(run_playbook, tmp_path, cases, {
        'AUTH0_CLIENT_ID': key_client.client_id, 'AUTH0_CLIENT_ASSERTION_PRIVATE_KEY': key_client.private_key_pem})
    seen = tenant.credentials_seen
    assert len(seen) == 3, 'expected two assertions and one token, the tenant saw %d credentials' % len(seen)
    secrets = seen + pem_lines(key_client.private_key_pem)
    problems = problems_of(run, texts, cases, secrets, matrix_row)
    assert not problems, '\n'.join(problems)
