"""TLS verification on by default, ca_path and validate_certs, and redirects never followed with the token."""

import pytest
import yaml

from ansible_collections.community.auth0.plugins.doc_fragments.auth0 import ModuleDocFragment
from ansible_collections.community.auth0.plugins.module_utils._auth0 import Auth0Client
from ansible_collections.community.auth0.plugins.module_utils._auth0_errors import Auth0ConnectionError
from local_tenant import LocalTenant

from reliability_support import (
    check_no_traceback, member_ids, members_path, members_regex, outcome, task_results, timed_tasks,
)

SYSTEM_BUNDLE = '/etc/ssl/certs/ca-certificates.crt'


def test_certificates_and_redirects_through_ansible(run_playbook, tenant, orgs, matrix_row):
    token = tenant.mint_token()
    base = dict(domain=tenant.domain, token=token, per_page=100, timeout=2, max_retries=1)
    with LocalTenant(tls=False) as elsewhere:
        tenant.inject(members_regex(orgs[3]), 'status', times=1, status=302,
                      headers={'Location': elsewhere.base_url + members_path(orgs[3])})
        tenant.inject(members_regex(orgs[4]), 'status', times=1, status=307,
                      headers={'Location': tenant.base_url + '/api/v2/organizations/%s/members' % orgs[0].id})
        cases = [
            ('self-signed tenant, default validate_certs', 'failure naming the certificate problem and ca_path',
             dict(base, org_id=orgs[0].id), ('TLS failed', 'certificate verify failed', 'ca_path')),
            ('self-signed tenant, ca_path', 'all members', dict(base, org_id=orgs[1].id, ca_path=tenant.ca_path), None),
            ('self-signed tenant, validate_certs: false', 'all members',
             dict(base, org_id=orgs[2].id, validate_certs=False), None),
            ('302 redirect to another host', 'failure, redirect not followed',
             dict(base, org_id=orgs[3].id, ca_path=tenant.ca_path), ('redirect (HTTP 302)', 'not followed')),
            ('307 redirect to another path of the tenant', 'failure, redirect not followed',
             dict(base, org_id=orgs[4].id, ca_path=tenant.ca_path), ('redirect (HTTP 307)', 'not followed')),
        ]
        tenant.reset_log()
        # The suite's environment may point REQUESTS_CA_BUNDLE at the system bundle: that must not matter.
        run = run_playbook(timed_tasks([args for _name, _expected, args, _fragments in cases]),
                           extra_env={'REQUESTS_CA_BUNDLE': SYSTEM_BUNDLE, 'CURL_CA_BUNDLE': SYSTEM_BUNDLE})
        followed = elsewhere.requests
    problems = ['the 302 was followed to another host: %r' % (followed,)] if followed else []
    for (name, expected, args, fragments), org, (result, seconds) in zip(cases, orgs, task_results(run)):
        found = check_no_traceback(run, result)
        if fragments is None:
            if result.get('failed') or member_ids(result.get('members', [])) != org.member_ids():
                found.append('expected every member: %s' % outcome(result))
        else:
            msg = result.get('msg', '')
            if not result.get('failed'):
                found.append('expected a failure: %s' % outcome(result))
            found.extend('message lacks %r: %s' % (fragment, msg) for fragment in fragments if fragment not in msg)
            if 'redirect' in name and tenant.count(members_regex(org)) != 1:
                found.append('%d requests for the redirected path' % tenant.count(members_regex(org)))
        matrix_row('TLS/redirect: ' + name, expected, 'WRONG: ' + '; '.join(found) if found else outcome(result), seconds)
        problems.extend('%s: %s' % (name, problem) for problem in found)
    # The 307 pointed at orgs[0]'s members, which no task reached (its task failed TLS before any request).
    if tenant.count(members_regex(orgs[0])):
        problems.append('the 307 redirect was followed within the tenant')
    assert not problems, '\n'.join(problems)


@pytest.mark.parametrize('variable', ['REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE'])
def test_ca_path_and_validate_certs_beat_the_environment(tenant, orgs, monkeypatch, variable):
    """requests lets these variables override a Session's verify; the client passes verify per request."""
    org = orgs[5]
    token = tenant.mint_token()
    monkeypatch.delenv('REQUESTS_CA_BUNDLE', raising=False)
    monkeypatch.delenv('CURL_CA_BUNDLE', raising=False)
    monkeypatch.setenv(variable, tenant.ca_path)
    with pytest.raises(Auth0ConnectionError) as failure:
        Auth0Client(tenant.domain, token=token, ca_path=SYSTEM_BUNDLE, max_retries=0).organization_members(org_id=org.id)
    assert 'certificate verify failed' in str(failure.value) and 'ca_path' in str(failure.value)
    monkeypatch.setenv(variable, SYSTEM_BUNDLE)
    _org, members = Auth0Client(tenant.domain, token=token, validate_certs=False).organization_members(org_id=org.id)
    assert member_ids(members) == org.member_ids()
    _org, members = Auth0Client(tenant.domain, token=token, ca_path=tenant.ca_path).organization_members(org_id=org.id)
    assert member_ids(members) == org.member_ids()


def test_validate_certs_false_is_documented_as_unsafe():
    options = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)['options']
    assert options['validate_certs']['default'] is True
    assert 'unsafe' in ' '.join(options['validate_certs']['description'])


def test_validate_certs_false_reads_without_a_warning_per_request(tenant, orgs, recwarn):
    """urllib3 warns on every unverified request; the user chose it, so the output is not flooded."""
    org = orgs[5]
    client = Auth0Client(tenant.domain, token=tenant.mint_token(), validate_certs=False)
    _org, members = client.organization_members(org_id=org.id, per_page=50)
    assert member_ids(members) == org.member_ids()
    assert not [warning for warning in recwarn if 'Unverified HTTPS request' in str(warning.message)]
