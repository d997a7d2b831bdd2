"""Property-based tests of argument validation (hypothesis), in process with HTTP mocked by `responses`.

Every input is either accepted and sent, URL-encoded, to the right path on the right host, or refused
with a message naming the option, before any request. No input may raise anything but the client's
own errors (a traceback for the user), nor reach another host or path.
"""

import contextlib
import decimal
import io
import json
import re
import sys
import time
from urllib.parse import parse_qs, quote, urlsplit

import jwt
import pytest
import responses
from hypothesis import HealthCheck, given, settings, strategies as st

from local_tenant import new_rsa_key, private_key_pem

from ansible.module_utils.common.validation import check_type_int
from ansible.module_utils.testing import patch_module_args
from ansible_collections.community.auth0.plugins.module_utils._auth0 import Auth0Client
from ansible_collections.community.auth0.plugins.module_utils._auth0_errors import Auth0ConfigError, Auth0Error
from ansible_collections.community.auth0.plugins.modules import auth0_org_members_info

TOKEN = 'fuzz-static-token'
ORG_ID = 'org_Fuzz0rg1d'
FOUND_ORG_ID = 'org_FoundByName1'
MEMBERS = [{'user_id': 'auth0|1', 'email': 'a@example.com', 'roles': []}]
SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])

LABEL = st.from_regex(r'[a-z0-9]([a-z0-9-]{0,12}[a-z0-9])?', fullmatch=True)
HOSTNAME = st.lists(LABEL, min_size=1, max_size=4).map('.'.join)
HOST = st.one_of(HOSTNAME, st.sampled_from(['localhost', 'LocalHost', '127.0.0.1', '127.3.2.1', '[::1]', '10.0.0.1',
                                            '8.8.8.8', '[fe80::1]', '[::1', 'xn--bcher-kva.example', 'tenant.auth0.com.']))
NASTY = ['', '', '', '/', '/api/v2', '/../../admin', '/..%2F..%2Fadmin', '%2F', '%2e%2e', '?x=1', '#frag', '\r\nX-Injected: 1',
         '\n', ' ', '\t', '\x00', '@evil.example', 'user:pass@', '\\evil', ';param', '\u2028', '\u00e9', '\U0001f600', ':',
         ':0', ':65536', ':8443', ':443', ':-1', ':\u00b2', ':12a']
SCHEME = st.sampled_from(['', '', 'https://', 'http://', 'HTTPS://', 'Http://', 'ftp://', 'file://', '//', 'https:/'])
DOMAINS = st.one_of(
    st.builds(lambda scheme, info, host, tail: scheme + info + host + tail,
              SCHEME, st.sampled_from(['', '', 'user@', 'admin:s3cret@']), HOST,
              st.lists(st.sampled_from(NASTY), max_size=2).map(''.join)),
    st.text(max_size=80),
    st.builds(lambda label, count: '.'.join([label] * count), LABEL, st.integers(1, 400)),  # very long
)
ORG_IDS = st.one_of(
    st.from_regex(r'org_[A-Za-z0-9]{1,20}', fullmatch=True),
    st.builds(lambda base, tail: base + tail, st.from_regex(r'org_[A-Za-z0-9]{1,20}', fullmatch=True),
              st.sampled_from(NASTY + ['/members', '%2F..', '\u0661', '\uff10'])),
    st.builds(lambda count: 'org_' + 'a' * count, st.integers(1000, 20000)),
    st.text(max_size=40),
)
ORG_NAMES = st.one_of(
    st.from_regex(r'[a-z0-9_-]{1,50}', fullmatch=True),
    st.builds(lambda base, tail: base + tail, st.from_regex(r'[a-z0-9_-]{1,10}', fullmatch=True), st.sampled_from(NASTY)),
    st.sampled_from(['..', '.', '%2e%2e', 'a/b', 'A', 'a' * 51, 'a' * 5000]),
    st.text(max_size=60),
)


