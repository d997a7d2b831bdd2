# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Auth0 Management API client shared by every module and plugin of community.auth0.

For internal collection use only: names here may change in any release.

Everything that talks to Auth0 lives here: option validation, the HTTP session, authentication
(static token or client-credentials grant), retries and rate-limit pacing, paging and the mapping
of Auth0's errors to messages a person can act on. Modules and plugins only describe their options
and call one method.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import functools
import ipaddress
import json
import os
import random
import re
import time
import warnings
from email.utils import parsedate_to_datetime
from urllib.parse import quote

try:
    import requests
    from urllib3.exceptions import InsecureRequestWarning
    HAS_REQUESTS = True
except ImportError:
    HAS_REQUESTS = False


MEMBER_FIELDS = ('user_id', 'email', 'name', 'picture', 'roles')
DEFAULT_MEMBER_FIELDS = ('user_id', 'email', 'name', 'picture')
MAX_PAGE_SIZE = 100
# A single wait never exceeds this, so one bad Reset header cannot park a job for an hour.
MAX_WAIT_SECONDS = 60
# The longest per-request timeout accepted.
MAX_TIMEOUT_SECONDS = 3600
BACKOFF_BASE_SECONDS = 0.5

SCOPE_MEMBERS = 'read:organization_members'
SCOPE_MEMBER_ROLES = 'read:organization_member_roles'
SCOPE_ORGANIZATIONS = 'read:organizations'

ENV_DOMAIN = 'AUTH0_DOMAIN'
ENV_TOKEN = 'AUTH0_API_TOKEN'
ENV_CLIENT_ID = 'AUTH0_CLIENT_ID'
ENV_CLIENT_SECRET = 'AUTH0_CLIENT_SECRET'
ENV_AUDIENCE = 'AUTH0_AUDIENCE'

_ORG_ID = re.compile(r'^org_[A-Za-z0-9]+\Z')
# Auth0 only accepts lowercase letters, digits, '-' and '_' in organization names (1-50 chars).
_ORG_NAME = re.compile(r'^[a-z0-9_-]{1,50}\Z')
_HOST_LABEL = re.compile(r'^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$')


class Auth0Error(Exception):
    """Base of every failure the client reports; `str()` is a message written for a person."""

    def __init__(self, message, status=None, error_code=None):
        super(Auth0Error, self).__init__(message)
        self.message = message
        self.status = status
        self.error_code = error_code

    def result_fields(self):
        """The failure as module result keys: msg, plus status and error_code when known."""
        fields = dict(msg=self.message)
        if self.status is not None:
            fields['status'] = self.status
        if self.error_code:
            fields['error_code'] = self.error_code
        return fields


class Auth0ConfigError(Auth0Error):
    """An option is unusable; raised before any request is sent."""


class Auth0ConnectionError(Auth0Error):
    """No usable HTTP answer: DNS, refused or reset connection, TLS or timeout."""


class Auth0APIError(Auth0Error):
    """Auth0 answered with an error status."""


class Auth0RateLimitError(Auth0APIError):
    """Auth0 kept answering 429 after every retry."""


class Auth0ResponseError(Auth0Error):
    """Auth0's answer cannot be trusted: not JSON, the wrong shape, or paging that loops."""


def parse_domain(domain):
    """Return the base URL (scheme://host[:port]) for a `domain` option value.

    A bare host[:port] means https. http:// is only allowed for loopback hosts: the token would
    otherwise cross the network in clear text.
    """
    if not isinstance(domain, str) or not domain:
        raise Auth0ConfigError('domain is required: the tenant or custom domain, e.g. travel0.us.auth0.com '
                               '(or set %s).' % ENV_DOMAIN)
    shown = domain if len(domain) <= 100 else domain[:100] + '...'
    if any(char.isspace() or not char.isprintable() for char in domain):
        raise Auth0ConfigError('domain %r contains whitespace or control characters; give only the host name, '
                               'e.g. travel0.us.auth0.com.' % shown)
    scheme, separator, rest = domain.partition('://')
    if not separator:
        scheme, rest = 'https', domain
    scheme = scheme.lower()
    if scheme not in ('https', 'http'):
        raise Auth0ConfigError('domain %r uses the scheme %r; only https:// (or http:// for a loopback test '
                               'tenant) is accepted.' % (shown, scheme))
    if rest.endswith('/'):
        rest = rest[:-1]
    if not rest or any(char in rest for char in '/?#@\\%'):
        raise Auth0ConfigError('domain %r must be a host name with an optional port, without a path, query, '
                               'fragment or user-info, e.g. travel0.us.auth0.com.' % shown)
    host, port = _split_host_port(rest, shown)
    if scheme == 'http' and not _is_loopback(host):
        raise Auth0ConfigError('domain %r uses http://, which would send the token in clear text; http:// is '
                               'only allowed for loopback hosts (127.0.0.1, ::1, localhost). Use https://.' % shown)
    return '%s://%s%s' % (scheme, host, ':%d' % port if port is not None else '')


