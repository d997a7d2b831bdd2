# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Auth0 Management API client shared by every module and plugin of community.auth0.

For internal collection use only: names here may change in any release.

Auth0Client holds the API operations and their paging, and sends every request through one path
(_call) that takes an endpoint's description (_endpoints.py). The rest lives beside it, one concern a
file: _auth0_errors (failures and scrubbing), _connection_options (options and environment),
_transport (session, retries, pacing), _rate_limit, _authenticator with one _auth_method_* per
way to authenticate. Import each name from the file that owns it.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import functools
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait, FIRST_EXCEPTION

from ansible_collections.community.auth0.plugins.module_utils._auth0_errors import (
    Auth0APIError,
    Auth0ConfigError,
    Auth0Error,
    Auth0ResponseError,
    clip,
    error_body,
    redacting_secrets,
)
from ansible_collections.community.auth0.plugins.module_utils._authenticator import Authenticator, auth_method
from ansible_collections.community.auth0.plugins.module_utils._connection_options import parse_domain
from ansible_collections.community.auth0.plugins.module_utils._endpoints import (
    ADD_MEMBERS,
    GRANT_MEMBER_ROLES,
    MEMBER_ROLES,
    MEMBERS,
    MEMBERS_WITH_ROLES,
    ORGANIZATION,
    ORGANIZATION_BY_NAME,
    ORGANIZATIONS,
    REMOVE_MEMBERS,
    REVOKE_MEMBER_ROLES,
    ROLE,
    ROLES_NAMED,
    USER,
    USER_ORGANIZATIONS,
    USERS_BY_EMAIL,
)
from ansible_collections.community.auth0.plugins.module_utils._membership import (
    MembershipSync,
    check_options,
    parse_entries,
)
from ansible_collections.community.auth0.plugins.module_utils._transport import Transport

MEMBER_FIELDS = ('user_id', 'email', 'name', 'picture', 'roles')
DEFAULT_MEMBER_FIELDS = ('user_id', 'email', 'name', 'picture')
MAX_PAGE_SIZE = 100
# Auth0 refuses offset pages that reach past this many records (400 invalid_paging).
OFFSET_PAGING_LIMIT = 1000

_ORG_ID = re.compile(r'^org_[A-Za-z0-9]+\Z')
# Auth0 only accepts lowercase letters, digits, '-' and '_' in organization names (1-50 chars).
_ORG_NAME = re.compile(r'^[a-z0-9_-]{1,50}\Z')


def _check_page_size(per_page):
    if not 1 <= per_page <= MAX_PAGE_SIZE:
        raise Auth0ConfigError('per_page must be between 1 and %d, not %r.' % (MAX_PAGE_SIZE, per_page))


def validate_org_id(org_id):
    if not isinstance(org_id, str) or not _ORG_ID.match(org_id):
        raise Auth0ConfigError('org_id %r is not an Auth0 Organization id: it must be org_ followed by letters '
                               'and digits, e.g. org_W30Ft8gJJmwlnOHU.' % clip(org_id))
    return org_id


def validate_org_name(org_name):
    if not isinstance(org_name, str) or not _ORG_NAME.match(org_name):
        raise Auth0ConfigError('org_name %r is not an Auth0 Organization name: names are 1 to 50 lowercase '
                               'letters, digits, hyphens or underscores, e.g. travel0-partners.' % clip(org_name))
    return org_name


def organization_reference(value, kind=None):
    """The one way a user's organization becomes a request: {'id': ...} or {'name': ...}, checked.

    `kind` is 'id' (org_id options), 'name' (org_name options, by_name lookups) or None: an id when
    the value is org_ followed by letters and digits, else a name (lists of organizations).
    """
    if kind == 'id' or (kind is None and isinstance(value, str) and _ORG_ID.match(value)):
        return {'id': validate_org_id(value)}
    return {'name': validate_org_name(value)}


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


def _operation(method):
    """A public client operation: credentials scrubbed from its errors, unverified-TLS warnings silenced."""
    @functools.wraps(method)
    def quietly(self, *args, **kwargs):
        with self._transport.quiet():
            return method(self, *args, **kwargs)
    return redacting_secrets(quietly)