class Recorder:
    """responses callbacks playing a tiny tenant: one member, organizations by name, tokens."""

    def __init__(self, mock):
        mock.add_callback(responses.GET, re.compile(r'.*'), callback=self.get)
        mock.add_callback(responses.POST, re.compile(r'.*'), callback=self.post)
        self.mock = mock

    @staticmethod
    def get(request):
        url = urlsplit(request.url)
        if url.path.startswith('/api/v2/organizations/name/'):
            return 200, {}, json.dumps({'id': FOUND_ORG_ID, 'name': 'found', 'display_name': 'Found'})
        # Offset paging as Auth0 answers it: a bare array, or with include_totals an object with the total.
        query = parse_qs(url.query)
        page, per_page = int(query['page'][0]), int(query['per_page'][0])
        members = MEMBERS[page * per_page:(page + 1) * per_page]
        if query.get('include_totals') == ['true']:
            return 200, {}, json.dumps({'members': members, 'start': page * per_page, 'limit': per_page,
                                        'total': len(MEMBERS)})
        return 200, {}, json.dumps(members)

    @staticmethod
    def post(request):  # pylint: disable=unused-argument
        return 200, {}, json.dumps({'access_token': 'minted-by-fuzz', 'token_type': 'Bearer'})

    def calls(self):
        """[(method, scheme, netloc, raw path, decoded query dict)] of every request sent."""
        return [(call.request.method, urlsplit(call.request.url).scheme, urlsplit(call.request.url).netloc,
                 urlsplit(call.request.url).path, parse_qs(urlsplit(call.request.url).query, keep_blank_values=True))
                for call in self.mock.calls]


@contextlib.contextmanager
def mocked_api():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield Recorder(mock)


def no_sleep(seconds):
    raise AssertionError('nothing should be retried here (asked to sleep %r s)' % seconds)


def client(domain='tenant.example.com', **kwargs):
    kwargs.setdefault('token', TOKEN)
    return Auth0Client(domain, sleep=no_sleep, clock=time.time, **kwargs)


def expect_refusal(error, option, api):
    assert isinstance(error, Auth0ConfigError), repr(error)
    assert option in str(error), 'the message does not name %s: %s' % (option, error)
    assert not api.calls(), 'a refused input still sent %r' % api.calls()


def members_path(org_id):
    return '/api/v2/organizations/%s/members' % quote(org_id, safe='')


def expected_base(domain):
    """(scheme, netloc) the requests must go to, read from the domain independently of the client."""
    scheme, separator, rest = domain.partition('://')
    if not separator:
        scheme, rest = 'https', domain
    return scheme.lower(), (rest[:-1] if rest.endswith('/') else rest).lower()


@SETTINGS
@given(domain=DOMAINS)
def test_domain_is_a_host_or_refused(domain):
    with mocked_api() as api:
        try:
            client(domain).organization_members(org_id=ORG_ID)
        except Auth0Error as error:
            expect_refusal(error, 'domain', api)
            return
        scheme, netloc = expected_base(domain)
        host = netloc.rsplit(':', 1)[0] if not netloc.endswith(']') else netloc
        assert not any(char in netloc for char in '/?#@\\%') and netloc.isprintable() and ' ' not in netloc, netloc
        assert scheme == 'https' or host in ('localhost', '[::1]') or host.startswith('127.'), 'cleartext to %s' % host
        assert api.calls() and all(call[1:4] == (scheme, netloc, members_path(ORG_ID)) for call in api.calls()), api.calls()


@SETTINGS
@given(org_id=ORG_IDS)
def test_org_id_is_an_id_or_refused(org_id):
    with mocked_api() as api:
        try:
            client().organization_members(org_id=org_id)
        except Auth0Error as error:
            expect_refusal(error, 'org_id', api)
            return
        assert re.match(r'org_[A-Za-z0-9]+\Z', org_id), 'accepted %r' % org_id
        assert [call[2:4] for call in api.calls()] == [('tenant.example.com', members_path(org_id))]


@SETTINGS
@given(org_name=ORG_NAMES)
def test_org_name_is_a_name_or_refused(org_name):
    with mocked_api() as api:
        try:
            organization, _members = client().organization_members(org_name=org_name)
        except Auth0Error as error:
            expect_refusal(error, 'org_name', api)
            return
        assert organization['id'] == FOUND_ORG_ID
        assert [call[3] for call in api.calls()] == ['/api/v2/organizations/name/%s' % quote(org_name, safe=''),
                                                     members_path(FOUND_ORG_ID)]
        assert all(call[2] == 'tenant.example.com' for call in api.calls())


@SETTINGS
@given(fields=st.lists(st.text(max_size=30).filter(lambda field: field != 'roles'), min_size=1, max_size=4),
       include_fields=st.booleans())