def _split_host_port(netloc, shown):
    if netloc.startswith('['):
        host, bracket, port_text = netloc[1:].partition(']')
        if not bracket or (port_text and not port_text.startswith(':')):
            raise Auth0ConfigError('domain %r has a malformed IPv6 address; write it as [::1]:8443.' % shown)
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise Auth0ConfigError('domain %r has an invalid IPv6 address.' % shown)
        host = '[%s]' % host
        port_text = port_text[1:] if port_text else None
    else:
        host, colon, port_text = netloc.partition(':')
        port_text = port_text if colon else None
        if not host or not all(_HOST_LABEL.match(label) for label in host.split('.')):
            raise Auth0ConfigError('domain %r is not a valid host name: use letters, digits, hyphens and dots '
                                   '(internationalized names in their xn-- form).' % shown)
    if port_text is None:
        return host.lower(), None
    # isdigit() alone also accepts non-ASCII digits such as '\u00b2', which int() rejects.
    if not (port_text.isascii() and port_text.isdigit()) or not 0 < int(port_text) < 65536:
        raise Auth0ConfigError('domain %r has an invalid port; it must be a number from 1 to 65535.' % shown)
    return host.lower(), int(port_text)


def _is_loopback(host):
    if host == 'localhost':
        return True
    try:
        return ipaddress.ip_address(host.strip('[]')).is_loopback
    except ValueError:
        return False


def _check_page_size(per_page):
    if not 1 <= per_page <= MAX_PAGE_SIZE:
        raise Auth0ConfigError('per_page must be between 1 and %d, not %r.' % (MAX_PAGE_SIZE, per_page))


def validate_org_id(org_id):
    if not isinstance(org_id, str) or not _ORG_ID.match(org_id):
        raise Auth0ConfigError('org_id %r is not an Auth0 Organization id: it must be org_ followed by letters '
                               'and digits, e.g. org_W30Ft8gJJmwlnOHU.' % _clip(org_id))
    return org_id


def validate_org_name(org_name):
    if not isinstance(org_name, str) or not _ORG_NAME.match(org_name):
        raise Auth0ConfigError('org_name %r is not an Auth0 Organization name: names are 1 to 50 lowercase '
                               'letters, digits, hyphens or underscores, e.g. travel0-partners.' % _clip(org_name))
    return org_name


def _clip(value, limit=60):
    text = str(value)
    return text if len(text) <= limit else text[:limit] + '...'


def resolve_connection(get_option, environ=None):
    """Collect the client's keyword arguments from options, binding environment variables last.

    `get_option(name)` returns an option's value or None: module.params.get for modules, a
    plugin's get_option for lookups. Explicit credentials of either kind win over any in the
    environment; the environment is read only when the task gives none.
    """
    environ = os.environ if environ is None else environ
    token = get_option('token')
    client_id = get_option('client_id')
    client_secret = get_option('client_secret')
    if not (token or client_id or client_secret):
        token = environ.get(ENV_TOKEN) or None
        client_id = environ.get(ENV_CLIENT_ID) or None
        client_secret = environ.get(ENV_CLIENT_SECRET) or None
        if token and (client_id or client_secret):
            # Both kinds in the environment: a static token is the narrower, explicit choice.
            client_id = client_secret = None
    if token and (client_id or client_secret):
        raise Auth0ConfigError('token and client_id/client_secret are mutually exclusive: give one way to '
                               'authenticate.')
    if bool(client_id) != bool(client_secret):
        raise Auth0ConfigError('client_id and client_secret must be given together (options or the %s and %s '
                               'environment variables).' % (ENV_CLIENT_ID, ENV_CLIENT_SECRET))
    if not (token or client_id):
        raise Auth0ConfigError('No credentials: give token (or %s), or client_id and client_secret (or %s and '
                               '%s).' % (ENV_TOKEN, ENV_CLIENT_ID, ENV_CLIENT_SECRET))
    return dict(
        domain=get_option('domain') or environ.get(ENV_DOMAIN),
        token=token,
        client_id=client_id,
        client_secret=client_secret,
        audience=get_option('audience') or environ.get(ENV_AUDIENCE) or None,
        timeout=get_option('timeout'),
        max_retries=get_option('max_retries'),
        validate_certs=get_option('validate_certs'),
        ca_path=get_option('ca_path'),
    )


