"""Load the go-vcr cassettes recorded against a real Auth0 tenant, and the tenant state they record.

Two recording sets, each a folder of go-vcr (version 2) cassettes: go-auth0 v1.45.0's test suite and
terraform-provider-auth0 v1.55.0's acceptance tests (recorded in 2026). A cassette is named by its
set and file, e.g. ``go-auth0-v1.45.0/TestOrganizationManager_Read.yaml``. The cassettes are read with
PyYAML when a test asks for them. The sets are kept in this repository, unchanged, in
``tests/conformance/recordings/``, each with its upstream licence and a README saying where it comes
from; the environment variable AUTH0_RECORDINGS_DIR names another folder holding them. A missing folder
or cassette is an error (RecordingsMissing), never a reason to skip: without the recordings nothing here is checked.
"""

import functools
import json
import os
import re
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import yaml

ENV_RECORDINGS_DIR = 'AUTH0_RECORDINGS_DIR'
REPO = Path(__file__).resolve().parents[2]
DEFAULT_RECORDINGS_DIR = Path(__file__).resolve().parent / 'recordings'

GO_AUTH0 = 'go-auth0-v1.45.0'
TERRAFORM = 'terraform-provider-auth0'
RECORDING_SETS = {
    GO_AUTH0: 'auth0/go-auth0 v1.45.0 (test/data/recordings/)',
    TERRAFORM: 'auth0/terraform-provider-auth0 v1.55.0 (test/data/recordings/)',
}
CASSETTE_VERSION = 2
# The reads whose answers are organization objects as Auth0 stores them (the association listing adds to them).
_ORGANIZATION_ANSWERS = ('organization read by id', 'organization read by name', 'organization list')
# The recordings are large (300 kB of YAML); libyaml parses them ten times faster when PyYAML has it.
_YAML_LOADER = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)
REDACTED = '[REDACTED]'

# The organization read/list GETs the client and the local tenant deal with, and the association listing,
# which the client never asks for and the tenant does not model (the tests say so rather than skip it).
READ_KINDS = (
    'organization read by id',
    'organization read by name',
    'organization list',
    'organization list with client association',
    'organization members',
    'organization member roles',
)


# The membership writes, and the user and role reads around them. Exchange.kind() leaves them out on purpose:
# it names the organization reads the collection's client replays (test_recorded_exchanges.py).
WRITE_KINDS = (
    'organization members add',
    'organization members remove',
    'organization member roles grant',
    'organization member roles revoke',
)
DIRECTORY_KINDS = ('user read', 'user organizations', 'users by email', 'role read', 'role list')


class RecordingsMissing(AssertionError):
    """The recorded exchanges cannot be found: the conformance tests fail instead of skipping."""


def recordings_dir():
    """The folder holding the recording sets; raise RecordingsMissing when a set is not there."""
    configured = os.environ.get(ENV_RECORDINGS_DIR)
    folder = Path(configured) if configured else DEFAULT_RECORDINGS_DIR
    for recording_set, origin in RECORDING_SETS.items():
        if not (folder / recording_set).is_dir():
            raise RecordingsMissing(
                'The recorded Auth0 exchanges are missing: %s is not a directory. It holds go-vcr cassettes from %s; '
                'put them there or set %s to the folder holding %s.'
                % (folder / recording_set, origin, ENV_RECORDINGS_DIR, ', '.join(RECORDING_SETS)))
    return folder


def cassette_names():
    """Names (set/file) of every cassette of every recording set, sorted."""
    folder = recordings_dir()
    return sorted('%s/%s' % (recording_set, path.name)
                  for recording_set in RECORDING_SETS for path in (folder / recording_set).glob('*.yaml'))


def short_name(name):
    """A cassette's name without its set and .yaml, for report lines."""
    return name.rsplit('/', 1)[-1][:-len('.yaml')]


