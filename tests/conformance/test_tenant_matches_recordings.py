"""Send the local tenant the requests recorded against a real Auth0 tenant and compare the answers.

For each cassette the tenant state at the time of every organization read/list GET is rebuilt from the
cassette itself (its POST/DELETE requests and their recorded answers: organizations, users, roles,
memberships, role assignments) and handed to LocalTenant as an explicit seed. The recorded GET is then
sent with the same path and query string and a valid token, and the answer must match the recorded one:
same status, same JSON keys and value types, same values (members and organizations in the same order),
except the opaque checkpoint cursor `next`, whose presence or absence must match but not its value. A
checkpoint continuation therefore sends the tenant's own previous `next` as `from` (a cursor only means
something to the server that issued it); everything else in its query string is the recorded one.
"""

from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

import pytest
import requests

from local_tenant import LocalTenant

import recordings

CASSETTES = (
    'TestOrganizationManager_Read.yaml',
    'TestOrganizationManager_ReadByName.yaml',
    'TestOrganizationManager_Delete.yaml',
    'TestOrganizationManager_List.yaml',
    'TestOrganizationManager_ListCheckpointPagination.yaml',
    'TestOrganizationManager_Members.yaml',
    'TestOrganizationManager_MemberRoles.yaml',
    'TestOrganizationManager_MembersCheckpointPagination.yaml',
)
CURSOR = '<opaque cursor>'


class TenantState:
    """Organizations, users, roles, memberships and role assignments, as a cassette's writes left them."""

    def __init__(self):
        self.organizations = {}
        self.users = {}
        self.roles = {}
        self.members = {}
        self.assigned = {}
        self.version = 0

    def apply(self, exchange):
        """Apply one recorded write (a successful POST or DELETE); return True when the state changed."""
        if exchange.method not in ('POST', 'DELETE') or exchange.status >= 300:
            return False
        parts = [unquote(part) for part in exchange.path.split('/')[3:]]
        body = exchange.request_json
        if exchange.method == 'POST':
            self._post(parts, body, exchange)
        else:
            self._delete(parts, body)
        self.version += 1
        return True

    def _post(self, parts, body, exchange):
        if parts == ['organizations']:
            created = exchange.json()
            self.organizations[created['id']] = created
        elif parts == ['users']:
            created = exchange.json()
            self.users[created['user_id']] = created
        elif parts == ['roles']:
            created = exchange.json()
            self.roles[created['id']] = created
        elif len(parts) == 3 and parts[0] == 'organizations' and parts[2] == 'members':
            joined = self.members.setdefault(parts[1], [])
            joined.extend(user_id for user_id in body['members'] if user_id not in joined)
        elif len(parts) == 5 and parts[0] == 'organizations' and parts[4] == 'roles':
            roles = self.assigned.setdefault((parts[1], parts[3]), [])
            roles.extend(role_id for role_id in body['roles'] if role_id not in roles)
        else:
            raise AssertionError('no model for the recorded write POST /%s' % '/'.join(parts))

    def _delete(self, parts, body):
        if len(parts) == 2 and parts[0] == 'organizations':
            del self.organizations[parts[1]]
        elif len(parts) == 2 and parts[0] == 'users':
            del self.users[parts[1]]
            for joined in self.members.values():
                if parts[1] in joined:
                    joined.remove(parts[1])
        elif len(parts) == 2 and parts[0] == 'roles':
            del self.roles[parts[1]]
        elif len(parts) == 5 and parts[0] == 'organizations' and parts[4] == 'roles':
            roles = self.assigned.get((parts[1], parts[3]), [])
            roles[:] = [role_id for role_id in roles if role_id not in body['roles']]
        else:
            raise AssertionError('no model for the recorded write DELETE /%s' % '/'.join(parts))

    def seed(self, member_order):
        """The LocalTenant seed of this state.

        `member_order` maps an org id to the user ids in the order Auth0 listed them: Auth0 does not list
        members in the order they were added (see the checkpoint cassette), and the tenant lists them in seed
        order, so a recorded listing fixes the seed order; members never listed keep the order they joined.
        """
        organizations = []
        for org_id, org in self.organizations.items():
            joined = [user_id for user_id in self.members.get(org_id, []) if user_id in self.users]
            listed = [user_id for user_id in member_order.get(org_id, []) if user_id in joined]
            ordered = listed + [user_id for user_id in joined if user_id not in listed]
            members = []
            for user_id in ordered:
                user = self.users[user_id]
                role_ids = self.assigned.get((org_id, user_id), [])
                members.append({
                    'user_id': user_id, 'email': user['email'], 'picture': user['picture'], 'name': user['name'],
                    'roles': [self.roles[role_id]['name'] for role_id in role_ids if role_id in self.roles],
                })
            spec = {'id': org_id, 'name': org['name'], 'display_name': org['display_name'], 'members': members,
                    'roles': [dict(role) for role in self.roles.values()]}
            if 'branding' in org:
                spec['branding'] = org['branding']
            organizations.append(spec)
        return {'organizations': organizations}