def test_fields_are_sent_url_encoded_in_the_query(fields, include_fields):
    """The client trusts the module's choices for fields; whatever it gets stays inside one query value."""
    with mocked_api() as api:
        client().organization_members(org_id=ORG_ID, fields=fields, include_fields=include_fields)
        (call,) = api.calls()
        assert call[2:4] == ('tenant.example.com', members_path(ORG_ID))
        assert call[4]['fields'] == [','.join(fields)]
        assert call[4]['include_fields'] == ['true' if include_fields else 'false']


@SETTINGS
@given(page=st.one_of(st.none(), st.integers(-10, 10 ** 30)), per_page=st.integers(-5, 10 ** 6))
def test_page_and_per_page_in_range_or_refused(page, per_page):
    with mocked_api() as api:
        try:
            client().organization_members(org_id=ORG_ID, page=page, per_page=per_page)
        except Auth0Error as error:
            expect_refusal(error, 'page' if page is not None and page < 0 else 'per_page', api)
            return
        assert (page is None or page >= 0) and 1 <= per_page <= 100
        (call,) = api.calls()
        assert call[2:4] == ('tenant.example.com', members_path(ORG_ID))
        if page is None:  # the whole list: one member, so the first offset page (with the total) is all of it
            assert call[4] == {'page': ['0'], 'per_page': [str(per_page)], 'include_totals': ['true']}, call[4]
        else:
            assert call[4] == {'page': [str(page)], 'per_page': [str(per_page)]}, call[4]


@SETTINGS
@given(timeout=st.one_of(st.integers(-5, 5000), st.integers(10 ** 9, 10 ** 30)))
def test_timeout_in_range_or_refused(timeout):
    with mocked_api() as api:
        try:
            client(timeout=timeout).organization_members(org_id=ORG_ID)
        except Auth0Error as error:
            expect_refusal(error, 'timeout', api)
            return
        assert 1 <= timeout <= 3600 and len(api.calls()) == 1


# Ranges of the limits that only bound waiting and concurrency: (least, most); None: no upper bound.
LIMITS = {'rate_limit_timeout': (0, None), 'max_concurrent_requests': (1, 16)}


def in_range(option, value):
    least, most = LIMITS[option]
    return least <= value and (most is None or value <= most)


@pytest.mark.parametrize('option', sorted(LIMITS))
@SETTINGS
@given(value=st.one_of(st.integers(-5, 40), st.integers(10 ** 9, 10 ** 30)))
def test_limits_in_range_or_refused(option, value):
    """Three organizations read through the concurrent path, or a refusal naming the option before any request."""
    org_ids = [ORG_ID, 'org_Second0rg', 'org_Third0rg']
    with mocked_api() as api:
        try:
            members = client(**{option: value}).members_of(org_ids)
        except Auth0Error as error:
            expect_refusal(error, option, api)
            assert not in_range(option, value), 'refused %s %r: %s' % (option, value, error)
            return
        assert in_range(option, value), 'accepted %s %r' % (option, value)
        assert members == [MEMBERS] * len(org_ids)
        assert sorted(call[2:4] for call in api.calls()) == sorted(
            ('tenant.example.com', members_path(org_id)) for org_id in org_ids)


@pytest.mark.parametrize('timeout', [3600, 10 ** 10, 10 ** 20])
def test_timeout_against_real_sockets(tenant, orgs, timeout):
    """responses never opens a socket: a timeout too large for the socket layer only shows on a real one."""
    org = orgs[0]
    try:
        _org, members = Auth0Client(tenant.domain, token=tenant.mint_token(), ca_path=tenant.ca_path,
                                    timeout=timeout).organization_members(org_id=org.id)
    except Auth0ConfigError as error:
        assert 'timeout' in str(error) and timeout > 3600
        assert not tenant.requests
        return
    assert len(members) == len(org.members)


AUDIENCES = st.one_of(st.text(max_size=60), st.sampled_from(['https://evil.example/api/v2/', '../../oauth/token',
                                                            'https://t/api/v2/?x=1#f', 'a\r\nb', '\u00e9\U0001f600']))