class Exchange:
    """One recorded request and its response.

    Attributes: cassette (set/file name), id, method, url, host, path (still percent-encoded, as sent),
    query (dict of decoded parameters), request_body (text), status (int), body (the response body
    text, as recorded), content_type.
    """

    def __init__(self, cassette, interaction):
        request = interaction['request']
        response = interaction['response']
        self.cassette = cassette
        self.id = interaction['id']
        self.method = request['method']
        self.url = request['url']
        parts = urlsplit(self.url)
        self.host = parts.netloc
        self.path = parts.path
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        self.query = dict(pairs)
        if len(self.query) != len(pairs):
            raise ValueError('%s #%s repeats a query parameter; Exchange.query cannot hold it' % (cassette, self.id))
        if request.get('form'):
            # go-vcr keeps a form-encoded request body in `form`; every recorded API call here sends JSON.
            raise ValueError('%s #%s sends a form body; Exchange reads JSON request bodies only' % (cassette, self.id))
        self.request_body = (request.get('body') or '').strip()
        self.status = int(response['code'])
        self.body = response.get('body') or ''
        content_types = (response.get('headers') or {}).get('Content-Type') or ['application/json']
        self.content_type = content_types[0]

    @property
    def base_url(self):
        return 'https://%s' % self.host

    @property
    def url_without_query(self):
        return self.base_url + self.path

    def segment(self, index):
        """Path segment `index` of /api/v2/organizations/{4}/members/{6}/roles, percent-decoded."""
        return unquote(self.path.split('/')[index])

    def json(self):
        """The decoded response body."""
        return json.loads(self.body)

    @property
    def request_json(self):
        """The decoded request body (None when empty or JSON null)."""
        return json.loads(self.request_body) if self.request_body else None

    def kind(self):
        """Which read/list endpoint this GET is (one of READ_KINDS), or None."""
        if self.method != 'GET':
            return None
        segments = self.path.split('/')
        if segments[:4] != ['', 'api', 'v2', 'organizations']:
            return None
        rest = segments[4:]
        if not rest:
            # Auth0 adds each organization's association with that client: another read than the plain list.
            if 'include_client_association_for' in self.query:
                return 'organization list with client association'
            return 'organization list'
        if len(rest) == 2 and rest[0] == 'name':
            return 'organization read by name'
        if len(rest) == 1:
            return 'organization read by id'
        if len(rest) == 2 and rest[1] == 'members':
            return 'organization members'
        if len(rest) == 4 and rest[1] == 'members' and rest[3] == 'roles':
            return 'organization member roles'
        return None

    def write_kind(self):
        """Which membership write this is (one of WRITE_KINDS), or None."""
        segments = self.path.split('/')
        verb = {'POST': 0, 'DELETE': 1}.get(self.method)
        if verb is None or segments[:4] != ['', 'api', 'v2', 'organizations']:
            return None
        rest = segments[4:]
        if len(rest) == 2 and rest[1] == 'members':
            return WRITE_KINDS[verb]
        if len(rest) == 4 and rest[1] == 'members' and rest[3] == 'roles':
            return WRITE_KINDS[2 + verb]
        return None

    def directory_kind(self):
        """Which user or role read this GET is (one of DIRECTORY_KINDS), or None."""
        if self.method != 'GET':
            return None
        segments = self.path.split('/')
        if segments[:3] != ['', 'api', 'v2'] or len(segments) < 4:
            return None
        rest = segments[3:]
        if rest == ['users-by-email']:
            return 'users by email'
        if rest[0] == 'users' and len(rest) == 2:
            return 'user read'
        if rest[0] == 'users' and len(rest) == 3 and rest[2] == 'organizations':
            return 'user organizations'
        if rest == ['roles']:
            return 'role list'
        if rest[0] == 'roles' and len(rest) == 2:
            return 'role read'
        return None

    @property
    def redacted(self):
        """True when the recorder replaced part of the answer (a secret) with [REDACTED]."""
        return REDACTED in self.body

    def label(self):
        return '%s #%s %s %s' % (self.cassette, self.id, self.method, self.url)

    def __repr__(self):
        return 'Exchange(%s -> %d)' % (self.label(), self.status)


