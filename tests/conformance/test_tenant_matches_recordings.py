"""Send the local tenant the requests recorded against a real Auth0 tenant and compare the answers.

For each cassette (both recording sets) the tenant state at the time of every organization read/list GET
is rebuilt from the cassette itself (its POST/DELETE requests and their recorded answers: organizations,
users, roles, memberships, role assignments; organizations that were in the recorded tenant before the
test began, as its reads returned them) and handed to LocalTenant as an explicit seed. The recorded GET
is then sent with the same path and query string and a valid token, and the answer must match the
recorded one: same status, same JSON keys and value types, same values (members and organizations in the
same order), except the opaque checkpoint cursor `next`, whose presence or absence must match but not its
value. A checkpoint continuation therefore sends, as `from`, the cursor the tenant itself gave where Auth0
gave the recorded one (a cursor only means something to the server that issued it); everything else in
its query string is the recorded one.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import requests

from local_tenant import LocalTenant

import recordings

CASSETTES = tuple('%s/%s.yaml' % (recordings.GO_AUTH0, name) for name in (
    'TestOrganizationManager_Read',
    'TestOrganizationManager_ReadByName',
    'TestOrganizationManager_Delete',
    'TestOrganizationManager_List',
    'TestOrganizationManager_ListCheckpointPagination',
    'TestOrganizationManager_Members',
    'TestOrganizationManager_MemberRoles',
    'TestOrganizationManager_MembersCheckpointPagination',
)) + tuple('%s/%s.yaml' % (recordings.TERRAFORM, name) for name in (
    'TestAccDataSourceOrganization',
    'TestAccDataSourceOrganizations',
    'TestAccOrganizationMember',
    'TestAccOrganizationMemberRoles',
    'TestAccOrganizationMembers',
))
CURSOR = '<opaque cursor>'
# Recorded reads the tenant does not implement, and why; the report lists each as not verified.
NOT_MODELLED = {
    'organization list with client association': 'the local tenant has no applications, so no organization-client '
                                                 'associations (include_client_association_for); the collection '
                                                 'never asks for them',
}


def shape(value, path='$'):
    """{json path: type name, or sorted keys for objects} of a decoded JSON value."""
    if isinstance(value, dict):
        found = {path: 'object with keys %s' % sorted(value)}
        for key, item in value.items():
            found.update(shape(item, '%s.%s' % (path, key)))
        return found
    if isinstance(value, list):
        found = {path: 'array of %d' % len(value)}
        for index, item in enumerate(value):
            found.update(shape(item, '%s[%d]' % (path, index)))
        return found
    return {path: type(value).__name__}


def without_cursor(body):
    """The body with a present `next` value replaced by a placeholder (its presence is kept)."""
    if isinstance(body, dict) and body.get('next'):
        return dict(body, next=CURSOR)
    return body


def differences(exchange, status, body):
    """Human-readable differences between the recorded answer and the tenant's (empty when they agree)."""
    found = []
    if status != exchange.status:
        found.append('status: expected %d, got %d' % (exchange.status, status))
    expected = without_cursor(exchange.json())
    got = without_cursor(body)
    expected_shape, got_shape = shape(expected), shape(got)
    for path in sorted(set(expected_shape) | set(got_shape)):
        if expected_shape.get(path) != got_shape.get(path):
            found.append('%s: expected %s, got %s' % (path, expected_shape.get(path, 'nothing'), got_shape.get(path, 'nothing')))
    if not found and expected != got:
        found.append('body: expected %s, got %s' % (exchange.body, body))
    return found