@SETTINGS
@given(audience=AUDIENCES)
def test_audience_goes_only_into_the_token_request_body(audience):
    with mocked_api() as api:
        minting = client(token=None, client_id='fuzz-client', client_secret='fuzz-secret', audience=audience)
        minting.organization_members(org_id=ORG_ID)
        expected = [('POST', 'https', 'tenant.example.com', '/oauth/token'),
                    ('GET', 'https', 'tenant.example.com', members_path(ORG_ID))]
        assert [call[:4] for call in api.calls()] == expected
        body = parse_qs(api.mock.calls[0].request.body, keep_blank_values=True)
        assert body['audience'] == [audience or 'https://tenant.example.com/api/v2/']


SIGNING_KEY = new_rsa_key()
SIGNING_PEM = private_key_pem(SIGNING_KEY)
SIGNING_ALGORITHMS = ('RS256', 'RS384', 'PS256')
BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\n'
PRIVATE_KEYS = st.one_of(
    st.text(max_size=120),
    st.builds(lambda label, body, end: '-----BEGIN %s-----\n%s\n%s' % (label, body, end),
              st.sampled_from(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'PUBLIC KEY',
                               'RSA PUBLIC KEY', 'CERTIFICATE', 'OPENSSH PRIVATE KEY', '', 'X\u00e9']),
              st.text(alphabet=BASE64, max_size=400), st.sampled_from(['-----END PRIVATE KEY-----', '', '-----END'])),
    # The real key with one character changed: still PEM-shaped, mostly unloadable.
    st.builds(lambda index, char: SIGNING_PEM[:index] + char + SIGNING_PEM[index + 1:],
              st.integers(0, len(SIGNING_PEM) - 1), st.sampled_from(list('A/+=\n -\\\x00\u00e9'))),
    st.sampled_from([SIGNING_PEM, SIGNING_PEM.replace('\n', '\\n'), SIGNING_PEM.replace('\n', '\r\n'), '  ' + SIGNING_PEM]),
)
SIGNING_ALGS = st.one_of(st.sampled_from(SIGNING_ALGORITHMS + (None,)), st.text(max_size=12))


def key_windows(private_key, size=16):
    """Every run of `size` characters of the key's body (not its armor): none may appear in a message."""
    lines = [line for line in str(private_key).splitlines() if '-----' not in line]
    return {line[start:start + size] for line in lines for start in range(len(line) - size + 1)}


@SETTINGS
@given(private_key=PRIVATE_KEYS, signing_alg=SIGNING_ALGS)
def test_private_key_signs_or_is_refused_without_being_quoted(private_key, signing_alg):
    with mocked_api() as api:
        try:
            client(token=None, client_id='fuzz-client', client_assertion_private_key=private_key,
                   client_assertion_signing_alg=signing_alg).access_token()
        except Auth0Error as error:
            # An empty algorithm means the default, RS256; the algorithm is checked before the key.
            bad_alg = signing_alg and signing_alg not in SIGNING_ALGORITHMS and private_key
            expect_refusal(error, 'client_assertion_signing_alg' if bad_alg else 'client_assertion_private_key', api)
            leaked = [window for window in key_windows(private_key) if window in str(error)]
            assert not leaked, 'the message quotes the key: %r' % leaked[:3]
            return
        assert [call[:4] for call in api.calls()] == [('POST', 'https', 'tenant.example.com', '/oauth/token')]
        form = parse_qs(api.mock.calls[0].request.body)
        assert 'client_secret' not in form
        # Only the signing key (however its text was wrapped) may be accepted: the assertion proves which key signed.
        claims = jwt.decode(form['client_assertion'][0], SIGNING_KEY.public_key(), algorithms=[signing_alg or 'RS256'],
                            audience='https://tenant.example.com/')
        assert claims['iss'] == claims['sub'] == 'fuzz-client' and claims['exp'] - claims['iat'] == 60


# -- through the module's main(): AnsibleModule's own checks, then the client's -------------------------

GOOD = dict(domain='tenant.example.com', token=TOKEN, org_id=ORG_ID)
OPTION_VALUES = {
    'domain': DOMAINS,
    'org_id': ORG_IDS,
    'org_name': ORG_NAMES,
    'fields': st.lists(st.one_of(st.sampled_from(['user_id', 'email', 'name', 'picture', 'roles']), st.text(max_size=20)),
                       max_size=3),
    'page': st.one_of(st.integers(-3, 10 ** 20), st.text(max_size=10)),
    'per_page': st.one_of(st.integers(-3, 300), st.text(max_size=10)),
    'timeout': st.one_of(st.integers(-3, 10 ** 12), st.text(max_size=10)),
    'audience': st.text(max_size=40),
    'rate_limit_timeout': st.one_of(st.integers(-3, 10 ** 12), st.text(max_size=10)),
    'max_concurrent_requests': st.one_of(st.integers(-3, 40), st.text(max_size=10)),
    'client_assertion_private_key': PRIVATE_KEYS,
    'client_assertion_signing_alg': SIGNING_ALGS,
}


