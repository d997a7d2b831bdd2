"""Replay the membership writes recorded against a real Auth0 tenant (2026) through this collection's Auth0Client.

Each recorded POST/DELETE of organization members and member roles in the terraform-provider-auth0 cassettes
is sent by the client operation that makes it, with the recorded ids: the request must match the recorded
method, percent-encoded path and JSON body exactly, and the recorded answer (204, empty) must be taken as
success. The tenant side of the same writes is test_tenant_writes_match_recordings.py.
"""

import json

import pytest

from ansible_collections.community.auth0.plugins.module_utils._membership import MEMBERS_PER_WRITE

import recordings
from test_recorded_exchanges import TF_MEMBER, TF_MEMBER_ROLES, TF_MEMBERS, client_for, replay

WRITE_CASSETTES = (TF_MEMBER, TF_MEMBERS, TF_MEMBER_ROLES)
ADD, REMOVE, GRANT, REVOKE = recordings.WRITE_KINDS


def send(client, exchange):
    """Make the recorded write with the client operation for its kind."""
    org_id = exchange.segment(4)
    ids = exchange.request_json
    kind = exchange.write_kind()
    if kind == ADD:
        return client.add_members(org_id, ids['members'])
    if kind == REMOVE:
        return client.remove_members(org_id, ids['members'])
    if kind == GRANT:
        return client.grant_member_roles(org_id, exchange.segment(6), ids['roles'])
    return client.revoke_member_roles(org_id, exchange.segment(6), ids['roles'])


@pytest.mark.parametrize('name', WRITE_CASSETTES, ids=recordings.short_name)
def test_recorded_writes_are_sent_as_recorded(covered, name):
    exchanges = recordings.write_exchanges(name)
    kinds = sorted(set(exchange.write_kind() for exchange in exchanges))
    covered('%s: %d membership writes (%s) sent by Auth0Client with the recorded method, path and JSON body; '
            'the recorded 204 is success' % (recordings.short_name(name), len(exchanges), ', '.join(kinds)))
    assert exchanges, 'the cassette records no membership write any more'
    for exchange in exchanges:
        assert exchange.status == 204 and not exchange.body.strip(), exchange.label()
        with replay() as rsps:
            rsps.add(exchange.method, exchange.base_url + exchange.path, status=exchange.status, body=exchange.body)
            assert send(client_for(exchange), exchange) is None
            sent = rsps.calls[0].request
            assert sent.path_url == exchange.path, exchange.label()
            assert json.loads(sent.body) == exchange.request_json, exchange.label()
            assert sent.headers['Content-Type'] == 'application/json'


def test_every_write_kind_is_recorded_and_batches_fit_auth0s_limit(covered):
    covered('every kind of membership write is recorded at least once, each with 1 to 10 ids (Auth0\'s documented '
            'batch), and the client batches additions and removals at that size')
    exchanges = [exchange for name in WRITE_CASSETTES for exchange in recordings.write_exchanges(name)]
    assert set(exchange.write_kind() for exchange in exchanges) == set(recordings.WRITE_KINDS)
    for exchange in exchanges:
        ids = exchange.request_json.get('members', exchange.request_json.get('roles'))
        assert 1 <= len(ids) <= 10, exchange.label()
    assert MEMBERS_PER_WRITE == 10
