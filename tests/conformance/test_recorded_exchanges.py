"""Replay exchanges recorded against a real Auth0 tenant through this collection's Auth0Client.

Everything else in the test suite runs against our own stand-in for Auth0, so a wrong belief about
Auth0 would be wrong on both sides and still pass. Here HTTP is mocked at the requests session
boundary (`responses`) and every organization read, organization members and member-roles GET of
the go-auth0 v1.45.0 cassettes is answered with its recorded status and body, matching method, path
and query string. The cassettes are read with PyYAML at test time (see recordings.py).

Where the client's own request differs from the recorded one (the client sends page=0 and no
include_totals on an offset page, never include_totals/per_page on checkpoint pages, and per_page=100
on member roles), the recorded body is registered for the client's actual query, in recorded order,
and the difference is derived from the recorded query in the test, not typed in.
"""

from urllib.parse import parse_qsl, urlsplit

import pytest
import responses
from responses import matchers

from ansible_collections.community.auth0.plugins.module_utils._auth0 import Auth0APIError, Auth0Client, _MemberRead

import recordings

READ = 'TestOrganizationManager_Read.yaml'
READ_BY_NAME = 'TestOrganizationManager_ReadByName.yaml'
DELETE = 'TestOrganizationManager_Delete.yaml'
MEMBERS = 'TestOrganizationManager_Members.yaml'
MEMBER_ROLES = 'TestOrganizationManager_MemberRoles.yaml'
MEMBERS_CHECKPOINT = 'TestOrganizationManager_MembersCheckpointPagination.yaml'
LIST = 'TestOrganizationManager_List.yaml'
LIST_CHECKPOINT = 'TestOrganizationManager_ListCheckpointPagination.yaml'

# Cassettes whose read/list GETs are ALL replayed by a test below (each test asserts every one fired).
REPLAYED = (READ, READ_BY_NAME, DELETE, MEMBERS, MEMBER_ROLES, MEMBERS_CHECKPOINT, LIST, LIST_CHECKPOINT)


class UnexpectedWait(AssertionError):
    """The client slept: it treated a recorded answer as a rate limit or a fault."""


def _no_sleep(seconds):
    raise UnexpectedWait('the client waited %r s while replaying recorded answers' % seconds)


def client_for(exchange):
    """A client for the recorded tenant host, with a dummy token; no retries, no waiting."""
    return Auth0Client(domain=exchange.host, token='x', max_retries=0, sleep=_no_sleep)


def answer(rsps, exchange, query=None):
    """Answer the client's GET of the exchange's path and exactly `query` with the recorded status and body.

    `query` defaults to the recorded query; give the client's own when it asks differently. Registered in
    order, several answers for the same request are served in that order.
    """
    rsps.add(exchange.method, exchange.url_without_query, body=exchange.body, status=exchange.status,
             content_type=exchange.content_type,
             match=[matchers.query_param_matcher(exchange.query if query is None else query, strict_match=True)])


def replay():
    """A responses mock that fails the test on any unanswered request or any unused recorded answer."""
    return responses.RequestsMock(assert_all_requests_are_fired=True)


def sent_query(call):
    return dict(parse_qsl(urlsplit(call.request.url).query, keep_blank_values=True))


def only(exchanges):
    assert len(exchanges) == 1, 'expected exactly one recorded exchange, got %r' % exchanges
    return exchanges[0]


def without(query, *names):
    """The recorded query minus parameters the client never sends (each must have been recorded)."""
    for name in names:
        assert name in query, 'the recording no longer sends %s: %r' % (name, query)
    return dict((key, value) for key, value in query.items() if key not in names)


def test_read_organization_by_id(covered):
    covered('GET /organizations/{id} 200: Auth0Client.organization(org_id) returns the recorded organization '
            'object unchanged (id, name, display_name, branding)')
    cassette = recordings.load(READ)
    exchange = only(cassette.reads())
    assert exchange.kind() == 'organization read by id' and exchange.status == 200
    client = client_for(exchange)
    with replay() as rsps:
        answer(rsps, exchange)
        organization = client.organization(org_id=exchange.segment(-1))
        assert len(rsps.calls) == 1
        assert rsps.calls[0].request.headers['Authorization'] == 'Bearer x'
    assert organization == exchange.json()
    assert organization == only(cassette.created('/organizations'))


def test_read_organization_by_name(covered):
    covered('GET /organizations/name/{name} 200: Auth0Client.organization(org_name) returns the recorded '
            'organization object unchanged')
    cassette = recordings.load(READ_BY_NAME)
    exchange = only(cassette.reads())
    assert exchange.kind() == 'organization read by name' and exchange.status == 200
    client = client_for(exchange)
    with replay() as rsps:
        answer(rsps, exchange)
        organization = client.organization(org_name=exchange.segment(-1))
        assert len(rsps.calls) == 1
    assert organization == exchange.json()
    assert organization['name'] == exchange.segment(-1)
    assert organization == only(cassette.created('/organizations'))


def _assert_not_found(error, exchange, org_id):
    recorded = exchange.json()
    assert error.status == 404 == recorded['statusCode']
    assert error.error_code is None and 'errorCode' not in recorded
    assert error.message.startswith('Organization %r was not found in tenant %s.' % (org_id, exchange.host))
    assert recorded['message'] in error.message