def member_fields_query(fields=None, include_fields=True, include_roles=False):
    """Query parameters selecting member fields; roles always come inline, as an included field.

    Auth0 returns roles only when `roles` is an *included* field, so an exclusion list is turned
    into the equivalent inclusion list when roles are wanted.
    """
    fields = list(fields or [])
    if not include_roles:
        if not fields:
            return {}
        return {'fields': ','.join(fields), 'include_fields': 'true' if include_fields else 'false'}
    if not fields:
        wanted = list(DEFAULT_MEMBER_FIELDS)
    elif include_fields:
        wanted = [field for field in fields if field != 'roles']
    else:
        wanted = [field for field in MEMBER_FIELDS if field not in fields and field != 'roles']
    return {'fields': ','.join(wanted + ['roles']), 'include_fields': 'true'}


def roles_requested(fields=None, include_fields=True, include_roles=False):
    return bool(include_roles or (include_fields and fields and 'roles' in fields))


def _redacting_secrets(method):
    """Decorate a public client method so that no credential survives in its error messages.

    Auth0 (or a proxy in front of it) may echo a token or secret back in an error body, and the
    client quotes Auth0's words; lookups have no no_log masking, so the client scrubs them itself.
    """
    @functools.wraps(method)
    def scrubbed(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Auth0Error as error:
            error.message = redact(error.message, self._secrets)
            error.args = (error.message,)
            raise
    return scrubbed


def redact(text, secrets):
    """`text` with every secret, and every run of 12 or more of its leading characters, masked."""
    for secret in secrets:
        text = text.replace(secret, '********')
        probe = secret[:12]
        while len(probe) == 12 and probe in text:
            start = end = text.index(probe)
            while end < len(text) and end - start < len(secret) and text[end] == secret[end - start]:
                end += 1
            text = text[:start] + '********' + text[end:]
    return text


class _RateLimitBucket:
    """What Auth0's X-RateLimit-* headers last said about one endpoint's bucket."""

    def __init__(self):
        self.remaining = None
        self.reset_at = None

    def update(self, headers):
        remaining = _int_header(headers, 'X-RateLimit-Remaining')
        reset_at = _int_header(headers, 'X-RateLimit-Reset')
        if remaining is not None:
            self.remaining = remaining
        if reset_at is not None:
            self.reset_at = reset_at


@contextlib.contextmanager
def _without_insecure_warnings():
    """Silence urllib3's InsecureRequestWarning, for requests the user chose not to verify.

    With validate_certs: false (documented as unsafe) one warning per page on the controller's
    stderr would only bury the task output. Only unverified requests pay for catch_warnings,
    which saves and restores the process-wide filter list.
    """
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', InsecureRequestWarning)
        yield


def _int_header(headers, name):
    value = headers.get(name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


class Auth0Client:
    """One Auth0 tenant's Management API, over one keep-alive requests.Session.

    `sleep` and `clock` are injectable so that tests can check retry timing without waiting.
    """

    def __init__(self, domain, token=None, client_id=None, client_secret=None, audience=None,
                 timeout=30, max_retries=5, validate_certs=True, ca_path=None,
                 session=None, sleep=time.sleep, clock=time.time):
        if not HAS_REQUESTS and session is None:
            raise Auth0ConfigError('The Python library requests is required on the host that runs community.auth0 '
                                   '(pip install requests).')
        self.base_url = parse_domain(domain)
        self.host = self.base_url.split('://', 1)[1]
        self.audience = audience or self.base_url + '/api/v2/'
        if not token and not (client_id and client_secret):
            raise Auth0ConfigError('No credentials: give token, or client_id and client_secret.')
        if token and any(char.isspace() or not char.isprintable() for char in token):
            # requests would refuse the header with an error quoting it, escaped past no_log's masking.
            raise Auth0ConfigError('token contains whitespace or control characters (e.g. a trailing newline from a '
                                   'file or a YAML block scalar); give the bare token.')
        if timeout is not None and timeout < 1:
            raise Auth0ConfigError('timeout must be at least 1 second, not %r.' % timeout)
        if timeout is not None and timeout > MAX_TIMEOUT_SECONDS:
            # Far larger values overflow the socket layer (OverflowError, a traceback) instead of waiting.
            raise Auth0ConfigError('timeout must be at most %d seconds, not %r.' % (MAX_TIMEOUT_SECONDS, timeout))
        if max_retries is not None and max_retries < 0:
            raise Auth0ConfigError('max_retries must be 0 or more, not %r.' % max_retries)
        if ca_path and not os.path.isfile(ca_path):
            raise Auth0ConfigError('ca_path %r is not a readable file; give the path of a PEM CA bundle.'
                                   % _clip(ca_path, 200))
        self.timeout = 30 if timeout is None else timeout
        self.max_retries = 5 if max_retries is None else max_retries
        # Passed with every request: in a Session that trusts the environment (one handed in by a
        # caller), a Session's own verify loses to REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE.
        self._verify = (ca_path or True) if validate_certs is not False else False
        self._token = token
        self._client_id = client_id
        self._client_secret = client_secret
        self._token_refreshed = False
        self._minted_token_worked = False
        self._secrets = set(secret for secret in (token, client_secret) if secret)
        self._session = session if session is not None else requests.Session()
        if session is None:
            # With trust_env, requests re-reads the proxy variables and ~/.netrc on every request
            # (about 17% of the client's CPU at 100,000 members), and a ~/.netrc entry for the
            # tenant would silently replace the Bearer header. Read the environment once instead.
            self._session.trust_env = False
            self._session.proxies.update(requests.utils.get_environ_proxies(self.base_url))
            if self._verify is True:
                self._verify = os.environ.get('REQUESTS_CA_BUNDLE') or os.environ.get('CURL_CA_BUNDLE') or True
        self._sleep = sleep
        self._clock = clock
        self._buckets = {}
        self.request_count = 0

    # -- public operations ------------------------------------------------------------------

    @_redacting_secrets
    def organization(self, org_id=None, org_name=None):
        """One organization object, by id or by name."""
        if org_name is not None:
            validate_org_name(org_name)
            path = '/api/v2/organizations/name/%s' % quote(org_name, safe='')
            what = 'reading organization %r' % org_name
        else:
            validate_org_id(org_id)
            path = '/api/v2/organizations/%s' % quote(org_id, safe='')
            what = 'reading organization %r' % org_id
        body = self._get_json(path, {}, what, SCOPE_ORGANIZATIONS, bucket='organizations',
                              not_found=self._org_not_found(org_name if org_name is not None else org_id))
        if not isinstance(body, dict) or not body.get('id'):
            raise Auth0ResponseError('Auth0 answered %s with something that is not an organization object.' % what)
        return body

    @_redacting_secrets
    def organizations(self, per_page=MAX_PAGE_SIZE):
        """Every organization of the tenant, through checkpoint paging (no 1000-record cap)."""
        _check_page_size(per_page)
        return self._all_by_checkpoint(
            '/api/v2/organizations', {'take': per_page}, 'organizations', 'id',
            lambda number: 'listing the organizations of tenant %s (page %d)' % (self.host, number),
            SCOPE_ORGANIZATIONS, 'organizations', 'Tenant %s has no organizations endpoint.' % self.host)

    @property
    def uses_client_credentials(self):
        return bool(self._client_id)

    @_redacting_secrets
    def access_token(self):
        """The Management API token this client uses, minting it with client credentials if needed."""
        self._auth_header()
        return self._token

    @_redacting_secrets
    def organization_members(self, org_id=None, org_name=None, fields=None, include_fields=True,
                             include_roles=False, page=None, per_page=MAX_PAGE_SIZE):
        """(organization, members) of an organization given by id or by name.

        With `page`, one offset page of members; without it, every member through checkpoint
        paging. Every option is checked before the first request is sent.
        """
        if org_name is not None:
            validate_org_name(org_name)
        else:
            validate_org_id(org_id)
        if page is not None and page < 0:
            raise Auth0ConfigError('page must be 0 or more, not %r.' % page)
        _check_page_size(per_page)
        if org_name is not None:
            found = self.organization(org_name=org_name)
            organization = dict((key, found[key]) for key in ('id', 'name', 'display_name') if key in found)
            org_id = found['id']
            if not isinstance(org_id, str) or not _ORG_ID.match(org_id):
                raise Auth0ResponseError('Auth0 answered the lookup of organization %r with the id %r, which is not '
                                         'an organization id; no members were requested.' % (org_name, _clip(org_id)))
        else:
            organization = {'id': org_id}
        with_roles = roles_requested(fields, include_fields, include_roles)
        query = member_fields_query(fields, include_fields, with_roles)
        if page is None:
            members = self._members_by_checkpoint(org_id, query, per_page, with_roles)
        else:
            members = self._members_page(org_id, query, page, per_page, with_roles)
        if with_roles:
            self._fill_missing_roles(org_id, members)
        return organization, members

    # -- paging -----------------------------------------------------------------------------

    def _members_path(self, org_id):
        return '/api/v2/organizations/%s/members' % quote(org_id, safe='')

    def _members_scope(self, with_roles):
        return '%s and %s' % (SCOPE_MEMBERS, SCOPE_MEMBER_ROLES) if with_roles else SCOPE_MEMBERS

    def _members_by_checkpoint(self, org_id, query, per_page, with_roles):
        return self._all_by_checkpoint(
            self._members_path(org_id), dict(query, take=per_page), 'members', 'user_id',
            lambda number: 'listing members of organization %r (page %d)' % (org_id, number),
            self._members_scope(with_roles), 'members', self._org_not_found(org_id))

    def _all_by_checkpoint(self, path, params, items_key, identity_key, describe_page, scope, bucket, not_found):
        """Every item of a checkpoint-paged list: follow `next` until Auth0 sends none.

        Auth0 sends `next` on the last non-empty page too; the empty page after it ends the list.
        A repeated cursor or item means the listing is inconsistent, and a partial list must
        never pass for a whole one, so both fail.
        """
        params = dict(params)
        items = []
        seen_cursors = set()
        seen_ids = set()
        while True:
            what = describe_page(len(seen_cursors) + 1)
            body = self._get_json(path, params, what, scope, bucket=bucket, not_found=not_found)
            page_items = body.get(items_key) if isinstance(body, dict) else None
            if not isinstance(page_items, list):
                raise Auth0ResponseError('Auth0 answered %s without a list of %s; nothing is returned rather than a '
                                         'partial list.' % (what, items_key))
            self._check_new_items(page_items, identity_key, seen_ids, what)
            items.extend(page_items)
            cursor = body.get('next')
            if not cursor:
                return items
            if not page_items:
                raise Auth0ResponseError('Auth0 answered %s with no %s but a cursor to continue; stopping rather '
                                         'than paging forever.' % (what, items_key))
            if cursor in seen_cursors:
                raise Auth0ResponseError('Auth0 returned the same paging cursor twice while %s; stopping rather '
                                         'than looping or returning a partial list.' % what)
            seen_cursors.add(cursor)
            params['from'] = cursor

    def _members_page(self, org_id, query, page, per_page, with_roles):
        what = 'listing members of organization %r (page %d, %d per page)' % (org_id, page, per_page)
        body = self._get_json(self._members_path(org_id), dict(query, page=page, per_page=per_page), what,
                              self._members_scope(with_roles), bucket='members',
                              not_found=self._org_not_found(org_id))
        members = body.get('members') if isinstance(body, dict) else body
        if not isinstance(members, list):
            raise Auth0ResponseError('Auth0 answered %s without a list of members.' % what)
        self._check_new_items(members, 'user_id', set(), what)
        return members

    @staticmethod
    def _check_new_items(page_items, identity_key, seen_ids, what):
        for item in page_items:
            if not isinstance(item, dict):
                raise Auth0ResponseError('Auth0 answered %s with an entry that is not an object.' % what)
            identity = item.get(identity_key)
            if identity is None:
                continue
            if identity in seen_ids:
                raise Auth0ResponseError('Auth0 returned %r twice while %s; stopping rather than returning a list '
                                         'with duplicates or gaps.' % (identity, what))
            seen_ids.add(identity)

    def _fill_missing_roles(self, org_id, members):
        """Fetch roles one member at a time, only for members Auth0 returned without them."""
        for member in members:
            if 'roles' in member:
                continue
            user_id = member.get('user_id')
            if not user_id:
                raise Auth0ResponseError('Auth0 returned members of organization %r without roles or user_id, so '
                                         'their roles cannot be looked up; include user_id in fields.' % org_id)
            member['roles'] = self._member_roles(org_id, user_id)

    def _member_roles(self, org_id, user_id):
        path = '%s/%s/roles' % (self._members_path(org_id), quote(user_id, safe=''))
        what = 'reading the roles of member %r of organization %r' % (user_id, org_id)
        roles = []
        page = 0
        while True:
            body = self._get_json(path, dict(page=page, per_page=MAX_PAGE_SIZE, include_totals='true'), what,
                                  SCOPE_MEMBER_ROLES, bucket='member_roles',
                                  not_found='Member %r of organization %r was not found in tenant %s.'
                                  % (user_id, org_id, self.host))
            page_roles = body.get('roles') if isinstance(body, dict) else body
            if not isinstance(page_roles, list):
                raise Auth0ResponseError('Auth0 answered %s without a list of roles.' % what)
            roles.extend({'id': role.get('id'), 'name': role.get('name')} for role in page_roles)
            total = body.get('total') if isinstance(body, dict) else None
            if len(page_roles) < MAX_PAGE_SIZE or (total is not None and len(roles) >= total):
                return roles
            page += 1

    def _org_not_found(self, org_id_or_name):
        return 'Organization %r was not found in tenant %s.' % (org_id_or_name, self.host)

    # -- HTTP -------------------------------------------------------------------------------

    def _get_json(self, path, params, what, scope, bucket, not_found):
        """GET an API path with retries and error mapping; return the decoded JSON body."""
        refreshed_for_this_call = False
        while True:
            response = self._send('GET', path, params, what, bucket, headers=self._auth_header())
            if response.status_code == 401 and self._minted_token_worked and not self._token_refreshed:
                # A token we minted, and Auth0 accepted earlier in this run, has expired: mint
                # one more, once per run. A fresh token that is refused would be refused again.
                self._token = None
                self._token_refreshed = refreshed_for_this_call = True
                continue
            if response.status_code >= 300:
                raise self._api_error(response, what, scope, not_found, refreshed_for_this_call)
            self._minted_token_worked = bool(self._client_id)
            return self._decode(response, what)

    def _auth_header(self):
        if not self._token:
            self._token = self._client_credentials_token()
        return {'Authorization': 'Bearer ' + self._token}

    def _client_credentials_token(self):
        what = 'requesting a Management API token for client %r' % self._client_id
        data = {
            'grant_type': 'client_credentials',
            'client_id': self._client_id,
            'client_secret': self._client_secret,
            'audience': self.audience,
        }
        response = self._send('POST', '/oauth/token', None, what, 'token', data=data)
        if response.status_code >= 300:
            raise self._token_error(response, what)
        body = self._decode(response, what)
        token = body.get('access_token') if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise Auth0ResponseError('Auth0 answered %s without an access_token.' % what)
        self._secrets.add(token)
        return token

    def _send(self, method, path, params, what, bucket, headers=None, data=None):
        """One logical request: pace, send, and retry 429/5xx/connection faults up to max_retries."""
        rate_limit = self._buckets.setdefault(bucket, _RateLimitBucket())
        url = self.base_url + path
        retries = 0
        while True:
            self._pace(rate_limit)
            try:
                self.request_count += 1
                with _without_insecure_warnings() if self._verify is False else contextlib.nullcontext():
                    response = self._session.request(method, url, params=params, data=data, headers=headers,
                                                     timeout=self.timeout, verify=self._verify, allow_redirects=False)
            except requests.exceptions.RequestException as error:
                failure = self._connection_error(error, what)
                if retries >= self.max_retries or not _retryable_connection_error(error):
                    raise failure
                retries += 1
                self._sleep(self._backoff(retries))
                continue
            rate_limit.update(response.headers)
            if response.status_code == 429 or response.status_code >= 500:
                if retries >= self.max_retries:
                    raise self._exhausted_error(response, what, retries)
                retries += 1
                self._sleep(self._retry_delay(response, retries))
                # That wait already honoured the reset; do not wait for it a second time in _pace.
                rate_limit.remaining = None
                continue
            return response

    def _pace(self, rate_limit):
        """Wait for the bucket to refill when Auth0 said it is empty, instead of provoking a 429."""
        if rate_limit.remaining == 0 and rate_limit.reset_at is not None:
            wait = rate_limit.reset_at - self._clock()
            if wait > 0:
                self._sleep(min(wait, MAX_WAIT_SECONDS))
            rate_limit.remaining = None

    def _retry_delay(self, response, retries):
        retry_after = _retry_after_seconds(response.headers.get('Retry-After'), self._clock())
        if retry_after is not None:
            return min(max(retry_after, 0), MAX_WAIT_SECONDS)
        if response.status_code == 429:
            reset_at = _int_header(response.headers, 'X-RateLimit-Reset')
            if reset_at is not None and reset_at > self._clock():
                return min(reset_at - self._clock(), MAX_WAIT_SECONDS)
        return self._backoff(retries)

    @staticmethod
    def _backoff(retries):
        ceiling = min(BACKOFF_BASE_SECONDS * (2 ** (retries - 1)), MAX_WAIT_SECONDS)
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    def _decode(self, response, what):
        try:
            return json.loads(response.content)
        except ValueError:
            raise Auth0ResponseError('Auth0 answered %s with HTTP %d and a body that is not JSON (%s); no data '
                                     'is returned.' % (what, response.status_code, _describe_body(response)),
                                     status=response.status_code)

    # -- error mapping ----------------------------------------------------------------------

    def _connection_error(self, error, what):
        reason = _error_reason(error)
        if isinstance(error, requests.exceptions.SSLError):
            return Auth0ConnectionError(
                'TLS failed while %s at %s: %s. If the tenant uses a private or self-signed certificate, give its '
                'CA bundle with ca_path (validate_certs: false disables the check and is unsafe).'
                % (what, self.host, reason))
        if isinstance(error, requests.exceptions.Timeout):
            return Auth0ConnectionError(
                'Timed out after %d seconds while %s at %s (%d retries). Raise timeout or max_retries, or check the '
                'network path to the tenant.' % (self.timeout, what, self.host, self.max_retries))
        if _is_name_resolution_error(error):
            return Auth0ConnectionError('Could not resolve the host %s while %s: check domain.' % (self.host, what))
        return Auth0ConnectionError('Could not connect to %s while %s (%d retries): %s. Check domain and the '
                                    'network path to the tenant.' % (self.host, what, self.max_retries, reason))

    def _exhausted_error(self, response, what, retries):
        status, error_code, message = _error_body(response)
        if status == 429:
            reset_at = _int_header(response.headers, 'X-RateLimit-Reset')
            when = ''
            if reset_at is not None:
                when = ' The limit resets at %s (in %d s).' % (
                    time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime(reset_at)), max(0, reset_at - self._clock()))
            return Auth0RateLimitError(
                "Auth0's rate limit was hit while %s and %d retries did not get through (HTTP 429: %s).%s Raise "
                "max_retries, or run fewer jobs against this tenant at once." % (what, retries, message, when),
                status=status, error_code=error_code)
        return Auth0APIError('Auth0 answered HTTP %d while %s, still after %d retries: %s. Auth0 may be degraded; '
                             'try again later.' % (status, what, retries, message),
                             status=status, error_code=error_code)

    def _api_error(self, response, what, scope, not_found, after_refresh):
        status, error_code, message = _error_body(response)
        if status == 401:
            hint = _token_hint(message, self.audience)
            if after_refresh:
                hint = 'A freshly issued token was rejected too. ' + hint
            return Auth0APIError('Auth0 rejected the access token while %s (HTTP 401: %s). %s'
                                 % (what, message, hint), status=status, error_code=error_code)
        if status == 403:
            return Auth0APIError('Auth0 refused %s for lack of a scope (HTTP 403: %s). The application needs the '
                                 'scope %s on the Auth0 Management API; grant it, then get a new token.'
                                 % (what, message, _scope_from_message(message) or scope),
                                 status=status, error_code=error_code)
        if status == 404:
            return Auth0APIError('%s (HTTP 404: %s)' % (not_found, message), status=status, error_code=error_code)
        if status == 400 and error_code == 'invalid_paging':
            return Auth0APIError('Auth0 refused %s: offset paging (page/per_page) stops at 1000 records (HTTP 400 '
                                 'invalid_paging: %s). Omit page to get every member through checkpoint paging.'
                                 % (what, message), status=status, error_code=error_code)
        if 300 <= status < 400:
            return Auth0APIError('Auth0 answered %s with a redirect (HTTP %d), which is not followed so the token '
                                 'never goes to another host. Check domain.' % (what, status), status=status)
        return Auth0APIError('Auth0 refused %s (HTTP %d%s: %s).'
                             % (what, status, ' ' + error_code if error_code else '', message),
                             status=status, error_code=error_code)

    def _token_error(self, response, what):
        status, error_code, message = _error_body(response)
        if status == 401:
            hint = 'Check client_id and client_secret.'
        elif status == 403:
            hint = ('Check audience: it must be the tenant\'s Management API identifier, %s by default; with a '
                    'custom domain use https://TENANT.REGION.auth0.com/api/v2/.' % self.audience)
        else:
            hint = 'Check the client credentials and audience.'
        return Auth0APIError('Auth0 refused %s (HTTP %d%s: %s). %s'
                             % (what, status, ' ' + error_code if error_code else '', message, hint),
                             status=status, error_code=error_code)


def _error_body(response):
    """(status, errorCode, message) from an Auth0 error answer, tolerating non-JSON bodies."""
    try:
        body = json.loads(response.content)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return response.status_code, None, '%s, %s' % (response.reason or 'no reason given', _describe_body(response))
    message = body.get('message') or body.get('error_description') or body.get('error') or response.reason
    error_code = body.get('errorCode') or (body.get('error') if 'error_description' in body else None)
    return response.status_code, error_code, _clip(message, 500)


def _describe_body(response):
    if not response.content:
        return 'empty body'
    content_type = response.headers.get('Content-Type', 'no content type')
    return '%d bytes of %s' % (len(response.content), content_type.split(';')[0])


def _token_hint(message, audience):
    lowered = (message or '').lower()
    if 'expired' in lowered:
        return ('The token has expired: get a new one, or give client_id and client_secret so each run gets a '
                'fresh token.')
    if 'signature' in lowered:
        return 'The token was not signed by this tenant: check that it was issued by the tenant in domain.'
    if 'audience' in lowered:
        return ('The token was issued for another API: its audience must be %s (with a custom domain, the '
                'canonical https://TENANT.REGION.auth0.com/api/v2/).' % audience)
    return 'Check the token, or use client_id and client_secret.'


def _scope_from_message(message):
    match = re.search(r'expected (?:any of|all of)?:?\s*([\w:, ]+)', message or '')
    return match.group(1).strip() if match else None


def _retry_after_seconds(value, now):
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        return parsedate_to_datetime(value).timestamp() - now
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _error_reason(error):
    """A short reason from a requests exception, without URLs or headers."""
    if isinstance(error, requests.exceptions.InvalidHeader):
        return 'requests refused a request header (its value, which may hold the token, is not shown)'
    current = error
    # urllib3 wraps the interesting exception several levels down; the innermost says what failed.
    for _depth in range(6):
        inner = current.args[0] if current.args and isinstance(current.args[0], BaseException) else None
        inner = inner or getattr(current, 'reason', None)
        if not isinstance(inner, BaseException) or inner is current:
            break
        current = inner
    text = str(current)
    text = re.sub(r"https?://\S+", '<url>', text)
    text = re.sub(r'\(Caused by .*', '', text)
    text = re.sub(r"<urllib3[^>]*>: ", '', text)
    text = re.sub(r"^HTTPS?Connection\([^)]*\): ", '', text)
    return _clip(text.strip() or type(current).__name__, 300)


def _is_name_resolution_error(error):
    text = repr(error)
    return ('NameResolutionError' in text or 'Name or service not known' in text
            or 'nodename nor servname' in text or 'getaddrinfo failed' in text
            or 'Temporary failure in name resolution' in text)


def _retryable_connection_error(error):
    return not isinstance(error, requests.exceptions.SSLError) and not _is_name_resolution_error(error)