class Cassette:
    """Every exchange of one cassette file, in recorded order. Treat it as read-only (load() shares it)."""

    def __init__(self, name):
        path = recordings_dir() / name
        if not path.is_file():
            raise RecordingsMissing('The recorded exchanges %s are missing from %s.' % (name, path.parent))
        with open(path, encoding='utf-8') as handle:
            document = yaml.load(handle, Loader=_YAML_LOADER)
        if document.get('version') != CASSETTE_VERSION:
            raise ValueError('%s is a go-vcr cassette of version %r; only version %d is read'
                             % (name, document.get('version'), CASSETTE_VERSION))
        self.name = name
        self.exchanges = [Exchange(name, interaction) for interaction in document['interactions']]

    def reads(self, kind=None):
        """The organization read/list GETs, in recorded order (only those of `kind` when given)."""
        found = [exchange for exchange in self.exchanges if exchange.kind()]
        redacted = [exchange.label() for exchange in found if exchange.redacted]
        if redacted:
            raise ValueError('the recorder redacted part of these answers, which cannot be compared: %s' % redacted)
        if kind is not None:
            found = [exchange for exchange in found if exchange.kind() == kind]
        return found

    def writes(self):
        """The membership writes (POST/DELETE of members and of member roles), in recorded order."""
        return [exchange for exchange in self.exchanges if exchange.write_kind()]

    def created(self, collection):
        """Decoded response bodies of the successful POSTs to /api/v2`collection` (e.g. '/users'), in order."""
        return [exchange.json() for exchange in self._posts(collection) if exchange.body]

    def posted(self, collection):
        """Decoded request bodies of the successful POSTs to /api/v2`collection`, in order."""
        return [exchange.request_json for exchange in self._posts(collection)]

    def _posts(self, collection):
        return [exchange for exchange in self.exchanges
                if exchange.method == 'POST' and exchange.path == '/api/v2' + collection and exchange.status < 300]

    def preexisting_organizations(self):
        """Organizations the recorded reads return that no recorded POST created, as first recorded.

        They were in the recorded tenant before the test began (a listing shows the whole tenant).
        """
        created = {organization['id'] for organization in self.created('/organizations')}
        found = {}
        for exchange in self.reads():
            if exchange.status != 200 or exchange.kind() not in _ORGANIZATION_ANSWERS:
                continue
            body = exchange.json()
            listed = body.get('organizations', [body]) if isinstance(body, dict) else body
            for organization in listed:
                if organization['id'] not in created:
                    found.setdefault(organization['id'], organization)
        return list(found.values())


@functools.lru_cache(maxsize=None)
def load(name):
    """The cassette `name` (set/file), parsed once per test run."""
    return Cassette(name)


def all_reads():
    """Every organization read/list GET of every cassette, in file then recorded order."""
    return [exchange for name in cassette_names() for exchange in load(name).reads()]


# Recorded writes that change nothing the organization reads above return: connections, applications and
# their links to organizations (the association listing is not modelled; see test_tenant_matches_recordings).
_UNMODELLED_WRITES = re.compile(r'^(connections|clients)(/[^/]+)?$|^organizations/[^/]+/(connections|clients)(/[^/]+)?$')