def test_deleted_organization_is_not_found(covered):
    covered('GET /organizations/{id} 404 "No organization found by that id or name" (no errorCode): '
            'Auth0Client.organization raises Auth0APIError 404 "Organization ... was not found"')
    cassette = recordings.load(DELETE)
    exchange = only(cassette.reads())
    assert exchange.kind() == 'organization read by id' and exchange.status == 404
    org_id = exchange.segment(-1)
    client = client_for(exchange)
    with replay() as rsps:
        answer(rsps, exchange)
        with pytest.raises(Auth0APIError) as caught:
            client.organization(org_id=org_id)
        assert len(rsps.calls) == 1
    _assert_not_found(caught.value, exchange, org_id)


def test_members_of_deleted_organization_are_not_found(covered):
    covered('the recorded 404 body (organization read) answering the members list: '
            'Auth0Client.organization_members raises Auth0APIError 404 "Organization ... was not found"')
    exchange = only(recordings.load(DELETE).reads())
    org_id = exchange.segment(-1)
    client = client_for(exchange)
    with replay() as rsps:
        # Not recorded as such: the cassette has the 404 of GET /organizations/{id}. Auth0 documents the same
        # body for /organizations/{id}/members of a missing organization, so the recorded body answers the
        # client's first request on the members path (the offset page that tells the total).
        rsps.add('GET', exchange.url_without_query + '/members', body=exchange.body, status=exchange.status,
                 content_type=exchange.content_type,
                 match=[matchers.query_param_matcher({'page': '0', 'per_page': '100', 'include_totals': 'true'},
                                                     strict_match=True)])
        with pytest.raises(Auth0APIError) as caught:
            client.organization_members(org_id=org_id)
        assert len(rsps.calls) == 1
    _assert_not_found(caught.value, exchange, org_id)


@pytest.mark.parametrize('options', [
    dict(fields=['user_id', 'roles']),
    dict(fields=['user_id'], include_roles=True),
], ids=['fields-with-roles', 'include_roles'])
def test_offset_page_with_roles(covered, options):
    covered('GET /organizations/{id}/members?fields=user_id,roles&include_totals=true (offset, {start, limit, '
            'total, members}): Auth0Client.organization_members(page=0) asks for exactly fields=user_id,roles and '
            'returns the recorded members with their inline roles, no per-member roles call')
    cassette = recordings.load(MEMBERS)
    exchange = only(cassette.reads())
    assert exchange.kind() == 'organization members' and exchange.status == 200
    recorded = exchange.json()
    org_id = exchange.segment(4)
    # The client sends page=0 and never include_totals on an offset page (Auth0 would then answer a bare
    # array); the recorded include_totals body answers the client's query so its handling of it is checked.
    client_query = dict(without(exchange.query, 'include_totals'), page='0')
    client = client_for(exchange)
    with replay() as rsps:
        answer(rsps, exchange, client_query)
        organization, members = client.organization_members(
            org_id=org_id, page=0, per_page=int(exchange.query['per_page']), **options)
        assert len(rsps.calls) == 1
        assert sent_query(rsps.calls[0])['fields'] == exchange.query['fields']
    assert organization == {'id': org_id}
    assert members == recorded['members']
    assert len(members) == recorded['total']
    # The member and role the test created, as Auth0 returned them on creation.
    user = only(cassette.created('/users'))
    role = only(cassette.created('/roles'))
    assert [member['user_id'] for member in members] == [user['user_id']]
    assert members[0]['roles'] == [{'id': role['id'], 'name': role['name']}]


def test_member_roles(covered):
    covered('GET /organizations/{id}/members/{user_id}/roles?include_totals=true ({roles, start, limit, total}, '
            'roles with description): the client reduces each role to {id, name}; an empty list after removal')
    cassette = recordings.load(MEMBER_ROLES)
    exchanges = cassette.reads()
    assert [exchange.kind() for exchange in exchanges] == ['organization member roles'] * 2
    assert len({exchange.url for exchange in exchanges}) == 1
    org_id = exchanges[0].segment(4)
    user_id = exchanges[0].segment(6)
    # Auth0Client has no public member-roles operation: it reads roles one member at a time only when a members
    # page lacks them (_member_roles, behind organization_members). The client asks page=0&per_page=100 where
    # the recording asked per_page=50; both recorded bodies answer the client's query, in recorded order.
    client_query = dict(exchanges[0].query, page='0', per_page='100')
    client = client_for(exchanges[0])
    with replay() as rsps:
        for exchange in exchanges:
            answer(rsps, exchange, client_query)
        got = [client._member_roles(org_id, user_id) for _exchange in exchanges]
        assert len(rsps.calls) == len(exchanges)
    for roles, exchange in zip(got, exchanges):
        recorded = exchange.json()
        assert roles == [{'id': role['id'], 'name': role['name']} for role in recorded['roles']]
        assert len(roles) == recorded['total']
    role = only(cassette.created('/roles'))
    assert got == [[{'id': role['id'], 'name': role['name']}], []]


