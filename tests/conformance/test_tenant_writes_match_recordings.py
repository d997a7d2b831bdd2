"""Send the local tenant the membership writes recorded against a real Auth0 tenant, and the reads around them.

Unlike test_tenant_matches_recordings.py, which seeds a fresh tenant with the recorded state before every
read, here the tenant is seeded once, just before a cassette's first membership write, and the recorded
writes themselves change it: each POST/DELETE of members or member roles is sent with its recorded body and
must answer as recorded (204, no body), and every organization, member, member-role, user and role read
that follows must answer what Auth0 answered, in recorded order, until the test's clean-up (deleting its
organization, users and roles, which the tenant does not model).
"""

import pytest
import requests

from local_tenant import LocalTenant

import recordings
from test_tenant_matches_recordings import Replay, differences

WRITE_CASSETTES = tuple('%s/%s.yaml' % (recordings.TERRAFORM, name) for name in (
    'TestAccOrganizationMember',
    'TestAccOrganizationMembers',
    'TestAccOrganizationMemberRoles',
    'TestAccDataSourceOrganization',
)) + tuple('%s/TestOrganizationManager_%s.yaml' % (recordings.GO_AUTH0, name) for name in ('Members', 'MemberRoles'))
# Cassettes with writes whose reads the tenant cannot give back in recorded order, and why.
NOT_REPLAYED = {
    '%s/TestOrganizationManager_MembersCheckpointPagination.yaml' % recordings.GO_AUTH0:
        'Auth0 gave the 3 members of one POST one membership time and listed them in an order of its own '
        '(neither the order sent nor user id order); the tenant lists members in the order they joined',
}


class WriteReplay(Replay):
    """Replays a cassette's writes and reads against one tenant that the writes change."""

    def __init__(self, cassette):
        super().__init__(cassette)
        self.seed, self.exchanges = recordings.write_replay(cassette)

    def run(self):
        """([(exchange, status, body, url sent)] in recorded order, why the replay stopped early or None)."""
        self.tenant = LocalTenant(seed=self.seed, tls=True).start()
        self.token = self.tenant.mint_token()
        answers = []
        try:
            for exchange in self.exchanges:
                if 'from' in exchange.query and exchange.query['from'] not in self.cursors:
                    return answers, '%s continues a listing from a cursor the tenant never gave' % exchange.label()
                answers.append(self._write(exchange) if exchange.write_kind() else self._read(exchange, None))
        finally:
            self.tenant.stop()
        return answers, None

    def _tenant(self, state):
        return self.tenant

    def _write(self, exchange):
        url = self.tenant.base_url + exchange.path
        response = requests.request(exchange.method, url, data=exchange.request_body.encode('utf-8'), timeout=10,
                                    headers={'Authorization': 'Bearer ' + self.token, 'Content-Type': 'application/json'},
                                    verify=self.tenant.ca_path, allow_redirects=False)
        logged = self.tenant.requests[-1]
        assert (logged.method, logged.body) == (exchange.method, exchange.request_json)
        return exchange, response.status_code, response.content, url


def write_differences(exchange, status, body):
    found = []
    if status != exchange.status:
        found.append('status: expected %d, got %d' % (exchange.status, status))
    if body != exchange.body.encode('utf-8'):
        found.append('body: expected %r, got %r' % (exchange.body, body))
    return found


def _note(covered, name, exchanges):
    """One report line per kind of replayed exchange: how many, their ids and what Auth0 answered."""
    grouped = {}
    for exchange in exchanges:
        kind = exchange.write_kind() or exchange.directory_kind() or exchange.kind()
        grouped.setdefault(kind, []).append(exchange)
    for kind, found in grouped.items():
        statuses = sorted({exchange.status for exchange in found})
        if found[0].write_kind():
            sizes = sorted({len(next(iter(exchange.request_json.values()))) for exchange in found})
            detail = '%s id(s) a request, answered %s with no body' % ('/'.join(map(str, sizes)), '/'.join(map(str, statuses)))
        else:
            detail = 'answered %s as recorded' % '/'.join(map(str, statuses))
        covered('tenant writes like Auth0: %s %d %s (#%s): %s, in recorded order with the writes'
                % (recordings.short_name(name), len(found), kind, ', #'.join(str(exchange.id) for exchange in found[:6]) +
                   (' ...' if len(found) > 6 else ''), detail))


@pytest.mark.parametrize('name', WRITE_CASSETTES)
def test_tenant_writes_like_auth0(covered, name):
    cassette = recordings.load(name)
    replay = WriteReplay(cassette)
    writes = [exchange for exchange in replay.exchanges if exchange.write_kind()]
    assert writes == recordings.write_exchanges(cassette), 'every recorded membership write is replayed'
    _note(covered, name, replay.exchanges)
    answers, stopped = replay.run()
    mismatches = []
    for exchange, status, body, url in answers:
        found = write_differences(exchange, status, body) if exchange.write_kind() else differences(exchange, status, body)
        mismatches.extend('%s\n    sent %s\n    %s' % (exchange.label(), url, difference) for difference in found)
    if stopped:
        mismatches.append(stopped)
    assert len(answers) == len(replay.exchanges) or stopped
    assert not mismatches, 'the local tenant answers differently from Auth0:\n' + '\n'.join(mismatches)


def test_the_replay_reads_users_and_roles_and_sees_every_kind_of_write():
    replayed = [exchange for name in WRITE_CASSETTES for exchange in WriteReplay(recordings.load(name)).exchanges]
    kinds = {exchange.write_kind() or exchange.directory_kind() for exchange in replayed}
    assert kinds >= set(recordings.WRITE_KINDS) | {'user read', 'role read'}


def test_the_tenant_model_of_a_recorded_state_agrees_with_the_replay():
    """After the replay the tenant holds what the recorded writes left (recordings.TenantState)."""
    for name in WRITE_CASSETTES:
        cassette = recordings.load(name)
        replay = WriteReplay(cassette)
        last = replay.exchanges[-1]
        state = recordings.TenantState(cassette.preexisting_organizations())
        for exchange in cassette.exchanges[:cassette.exchanges.index(last) + 1]:
            state.apply(exchange)
        with LocalTenant(seed=replay.seed, tls=False) as tenant:
            for exchange in replay.exchanges:
                if exchange.write_kind():
                    requests.request(exchange.method, tenant.base_url + exchange.path, json=exchange.request_json, timeout=10,
                                     headers={'Authorization': 'Bearer ' + tenant.mint_token()})
            assert tenant.count(None, method=None) == len(recordings.write_exchanges(cassette))
            for org_id in state.organizations:
                assert sorted(tenant.member_ids(org_id)) == sorted(state.member_ids(org_id)), name
                for user_id in state.member_ids(org_id):
                    assert tenant.roles_of(org_id, user_id) == state.member_roles(org_id, user_id), name


def test_every_cassette_with_writes_is_replayed_or_says_why(not_verified):
    with_writes = {name for name in recordings.cassette_names() if recordings.write_exchanges(name)}
    assert with_writes == set(WRITE_CASSETTES) | set(NOT_REPLAYED)
    for name, why in NOT_REPLAYED.items():
        not_verified('tenant writes vs %s: %s' % (recordings.short_name(name), why))