class TenantState:
    """Organizations, users, roles, memberships and role assignments, as a cassette's writes left them."""

    def __init__(self, preexisting=()):
        self.organizations = {organization['id']: organization for organization in preexisting}
        self.users = {}
        self.roles = {}
        self.members = {}
        self.assigned = {}
        self.version = 0

    def apply(self, exchange):
        """Apply one recorded write (a successful POST or DELETE); return True when the state changed."""
        if exchange.method not in ('POST', 'DELETE') or exchange.status >= 300:
            return False
        route = '/'.join(exchange.path.split('/')[3:])
        if _UNMODELLED_WRITES.match(route):
            return False
        parts = [unquote(part) for part in route.split('/')]
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
            # Auth0 answers the creation of a role without description with null, and every later read with ""
            # (terraform-provider-auth0 TestAccOrganizationMemberRoles #0, #1 and its member-roles reads).
            self.roles[created['id']] = dict(created, description=created.get('description') or '')
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
        elif len(parts) == 3 and parts[0] == 'organizations' and parts[2] == 'members':
            # Auth0 answers 204 also for a user who is no longer a member (recorded).
            joined = self.members.get(parts[1], [])
            joined[:] = [user_id for user_id in joined if user_id not in body['members']]
            # A member leaves with its roles in the organization (documented; the local tenant does the same).
            for user_id in body['members']:
                self.assigned.pop((parts[1], user_id), None)
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

    def member_ids(self, org_id):
        """The user ids of the organization's members, in the order they joined."""
        return [user_id for user_id in self.members.get(org_id, []) if user_id in self.users]

    def member_roles(self, org_id, user_id):
        """The roles ({id, name, description} as created) assigned to a member, in the order assigned."""
        return [self.roles[role_id] for role_id in self.assigned.get((org_id, user_id), []) if role_id in self.roles]

    def seed(self, member_order):
        """The LocalTenant seed of this state.

        `member_order` maps an org id to the user ids in the order Auth0 listed them: Auth0 does not list
        members in the order they were added (see the checkpoint cassette), and the tenant lists them in seed
        order, so a recorded listing fixes the seed order; members never listed keep the order they joined.
        Every organization key Auth0 returned besides id, name and display_name (branding, token_quota, ...)
        is seeded as recorded: the tenant must return it as Auth0 did.
        """
        organizations = []
        for org_id, org in self.organizations.items():
            joined = self.member_ids(org_id)
            listed = [user_id for user_id in member_order.get(org_id, []) if user_id in joined]
            ordered = listed + [user_id for user_id in joined if user_id not in listed]
            members = []
            for user_id in ordered:
                user = self.users[user_id]
                members.append({
                    'user_id': user_id, 'email': user['email'], 'picture': user['picture'], 'name': user['name'],
                    'roles': [role['name'] for role in self.member_roles(org_id, user_id)],
                })
            spec = dict(org, members=members, roles=[dict(role) for role in self.roles.values()])
            organizations.append(spec)
        # Every user and role as Auth0 answered its creation, members or not: the tenant's user and role
        # reads return them as recorded.
        return {'organizations': organizations, 'users': [dict(user) for user in self.users.values()],
                'roles': [dict(role) for role in self.roles.values()]}


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


def reads_in_state(cassette):
    """(read exchange, TenantState as the writes before it left it) for every read GET, in recorded order.

    The state object is one and the same, changed as the replay goes on: use it before taking the next item.
    """
    state = TenantState(cassette.preexisting_organizations())
    for exchange in cassette.exchanges:
        if exchange.kind():
            yield exchange, state
        else:
            state.apply(exchange)


def _cassette(cassette):
    return load(cassette) if isinstance(cassette, str) else cassette


def write_exchanges(cassette):
    """The membership write exchanges of a cassette (an object or its set/file name), in recorded order.

    Each has method, path (percent-encoded, as sent), request_json ({"members": [...]} or {"roles": [...]}),
    status and body (204 and '' in every recording), and write_kind().
    """
    return _cassette(cassette).writes()


def replayed_by_tenant(exchange):
    """True for what the local tenant answers: a membership write, or a read of organizations, users or roles."""
    return bool(exchange.write_kind() or exchange.directory_kind()
                or (exchange.kind() and exchange.kind() != 'organization list with client association'))


def write_replay(cassette):
    """(seed, exchanges): how to replay a cassette's writes against a LocalTenant seeded once.

    `seed` is the LocalTenant seed of the tenant just before the first membership write (its users, roles,
    organizations and memberships as the recorded writes before it left them). `exchanges` are, from that
    write on and in recorded order, the membership writes and the organization, user and role reads, up to
    the first recorded write the tenant does not model (deleting the test's organization, users or roles:
    the clean-up). ValueError when a replayed exchange follows such a write (the seed would no longer hold).
    """
    cassette = _cassette(cassette)
    writes = cassette.writes()
    if not writes:
        raise ValueError('%s records no membership write' % cassette.name)
    state = TenantState(cassette.preexisting_organizations())
    exchanges = iter(cassette.exchanges)
    for exchange in exchanges:
        if exchange is writes[0]:
            break
        if not exchange.kind():
            state.apply(exchange)
    seed = state.seed(recorded_member_order(cassette))
    replayed = [writes[0]]
    cleanup = None
    for exchange in exchanges:
        if replayed_by_tenant(exchange):
            if cleanup is not None:
                raise ValueError('%s comes after %s, which the local tenant does not model'
                                 % (exchange.label(), cleanup.label()))
            replayed.append(exchange)
        elif state.apply(exchange):
            cleanup = cleanup or exchange
    return seed, replayed