@pytest.mark.parametrize('take', ['recorded', 'client default'])
def test_checkpoint_paging_ends_on_empty_page(covered, take):
    covered('GET /organizations/{id}/members checkpoint (take=2 over 3 members): next on both non-empty pages '
            '(also the short one), {"members":[]} without next last; the client\'s checkpoint read (used past '
            'the 1000-record offset cap) follows the recorded next values and stops exactly on the empty page')
    cassette = recordings.load(MEMBERS_CHECKPOINT)
    exchanges = cassette.reads()
    assert [exchange.kind() for exchange in exchanges] == ['organization members'] * 3
    pages = [exchange.json() for exchange in exchanges]
    # The recording itself: each request continues from the previous page's next; only the last has none.
    assert 'from' not in exchanges[0].query
    assert [exchange.query.get('from') for exchange in exchanges[1:]] == [page['next'] for page in pages[:-1]]
    assert pages[-1] == {'members': []}
    assert all(page['next'] for page in pages[:-1])
    assert all('total' not in page for page in pages), 'checkpoint paging wins over include_totals'
    org_id = exchanges[0].segment(4)
    recorded_take = exchanges[0].query['take']
    per_page = int(recorded_take) if take == 'recorded' else None
    client = client_for(exchanges[0])
    with replay() as rsps:
        for exchange in exchanges:
            # The client sends only take (its per_page, 100 by default) and from: never include_totals or
            # per_page on checkpoint pages. Each recorded body answers the client's query for the same from.
            client_query = without(exchange.query, 'include_totals', 'per_page')
            if per_page is None:
                client_query['take'] = '100'
            answer(rsps, exchange, client_query)
        # Only organizations past the offset cap are read by checkpoint; these 3 recorded members are not.
        read = _MemberRead(per_page=per_page or 100)
        members = client._members_by_checkpoint(org_id, read)  # pylint: disable=protected-access
        assert len(rsps.calls) == len(exchanges) == 3
        assert [sent_query(call).get('from') for call in rsps.calls] == [None] + [page['next'] for page in pages[:-1]]
    assert client.request_count == 3
    assert members == [member for page in pages for member in page['members']]
    posted = only(cassette.posted('/organizations/%s/members' % org_id))['members']
    assert sorted(member['user_id'] for member in members) == sorted(posted)
    assert all(sorted(member) == ['email', 'name', 'picture', 'user_id'] for member in members)


@pytest.mark.parametrize('take', ['recorded', 'client default'])
def test_organization_list_checkpoint_ends_without_next(covered, take):
    covered('GET /organizations checkpoint (take=2 over 3 organizations): next on the full page only, the last '
            'page has none; Auth0Client.organizations follows the recorded next and stops there')
    cassette = recordings.load(LIST_CHECKPOINT)
    exchanges = cassette.reads()
    pages = [exchange.json() for exchange in exchanges]
    assert 'next' in pages[0] and 'next' not in pages[-1]
    assert all('total' not in page for page in pages), 'checkpoint paging wins over include_totals'
    client = client_for(exchanges[0])
    with replay() as rsps:
        for exchange in exchanges:
            # The client sends only take (and from): the recorded include_totals/per_page are dropped.
            client_query = without(exchange.query, 'include_totals', 'per_page')
            if take == 'client default':
                client_query['take'] = '100'
            answer(rsps, exchange, client_query)
        options = dict(per_page=int(exchanges[0].query['take'])) if take == 'recorded' else {}
        organizations = client.organizations(**options)
        assert [sent_query(call).get('from') for call in rsps.calls] == [None, pages[0]['next']]
    assert organizations == [org for page in pages for org in page['organizations']]
    assert sorted(org['id'] for org in organizations) == sorted(org['id'] for org in cassette.created('/organizations'))


def test_organization_list_offset_page_with_totals(covered):
    covered('GET /organizations offset page with include_totals ({organizations, start, limit, total}, no next): '
            'Auth0Client.organizations returns the recorded organizations and stops')
    cassette = recordings.load(LIST)
    exchange = only(cassette.reads())
    recorded = exchange.json()
    assert set(recorded) == {'organizations', 'start', 'limit', 'total'}
    client = client_for(exchange)
    with replay() as rsps:
        # The client pages by checkpoint; the recorded offset answer (no next) ends the listing after one request.
        answer(rsps, exchange, {'take': '100'})
        organizations = client.organizations()
        assert len(rsps.calls) == 1
    assert organizations == recorded['organizations']
    assert len(organizations) == recorded['total']


def test_every_recorded_read_is_replayed():
    """Each cassette's organization read/list GETs are all replayed by a test above."""
    by_cassette = {}
    for exchange in recordings.all_reads():
        by_cassette.setdefault(exchange.cassette, []).append(exchange)
    unaccounted = sorted(set(by_cassette) - set(REPLAYED))
    assert not unaccounted, 'recorded reads no test replays: %s' % [
        exchange.label() for name in unaccounted for exchange in by_cassette[name]]
    vanished = sorted(set(REPLAYED) - set(by_cassette))
    assert not vanished, 'cassettes without any organization read any more: %s' % vanished