# ansible-core logs every module's arguments to syslog before the module runs, and Python 3.12 and later
# refuse a NUL character there: ansible-core then fails the task with its own message, which names no
# option ("Failed to log to syslog (embedded null character). To proceed anyway, disable syslog ...").
SYSLOG_REFUSES_NUL = sys.version_info >= (3, 12)
SYSLOG_NUL_FAILURE = 'Failed to log to syslog (embedded null character)'


def has_nul(value):
    if isinstance(value, list):
        return any(has_nul(item) for item in value)
    return isinstance(value, str) and '\x00' in value


def _int_check_overflows():
    """Whether this ansible-core's int check lets OverflowError out for 'inf' (2.18 to 2.21; 2.22 fixed it)."""
    try:
        check_type_int('inf')
    except OverflowError:
        return True
    except TypeError:
        return False
    raise AssertionError("check_type_int('inf') gave a number")


# ansible-core 2.18 to 2.21 read an int option through Decimal and do not catch the OverflowError of an
# infinity ('inf', '-Infinity'...): AnsibleModule raises it while validating, before the module runs, a
# traceback of ansible-core's that no module can turn into a message.
INT_CHECK_OVERFLOWS = _int_check_overflows()
INT_OPTIONS = ('page', 'per_page', 'timeout', 'rate_limit_timeout', 'max_concurrent_requests')


def is_infinity(value):
    try:
        return isinstance(value, str) and decimal.Decimal(value).is_infinite()
    except decimal.DecimalException:
        return False


def run_main(args):
    out = io.StringIO()
    with patch_module_args(args), contextlib.redirect_stdout(out):
        with pytest.raises(SystemExit):
            auth0_org_members_info.main()
    return out.getvalue()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), option=st.sampled_from(sorted(OPTION_VALUES)))
def test_module_refuses_bad_options_by_name_and_sends_nothing(data, option):
    check_module_with(option, data.draw(OPTION_VALUES[option], label=option))


@pytest.mark.parametrize('option', INT_OPTIONS)
@pytest.mark.parametrize('value', ['inf', '-Infinity'])
def test_an_infinite_number_is_refused_before_any_request(option, value):
    check_module_with(option, value)


def check_module_with(option, value):
    """Run the module with one option set to value: refused by name before any request, or sent as it should be."""
    args = dict(GOOD, **{option: value})
    if option == 'org_name':
        del args['org_id']
    with mocked_api() as api:
        if INT_CHECK_OVERFLOWS and option in INT_OPTIONS and is_infinity(value):
            with pytest.raises(OverflowError):
                run_main(args)
            assert not api.calls(), 'ansible-core failed the arguments, yet a request was sent'
            return
        printed = run_main(args)
        calls = api.calls()
    assert 'Traceback' not in printed
    result = json.loads(printed)
    if result.get('failed'):
        if not (SYSLOG_REFUSES_NUL and has_nul(value) and result['msg'].startswith(SYSLOG_NUL_FAILURE)):
            assert option in result['msg'], 'the message does not name %s: %s' % (option, result['msg'])
        assert not calls, 'a refused input still sent %r' % calls
        return
    assert calls
    if option in LIMITS:  # as AnsibleModule reads an int option (through Decimal), then the client's range
        number = value if isinstance(value, int) else decimal.Decimal(value)
        assert number == int(number) and in_range(option, int(number)), 'accepted %s %r' % (option, value)
    for method, scheme, netloc, path, _query in calls:
        assert netloc == (expected_base(value)[1] if option == 'domain' else 'tenant.example.com')
        assert scheme == (expected_base(value)[0] if option == 'domain' else 'https')
        allowed = [members_path(FOUND_ORG_ID if option == 'org_name' else args['org_id'])]
        if option == 'org_name':
            allowed.append('/api/v2/organizations/name/' + quote(value, safe=''))
        assert method == 'GET' and path in allowed, (method, path)