def recorded_member_order(cassette):
    """Org id -> user ids in the order the cassette's member listings returned them."""
    order = {}
    for exchange in cassette.reads('organization members'):
        if exchange.status != 200:
            continue
        body = exchange.json()
        listed = body['members'] if isinstance(body, dict) else body
        seen = order.setdefault(exchange.segment(4), [])
        seen.extend(member['user_id'] for member in listed if member['user_id'] not in seen)
    return order


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
        self.state = TenantState()
        self.member_order = recorded_member_order(cassette)
        self.tenant = None
        self.tenant_version = None
        self.token = None
        self.previous = {}
        self.sent = []

    def run(self):
        """([(exchange, status, body, url sent)] in recorded order, why the replay stopped early or None)."""
        answers = []
        try:
            for exchange in self.cassette.exchanges:
                if not exchange.kind():
                    self.state.apply(exchange)
                    continue
                if 'from' in exchange.query and not self.previous.get(exchange.path):
                    return answers, ('%s continues a checkpoint listing, but the tenant sent no next on the page before'
                                     % exchange.label())
                answers.append(self._read(exchange))
        finally:
            if self.tenant is not None:
                self.tenant.stop()
        return answers, None

    def _tenant(self):
        if self.tenant is None or self.tenant_version != self.state.version:
            if self.tenant is not None:
                self.tenant.stop()
            self.tenant = LocalTenant(seed=self.state.seed(self.member_order), tls=True).start()
            self.tenant_version = self.state.version
            self.token = self.tenant.mint_token()
            self.previous = {}
        return self.tenant

    def _read(self, exchange):
        tenant = self._tenant()
        query = list(parse_qsl(urlsplit(exchange.url).query, keep_blank_values=True))
        if 'from' in exchange.query:
            # Continue from the tenant's own cursor for the same path; the recorded one is Auth0's.
            own = self.previous[exchange.path]
            query = [(key, own if key == 'from' else value) for key, value in query]
        url = tenant.base_url + exchange.path + ('?' + urlencode(query) if query else '')
        response = requests.get(url, headers={'Authorization': 'Bearer ' + self.token}, verify=tenant.ca_path,
                                timeout=10, allow_redirects=False)
        body = response.json()
        self.previous[exchange.path] = body.get('next') if isinstance(body, dict) else None
        return exchange, response.status_code, body, url


@pytest.mark.parametrize('name', CASSETTES)
def test_tenant_answers_like_auth0(covered, name):
    cassette = recordings.load(name)
    reads = cassette.reads()
    assert reads, '%s has no organization read/list GET any more' % name
    for exchange in reads:
        covered('tenant answers like Auth0: %s #%s %s %s -> %d' % (
            name[:-len('.yaml')], exchange.id, exchange.method, exchange.url.split('/api/v2', 1)[1], exchange.status))
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
