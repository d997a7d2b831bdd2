"""Load the go-vcr cassettes recorded against a real Auth0 tenant (go-auth0 v1.45.0 test suite).

The cassettes are read with PyYAML when a test asks for them: nothing recorded is copied into this
repository. They live outside it, in ``<repo>/../shared/reference/recordings/go-auth0-v1.45.0``;
the environment variable AUTH0_RECORDINGS_DIR names another folder. A missing folder or cassette is
an error (RecordingsMissing), never a reason to skip: without the recordings nothing here is checked.
"""

import json
import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import yaml

ENV_RECORDINGS_DIR = 'AUTH0_RECORDINGS_DIR'
REPO = Path(__file__).resolve().parents[2]
DEFAULT_RECORDINGS_DIR = REPO.parent / 'shared' / 'reference' / 'recordings' / 'go-auth0-v1.45.0'

# The read/list endpoints this collection's client (and the local tenant) deal with.
READ_KINDS = (
    'organization read by id',
    'organization read by name',
    'organization list',
    'organization members',
    'organization member roles',
)


class RecordingsMissing(AssertionError):
    """The recorded exchanges cannot be found: the conformance tests fail instead of skipping."""


def recordings_dir():
    """The folder holding the cassettes; raise RecordingsMissing when it is not there."""
    configured = os.environ.get(ENV_RECORDINGS_DIR)
    folder = Path(configured) if configured else DEFAULT_RECORDINGS_DIR
    if not folder.is_dir():
        raise RecordingsMissing(
            'The recorded Auth0 exchanges are missing: %s is not a directory. They are go-vcr cassettes from '
            'auth0/go-auth0 v1.45.0 (test/data/recordings/); put them there or set %s to their folder.'
            % (folder, ENV_RECORDINGS_DIR))
    return folder


def cassette_names():
    """File names of every cassette in the recordings folder, sorted."""
    return sorted(path.name for path in recordings_dir().glob('*.yaml'))


class Exchange:
    """One recorded request and its response.

    Attributes: cassette (file name), id, method, url, host, path (still percent-encoded, as sent),
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

    def label(self):
        return '%s #%s %s %s' % (self.cassette, self.id, self.method, self.url)

    def __repr__(self):
        return 'Exchange(%s -> %d)' % (self.label(), self.status)


class Cassette:
    """Every exchange of one cassette file, in recorded order."""

    def __init__(self, name):
        path = recordings_dir() / name
        if not path.is_file():
            raise RecordingsMissing('The recorded exchanges %s are missing from %s.' % (name, path.parent))
        with open(path, encoding='utf-8') as handle:
            document = yaml.safe_load(handle)
        self.name = name
        self.exchanges = [Exchange(name, interaction) for interaction in document['interactions']]

    def reads(self, kind=None):
        """The organization read/list GETs, in recorded order (only those of `kind` when given)."""
        found = [exchange for exchange in self.exchanges if exchange.kind()]
        if kind is not None:
            found = [exchange for exchange in found if exchange.kind() == kind]
        return found

    def created(self, collection):
        """Decoded response bodies of the successful POSTs to /api/v2`collection` (e.g. '/users'), in order."""
        return [exchange.json() for exchange in self._posts(collection) if exchange.body]

    def posted(self, collection):
        """Decoded request bodies of the successful POSTs to /api/v2`collection`, in order."""
        return [exchange.request_json for exchange in self._posts(collection)]

    def _posts(self, collection):
        return [exchange for exchange in self.exchanges
                if exchange.method == 'POST' and exchange.path == '/api/v2' + collection and exchange.status < 300]


def load(name):
    return Cassette(name)


def all_reads():
    """Every organization read/list GET of every cassette, in file then recorded order."""
    return [exchange for name in cassette_names() for exchange in load(name).reads()]
