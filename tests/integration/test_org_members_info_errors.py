"""Each Auth0 error status reaches the playbook as a failure a person can act on."""

import pytest

MEMBERS_PATH = r'^/api/v2/organizations/[^/]+/members$'


def failure(run_playbook, args, **kwargs):
    run = run_playbook(args, **kwargs)
    result = run.result
    assert result.get('failed') is True, result
    assert 'Traceback' not in run.output()
    # ansible-core 2.19 puts this placeholder into every failed result; anything else would be a traceback.
    assert result.get('exception', '(traceback unavailable)') == '(traceback unavailable)'
    return result


def test_401_expired_token(run_playbook, connection, orgs, tenant):
    args = dict(connection, org_id=orgs['tiny'].id, token=tenant.mint_token(expires_in=-60))
    result = failure(run_playbook, args)
    assert result['status'] == 401
    assert 'Expired token received for JSON Web Token validation' in result['msg']
    assert 'expired' in result['msg'] and 'client_id' in result['msg']


def test_401_foreign_signature(run_playbook, connection, orgs, tenant):
    args = dict(connection, org_id=orgs['tiny'].id, token=tenant.mint_token(sign_with_foreign_key=True))
    result = failure(run_playbook, args)
    assert result['status'] == 401
    assert 'Invalid signature' in result['msg'] and 'not signed by this tenant' in result['msg']


def test_401_wrong_audience(run_playbook, connection, orgs, tenant):
    args = dict(connection, org_id=orgs['tiny'].id, token=tenant.mint_token(audience='https://elsewhere.example.com/api/v2/'))
    result = failure(run_playbook, args)
    assert result['status'] == 401
    assert 'audience must be' in result['msg']


@pytest.mark.parametrize('include_roles, missing_scope', [
    (False, 'read:organization_members'),
    (True, 'read:organization_member_roles'),
])
def test_403_names_the_missing_scope(run_playbook, connection, orgs, tenant, include_roles, missing_scope):
    scopes = ['read:organizations', 'read:organization_members', 'read:organization_member_roles']
    scopes.remove(missing_scope)
    args = dict(connection, org_id=orgs['tiny'].id, include_roles=include_roles, token=tenant.mint_token(scopes=scopes))
    result = failure(run_playbook, args)
    assert result['status'] == 403
    assert result['error_code'] == 'insufficient_scope'
    assert missing_scope in result['msg']


def test_403_org_name_needs_read_organizations(run_playbook, connection, tenant):
    token = tenant.mint_token(scopes=['read:organization_members'])
    result = failure(run_playbook, dict(connection, org_name='tiny', token=token))
    assert result['status'] == 403
    assert 'read:organizations' in result['msg']


def test_404_names_the_organization(run_playbook, connection):
    result = failure(run_playbook, dict(connection, org_id='org_doesnotexist0000'))
    assert result['status'] == 404
    assert "Organization 'org_doesnotexist0000' was not found" in result['msg']
    result = failure(run_playbook, dict(connection, org_name='no-such-org'))
    assert result['status'] == 404
    assert "'no-such-org'" in result['msg']


def test_400_invalid_paging_explains_the_offset_cap(run_playbook, connection, orgs):
    result = failure(run_playbook, dict(connection, org_id=orgs['acme'].id, page=10, per_page=100))
    assert result['status'] == 400
    assert result['error_code'] == 'invalid_paging'
    assert '1000 records' in result['msg'] and 'Omit page' in result['msg']


def test_429_past_rate_limit_timeout_names_the_rate_limit_and_reset(run_playbook, connection, orgs, tenant):
    tenant.inject(MEMBERS_PATH, 'status', times=10, status=429)
    result = failure(run_playbook, dict(connection, org_id=orgs['tiny'].id, rate_limit_timeout=0))
    assert result['status'] == 429
    assert result['error_code'] == 'too_many_requests'
    assert 'rate limit' in result['msg'] and 'resets at' in result['msg'] and 'rate_limit_timeout' in result['msg']
    assert tenant.count(MEMBERS_PATH) == 1


def test_429s_are_waited_out_whatever_max_retries_says(run_playbook, connection, orgs, tenant):
    tenant.inject(MEMBERS_PATH, 'status', times=3, status=429)
    result = run_playbook(dict(connection, org_id=orgs['tiny'].id, max_retries=0)).result
    assert not result.get('failed'), result.get('msg')
    assert result['count'] == len(orgs['tiny'].members)
    assert tenant.count(MEMBERS_PATH) == 4


def test_bad_org_id_is_refused_before_any_request(run_playbook, connection, tenant):
    result = failure(run_playbook, dict(connection, org_id='../../users'))
    assert 'org_id' in result['msg']
    assert tenant.count() == 0


def test_http_to_a_remote_host_is_refused(run_playbook, connection, tenant):
    result = failure(run_playbook, dict(connection, org_id='org_abc', domain='http://travel0.us.auth0.com'))
    assert 'http://' in result['msg'] and 'loopback' in result['msg']
    assert tenant.count() == 0


def test_unreachable_port_names_the_host(run_playbook, connection):
    result = failure(run_playbook, dict(connection, org_id='org_abc', domain='127.0.0.1:9', max_retries=0))
    assert '127.0.0.1:9' in result['msg']