class Replay:
    """Runs a cassette's reads against a LocalTenant seeded with the state at each read."""

    def __init__(self, cassette):
        self.cassette = cassette
        self.member_order = recordings.recorded_member_order(cassette)
        self.tenant = None
        self.tenant_version = None
        self.token = None
        self.cursors = {}

    def run(self):
        """([(exchange, status, body, url sent)] in recorded order, why the replay stopped early or None)."""
        answers = []
        try:
            for exchange, state in recordings.reads_in_state(self.cassette):
                if exchange.kind() in NOT_MODELLED:
                    continue
                if 'from' in exchange.query and exchange.query['from'] not in self.cursors:
                    return answers, ('%s continues a checkpoint listing from a cursor the tenant has no counterpart '
                                     'for (it sent no next where Auth0 sent this one)' % exchange.label())
                answers.append(self._read(exchange, state))
        finally:
            if self.tenant is not None:
                self.tenant.stop()
        return answers, None

    def _tenant(self, state):
        if self.tenant is None or self.tenant_version != state.version:
            if self.tenant is not None:
                self.tenant.stop()
            self.tenant = LocalTenant(seed=state.seed(self.member_order), tls=True).start()
            self.tenant_version = state.version
            self.token = self.tenant.mint_token()
            self.cursors = {}
        return self.tenant

    def _read(self, exchange, state):
        tenant = self._tenant(state)
        query = list(parse_qsl(urlsplit(exchange.url).query, keep_blank_values=True))
        if 'from' in exchange.query:
            # The tenant's own cursor where Auth0 gave the recorded one.
            own = self.cursors[exchange.query['from']]
            query = [(key, own if key == 'from' else value) for key, value in query]
        url = tenant.base_url + exchange.path + ('?' + urlencode(query) if query else '')
        response = requests.get(url, headers={'Authorization': 'Bearer ' + self.token}, verify=tenant.ca_path,
                                timeout=10, allow_redirects=False)
        body = response.json()
        recorded = exchange.json()
        if isinstance(recorded, dict) and recorded.get('next') and isinstance(body, dict) and body.get('next'):
            self.cursors[recorded['next']] = body['next']
        return exchange, response.status_code, body, url


def _request_shape(exchange):
    """The recorded request with a cursor value shown as <cursor>, to name identical requests once."""
    query = urlsplit(exchange.url.split('/api/v2', 1)[1])
    shown = '&'.join('%s=%s' % (key, '<cursor>' if key == 'from' else value)
                     for key, value in parse_qsl(query.query, keep_blank_values=True))
    return '%s %s%s' % (exchange.method, query.path, '?' + shown if shown else '')


def _answer_summary(exchange):
    """What one recorded answer holds, in a few words: '2 members +next', 'organization {id, name}', '404 ...'."""
    body = exchange.json()
    if exchange.status >= 300:
        return '%d %s' % (exchange.status, body.get('message'))
    listed = [key for key in ('members', 'roles', 'organizations') if isinstance(body, dict) and key in body]
    if listed:
        items = body[listed[0]]
        extra = sorted(key for key in body if key != listed[0])
        keys = []
        for item in items if listed[0] == 'organizations' else ():
            keys.extend(key for key in item if key not in keys)
        return '%d %s%s%s' % (len(items), listed[0], ' {%s}' % ', '.join(keys) if keys else '',
                              ''.join(' +' + key for key in extra))
    if isinstance(body, list):
        return 'bare array of %d' % len(body)
    return 'organization {%s}' % ', '.join(body)


def _note_reads(covered, not_verified, name, reads):
    """One report line per distinct recorded request: what the tenant is checked against (or why not)."""
    grouped = {}
    for exchange in reads:
        grouped.setdefault(_request_shape(exchange), []).append(exchange)
    for request, exchanges in grouped.items():
        answers = []
        for exchange in exchanges:
            if _answer_summary(exchange) not in answers:
                answers.append(_answer_summary(exchange))
        ids = ', '.join('#%s' % exchange.id for exchange in exchanges[:3])
        if len(exchanges) > 3:
            ids += ' ... #%s: %d exchanges' % (exchanges[-1].id, len(exchanges))
        line = '%s %s -> %s (%s)' % (recordings.short_name(name), request, ' | '.join(answers), ids)
        kind = exchanges[0].kind()
        if kind in NOT_MODELLED:
            not_verified('tenant vs %s: %s' % (line, NOT_MODELLED[kind]))
        else:
            covered('tenant answers like Auth0: %s' % line)


@pytest.mark.parametrize('name', CASSETTES)
def test_tenant_answers_like_auth0(covered, not_verified, name):
    cassette = recordings.load(name)
    reads = cassette.reads()
    assert reads, '%s has no organization read/list GET any more' % name
    _note_reads(covered, not_verified, name, reads)
    mismatches = []
    answers, stopped = Replay(cassette).run()
    for exchange, status, body, url in answers:
        for difference in differences(exchange, status, body):
            mismatches.append('%s\n    sent %s\n    %s' % (exchange.label(), url, difference))
    if stopped:
        mismatches.append(stopped)
    assert not mismatches, 'the local tenant answers differently from Auth0:\n' + '\n'.join(mismatches)


def test_every_cassette_with_reads_is_compared():
    with_reads = sorted({exchange.cassette for exchange in recordings.all_reads()})
    assert with_reads == sorted(CASSETTES)