class _MemberRead:
    """How members are to be read: the endpoint (roles inline need a second scope), the query and the page size."""

    def __init__(self, fields=None, include_fields=True, include_roles=False, per_page=MAX_PAGE_SIZE):
        _check_page_size(per_page)
        self.with_roles = roles_requested(fields, include_fields, include_roles)
        self.query = member_fields_query(fields, include_fields, self.with_roles)
        self.per_page = per_page
        self.endpoint = MEMBERS_WITH_ROLES if self.with_roles else MEMBERS


# What auth0_org_members reads of each member: enough to plan and to show a readable diff.
_MEMBERSHIP_READ = _MemberRead(fields=['user_id', 'email'], include_roles=True)


class Auth0Client:
    """One Auth0 tenant's Management API, over one keep-alive requests.Session and at most one minted token.

    `sleep` and `clock` are injectable so that tests can check retry timing without waiting.
    """

    def __init__(self, domain, audience=None, timeout=None, max_retries=None, rate_limit_timeout=None,
                 max_concurrent_requests=None, validate_certs=True, ca_path=None, session=None, sleep=time.sleep,
                 clock=time.time, **credentials):
        """`credentials`: the settings of the credential methods' options (token, client_id, ...)."""
        self.base_url = parse_domain(domain)
        self.host = self.base_url.split('://', 1)[1]
        self.audience = audience or self.base_url + '/api/v2/'
        method = auth_method(credentials, clock=clock)
        self._transport = Transport(self.base_url, timeout=timeout, max_retries=max_retries,
                                    rate_limit_timeout=rate_limit_timeout,
                                    max_concurrent_requests=max_concurrent_requests, validate_certs=validate_certs,
                                    ca_path=ca_path, session=session, sleep=sleep, clock=clock)
        self._auth = Authenticator(method, self._transport, self.audience)

    @property
    def request_count(self):
        return self._transport.request_count

    @property
    def timeout(self):
        return self._transport.timeout

    @property
    def max_retries(self):
        return self._transport.max_retries

    def secret_values(self):
        """Every credential this client holds or minted: never to be shown."""
        return self._auth.secret_values()

    # -- public operations ------------------------------------------------------------------

    @_operation
    def access_token(self):
        """The Management API token this client uses, minting it if the method mints tokens."""
        return self._auth.token()

    @_operation
    def organization(self, org_id=None, org_name=None):
        """One organization object, by id or by name."""
        return self._organization(_reference_of(org_id, org_name))

    @_operation
    def organizations(self, per_page=MAX_PAGE_SIZE):
        """Every organization of the tenant, through checkpoint paging (no 1000-record cap)."""
        _check_page_size(per_page)
        return list(self._listed_organizations(per_page))

    @_operation
    def organizations_with_members(self, per_page=MAX_PAGE_SIZE, fields=None, include_fields=True,
                                   include_roles=False):
        """Every organization of the tenant with `members` and `member_count`, in Auth0's order.

        Member reads start with the first page of the listing rather than after the last one: on a
        tenant of thousands of organizations the listing then costs no time of its own.
        """
        _check_page_size(per_page)
        read = _MemberRead(fields, include_fields, include_roles)
        return self._concurrently(functools.partial(self._with_members, read), self._listed_organizations(per_page))

    @_operation
    def organizations_by_reference(self, ids_or_names):
        """The organizations given by id (org_...) or name, read concurrently, in the order given."""
        references = [organization_reference(item) for item in ids_or_names]
        return self._concurrently(self._organization, references)

    @_operation
    def with_members(self, organizations, fields=None, include_fields=True, include_roles=False,
                     per_page=MAX_PAGE_SIZE):
        """Copies of `organizations` (dicts with an id) with `members` and `member_count`, read concurrently."""
        read = _MemberRead(fields, include_fields, include_roles, per_page)
        return self._concurrently(functools.partial(self._with_members, read), list(organizations))

    @_operation
    def members_of(self, ids_or_names, by_name=False, fields=None, include_fields=True, include_roles=False,
                   per_page=MAX_PAGE_SIZE):
        """One list of members per organization id or name (names only, with by_name), read concurrently, in order."""
        references = [organization_reference(item, 'name' if by_name else None) for item in ids_or_names]
        read = _MemberRead(fields, include_fields, include_roles, per_page)
        return self._concurrently(lambda reference: self._all_members(self._organization_id(reference), read),
                                  references)

    @_operation
    def organization_members(self, org_id=None, org_name=None, fields=None, include_fields=True,
                             include_roles=False, page=None, per_page=MAX_PAGE_SIZE):
        """(organization, members) of an organization given by id or by name.

        With `page`, one offset page of members; without it, every member in the fewest requests.
        Every option is checked before the first request is sent.
        """
        reference = _reference_of(org_id, org_name)
        if page is not None and page < 0:
            raise Auth0ConfigError('page must be 0 or more, not %r.' % page)
        read = _MemberRead(fields, include_fields, include_roles, per_page)
        organization = self._organization_summary(reference)
        org_id = organization['id']
        if page is None:
            return organization, self._all_members(org_id, read)
        what = 'listing members of organization %r (page %d, %d per page)' % (org_id, page, read.per_page)
        members = self._members_offset_page(org_id, read, page, what, include_totals=False)[0]
        if read.with_roles:
            self._fill_missing_roles(org_id, members)
        return organization, members

    # -- users, roles and membership writes (auth0_org_members) -------------------------------

    @_operation
    def manage_members(self, org_id=None, org_name=None, members=None, roles=None, state='present',
                       purge_members=False, purge_roles=False, check_mode=False, diff=False):
        """auth0_org_members: make an organization's membership what `members` asks (see _membership.py).

        Every option and entry is checked, and every email and role resolved, before the first write;
        check mode does every read and no write. The result says what changed; a failed write raises
        an error whose `result` says exactly what was applied.
        """
        check_options(state, purge_members, purge_roles)
        entries = parse_entries(members, roles)
        reference = _reference_of(org_id, org_name)
        sync = MembershipSync(self, self._organization_summary(reference), entries, state, purge_members, purge_roles)
        return sync.run(check_mode, diff)

    def first_members_page(self, org_id):
        """(members, total): the first page of members, with user_id, email and roles, and how many there are."""
        return self._members_offset_page(org_id, _MEMBERSHIP_READ, 0, self._describe_page(org_id, 0),
                                         include_totals=True)

    @staticmethod
    def member_pages_after_first(total):
        """How many more requests rest_of_members() needs after the first page."""
        pages, by_checkpoint = _member_pages(total, MAX_PAGE_SIZE)
        # Checkpoint paging starts again from the first member, and ends on an empty page.
        return pages + 1 if by_checkpoint else pages - 1

    def rest_of_members(self, org_id, first_members, total):
        """Every member (user_id, email, roles), going on from first_members_page()'s answer."""
        return self._all_members(org_id, _MEMBERSHIP_READ, (first_members, total))

    def users_with_email(self, email):
        """Every user with this email address (one per connection), as Auth0 returns them."""
        users = self._call(USERS_BY_EMAIL, {'email': email}, {'email': email})
        if not isinstance(users, list):
            raise Auth0ResponseError('Auth0 answered %s with something that is not a list of users.'
                                     % USERS_BY_EMAIL.describe(self.host, {'email': email}))
        return users

    def user(self, user_id):
        return self._object(USER, {'user_id': user_id}, 'user_id')

    def role(self, role_id):
        return self._object(ROLE, {'role_id': role_id}, 'id')

    def roles_named(self, name):
        """The roles Auth0 finds for this name (a case-insensitive part of the name: compare them yourself)."""
        return self._offset_items(ROLES_NAMED, {'name': name}, {'name_filter': name})

    def organization_ids_of_user(self, user_id):
        return [organization.get('id') for organization in
                self._offset_items(USER_ORGANIZATIONS, {'user_id': user_id}, {})]

    def member_roles(self, org_id, user_id):
        """[{'id', 'name'}] of the roles the member holds directly in the organization."""
        return self._member_roles(org_id, user_id)

    def add_members(self, org_id, user_ids):
        self._write(ADD_MEMBERS, {'org_id': org_id}, 'members', user_ids)

    def remove_members(self, org_id, user_ids):
        self._write(REMOVE_MEMBERS, {'org_id': org_id}, 'members', user_ids)

    def grant_member_roles(self, org_id, user_id, role_ids):
        self._write(GRANT_MEMBER_ROLES, {'org_id': org_id, 'user_id': user_id}, 'roles', role_ids)

    def revoke_member_roles(self, org_id, user_id, role_ids):
        self._write(REVOKE_MEMBER_ROLES, {'org_id': org_id, 'user_id': user_id}, 'roles', role_ids)

    def concurrently(self, function, items):
        """[function(item) for item in items], up to max_concurrent_requests at once, in order (see _concurrently)."""
        return self._concurrently(function, list(items))

    def _write(self, endpoint, parts, key, ids):
        ids = list(ids)
        self._call(endpoint, dict(parts, count=len(ids)), body={key: ids})

    def _object(self, endpoint, parts, identity):
        body = self._call(endpoint, parts)
        if not isinstance(body, dict) or not body.get(identity):
            raise Auth0ResponseError('Auth0 answered %s with something that is not the object asked for.'
                                     % endpoint.describe(self.host, parts))
        return body

    def _offset_items(self, endpoint, parts, params):
        """Every item of an offset-paged list (member roles, users' organizations, roles by name): Auth0's largest pages."""
        items = []
        seen_ids = set()
        page = 0
        while True:
            what = '%s (page %d)' % (endpoint.describe(self.host, parts), page + 1)
            body = self._call(endpoint, parts, dict(params, page=page, per_page=MAX_PAGE_SIZE, include_totals='true'),
                              what=what)
            page_items = body.get(endpoint.items) if isinstance(body, dict) else body
            if not isinstance(page_items, list):
                raise Auth0ResponseError('Auth0 answered %s without a list of %s.' % (what, endpoint.items))
            self._check_new_items(page_items, endpoint.identity, seen_ids, what)
            items.extend(page_items)
            total = body.get('total') if isinstance(body, dict) else None
            if len(page_items) < MAX_PAGE_SIZE or (isinstance(total, int) and len(items) >= total):
                return items
            page += 1

    # -- organizations ----------------------------------------------------------------------

    def _listed_organizations(self, per_page):
        """Every organization of the tenant, yielded page by page as the listing goes (no 1000-record cap)."""
        return self._checkpoint_items(ORGANIZATIONS, {}, {'take': per_page},
                                      lambda number: '%s (page %d)' % (ORGANIZATIONS.describe(self.host, {}), number))

    def _organization(self, reference):
        endpoint, parts = ((ORGANIZATION_BY_NAME, {'org_name': reference['name']}) if 'name' in reference
                           else (ORGANIZATION, {'org_id': reference['id']}))
        body = self._call(endpoint, parts)
        if not isinstance(body, dict) or not body.get('id'):
            raise Auth0ResponseError('Auth0 answered %s with something that is not an organization object.'
                                     % endpoint.describe(self.host, parts))
        return body

    def _organization_summary(self, reference):
        """{'id'} for a reference by id (no request); id, name and display_name read for one by name."""
        if 'id' in reference:
            return dict(reference)
        found = self._organization(reference)
        summary = dict((key, found[key]) for key in ('id', 'name', 'display_name') if key in found)
        self._checked_id(summary)
        return summary

    def _organization_id(self, reference):
        return self._organization_summary(reference)['id']

    @staticmethod
    def _checked_id(organization):
        """The id of an organization Auth0 returned, refusing one that could not name an organization."""
        org_id = organization.get('id')
        if not isinstance(org_id, str) or not _ORG_ID.match(org_id):
            raise Auth0ResponseError('Auth0 answered the lookup of organization %r with the id %r, which is not an '
                                     'organization id; no members were requested.'
                                     % (organization.get('name'), clip(org_id)))
        return org_id

    def _with_members(self, read, organization):
        members = self._all_members(self._checked_id(organization), read)
        return dict(organization, members=members, member_count=len(members))

    def _concurrently(self, function, items):
        """[function(item) for item in items], in the items' order, the calls running side by side.

        `items` is a list, or an iterator that sends requests of its own (the organization listing):
        calls start as its items come. All threads share this client's session, token and rate-limit
        buckets, and the transport keeps at most max_concurrent_requests requests in flight. The
        first failure (in the items' order, a failed listing last) is raised once the running calls
        end; no call starts and the listing stops after a failure, so a failing tenant is not
        hammered further.
        """
        workers = self._transport.max_concurrent_requests
        if isinstance(items, list):
            workers = min(workers, len(items))
        if workers <= 1:
            return [function(item) for item in items]
        failed = threading.Event()

        def note_failure(future):
            if _failed(future):
                failed.set()
        futures = []
        listing_failure = None
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix='auth0') as pool:
            try:
                for item in items:
                    if failed.is_set():
                        break
                    futures.append(pool.submit(function, item))
                    futures[-1].add_done_callback(note_failure)
            except Exception as error:  # pylint: disable=broad-exception-caught
                listing_failure = error
            if listing_failure is None:
                wait(futures, return_when=FIRST_EXCEPTION)
            for future in futures:
                future.cancel()
        failures = [future.exception() for future in futures if _failed(future)]
        if listing_failure is not None:
            failures.append(listing_failure)
        if failures:
            first = failures[0]
            if len(failures) > 1 and isinstance(first, Auth0Error):
                first.message += ' (%d more reads failed as well.)' % (len(failures) - 1)
                first.args = (first.message,)
            raise first
        return [future.result() for future in futures]

    # -- members ----------------------------------------------------------------------------

    def _all_members(self, org_id, read, first_page=None):
        """Every member, in the fewest requests, and never a partial or duplicated list.

        One offset request with include_totals says how many members there are: with up to
        per_page members it is the whole answer; up to Auth0's 1000-record offset cap the other
        offset pages follow. A larger organization, or one whose membership changed between
        offset pages (total changed, duplicates, a count that does not add up), is read by
        checkpoint paging, which has no cap and cannot skip or repeat anyone.
        """
        members, total = first_page or self._members_offset_page(org_id, read, 0, self._describe_page(org_id, 0),
                                                                 include_totals=True)
        pages, by_checkpoint = _member_pages(total, read.per_page)
        if total > len(members) and by_checkpoint:
            members = self._members_by_checkpoint(org_id, read)
        elif total > len(members):
            members = self._members_by_offset(org_id, read, members, total, pages)
        if read.with_roles:
            self._fill_missing_roles(org_id, members)
        return members

    def _members_by_offset(self, org_id, read, members, total, pages):
        seen = set(_user_ids(members))
        for page in range(1, pages):
            page_members, page_total = self._members_offset_page(org_id, read, page,
                                                                 self._describe_page(org_id, page), include_totals=True)
            ids = _user_ids(page_members)
            if page_total != total or seen.intersection(ids) or len(set(ids)) != len(ids):
                return self._members_by_checkpoint(org_id, read)
            seen.update(ids)
            members.extend(page_members)
        if len(members) != total:
            return self._members_by_checkpoint(org_id, read)
        return members

    def _describe_page(self, org_id, page):
        return '%s (page %d)' % (MEMBERS.describe(self.host, {'org_id': org_id}), page + 1)

    def _members_offset_page(self, org_id, read, page, what, include_totals):
        """(members, total) of one offset page; total is None without include_totals."""
        params = dict(read.query, page=page, per_page=read.per_page)
        if include_totals:
            params['include_totals'] = 'true'
        body = self._call(read.endpoint, {'org_id': org_id}, params, what=what)
        members = body.get('members') if isinstance(body, dict) else body
        if not isinstance(members, list):
            raise Auth0ResponseError('Auth0 answered %s without a list of members; nothing is returned rather than a '
                                     'partial list.' % what)
        self._check_new_items(members, 'user_id', set(), what)
        if not include_totals:
            return members, None
        total = body.get('total') if isinstance(body, dict) else None
        if not isinstance(total, int) or isinstance(total, bool) or total < len(members):
            raise Auth0ResponseError('Auth0 answered %s without a usable total (%r); nothing is returned rather than '
                                     'a partial list.' % (what, clip(total)))
        return members, total

    def _members_by_checkpoint(self, org_id, read):
        return list(self._checkpoint_items(read.endpoint, {'org_id': org_id}, dict(read.query, take=read.per_page),
                                           lambda number: self._describe_page(org_id, number - 1)))

    def _checkpoint_items(self, endpoint, parts, params, describe_page):
        """Every item of a checkpoint-paged list, yielded a page at a time: follow `next` until Auth0 sends none.

        Auth0 sends `next` on the last non-empty page of members too; the empty page after it ends
        the list. A repeated cursor or item means the listing is inconsistent, and a partial list
        must never pass for a whole one, so both fail.
        """
        params = dict(params)
        seen_cursors = set()
        seen_ids = set()
        while True:
            what = describe_page(len(seen_cursors) + 1)
            body = self._call(endpoint, parts, params, what=what)
            page_items = body.get(endpoint.items) if isinstance(body, dict) else None
            if not isinstance(page_items, list):
                raise Auth0ResponseError('Auth0 answered %s without a list of %s; nothing is returned rather than a '
                                         'partial list.' % (what, endpoint.items))
            self._check_new_items(page_items, endpoint.identity, seen_ids, what)
            yield from page_items
            cursor = body.get('next')
            if not cursor:
                return
            if not page_items:
                raise Auth0ResponseError('Auth0 answered %s with no %s but a cursor to continue; stopping rather '
                                         'than paging forever.' % (what, endpoint.items))
            if cursor in seen_cursors:
                raise Auth0ResponseError('Auth0 returned the same paging cursor twice while %s; stopping rather '
                                         'than looping or returning a partial list.' % what)
            seen_cursors.add(cursor)
            params['from'] = cursor

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
        roles = self._offset_items(MEMBER_ROLES, {'org_id': org_id, 'user_id': user_id}, {})
        return [{'id': role.get('id'), 'name': role.get('name')} for role in roles]

    # -- requests and Auth0's error answers -------------------------------------------------

    def _call(self, endpoint, parts, params=None, body=None, what=None):
        """Send one request to an endpoint with the token, retries and error mapping.

        Returns the decoded JSON body, or None for Auth0's 204 No Content (the writes' answer).
        `what` overrides the endpoint's description in messages (a page number, a batch).
        """
        what = what or endpoint.describe(self.host, parts)
        path = endpoint.path_of(parts)
        while True:
            header = self._auth.header()
            response = self._transport.send(endpoint.method, path, params, what, endpoint.bucket, headers=header,
                                            json_body=body)
            if response.status_code == 401 and self._auth.retry_after_rejection(header):
                continue
            if response.status_code >= 300:
                raise self._api_error(response, what, endpoint.scope, endpoint.not_found_message(self.host, parts))
            self._auth.accepted()
            if response.status_code == 204:
                return None
            return self._transport.decode(response, what)

    def _api_error(self, response, what, scope, not_found):
        status, error_code, message = error_body(response)
        if status == 401:
            hint = _token_hint(message, self.audience)
            if self._auth.refreshed:
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


def _member_pages(total, per_page):
    """(pages, whether they must be read by checkpoint): offset paging stops at Auth0's 1000-record cap."""
    pages = (total + per_page - 1) // per_page if total else 1
    return pages, pages * per_page > OFFSET_PAGING_LIMIT


def _reference_of(org_id, org_name):
    """The reference of a module's or caller's org_id/org_name pair (org_name when given)."""
    return organization_reference(org_name, 'name') if org_name is not None else organization_reference(org_id, 'id')


def _failed(future):
    return not future.cancelled() and future.exception() is not None


def _user_ids(members):
    # Without user_id among the fields asked for, only the counts can show a changed membership.
    return [member['user_id'] for member in members if member.get('user_id') is not None]


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
