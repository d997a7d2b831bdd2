# -*- coding: utf-8 -*-
# Copyright (c) community.auth0 contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Membership as code: what auth0_org_members reads, plans and writes.

For internal collection use only: names here may change in any release.

The work has three steps, in this order, so that a task with one bad entry writes nothing:
1. resolve every entry (emails to user ids, role names and ids to roles) and read the current
   state of the members concerned: the whole organization in the client's fewest requests when
   that is cheaper (or purge_members needs it), else each listed user's own memberships;
2. plan (plan_changes, a pure function): what to add, remove, grant and revoke;
3. unless in check mode, write: members in batches of at most 10, then each member's role grants
   and revocations (side by side), then removals. Every write that Auth0 accepted is recorded, so
   a failure reports exactly what was applied.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re
import threading

from ansible_collections.community.auth0.plugins.module_utils._auth0_errors import (
    Auth0APIError,
    Auth0ConfigError,
    Auth0Error,
    Auth0ResponseError,
    clip,
)

# Answers that say Auth0 did not act: nothing to verify before reporting the write as failed.
_NOT_APPLIED = (401, 403, 404, 429)
# Auth0 takes 1 to 10 user ids in one membership write.
MEMBERS_PER_WRITE = 10
# Auth0 lets a member hold at most this many roles in an organization.
MAX_ROLES_PER_MEMBER = 50
_ROLE_ID = re.compile(r'^rol_[A-Za-z0-9]+\Z')


class Entry:
    """One entry of `members`: a user (id or email) and the roles asked for it (None: none given)."""

    def __init__(self, user, roles):
        self.user = user
        self.roles = roles

    @property
    def by_email(self):
        return '|' not in self.user


def parse_entries(members, roles=None):
    """Entries from the module's `members` (strings or {user, roles} dicts); `roles` serve entries that give none."""
    entries = []
    for position, raw in enumerate(members or [], start=1):
        if isinstance(raw, str):
            user, own_roles = raw, None
        elif isinstance(raw, dict):
            unknown = sorted(set(raw) - set(('user', 'roles')))
            if unknown or not isinstance(raw.get('user'), str):
                raise Auth0ConfigError('members entry %d must be a user id or email, or a dict with the keys user and '
                                       'roles; got the keys %s.' % (position, ', '.join(sorted(map(str, raw))) or 'none'))
            user, own_roles = raw['user'], raw.get('roles')
            roles_listed = isinstance(own_roles, list) and all(isinstance(role, str) and role.strip() for role in own_roles)
            if own_roles is not None and not roles_listed:
                raise Auth0ConfigError('members entry %d (%s): roles must be a list of role names or ids.'
                                       % (position, clip(user)))
        else:
            raise Auth0ConfigError('members entry %d must be a user id or email, or a dict with the keys user and '
                                   'roles, not %s.' % (position, type(raw).__name__))
        user = user.strip()
        if not user or any(char.isspace() for char in user):
            raise Auth0ConfigError('members entry %d is %r: give a user id (with a |, as in auth0|64f1c2) or an email '
                                   'address.' % (position, clip(user)))
        if not ('|' in user or '@' in user):
            raise Auth0ConfigError('members entry %d is %r, which is neither a user id (it has no |, as in '
                                   'auth0|64f1c2) nor an email address.' % (position, clip(user)))
        # An entry's own `roles: []` is a list of no roles (with purge_roles: hold none); without roles of its
        # own the entry takes the module's, and without those too its roles are not managed (None).
        chosen = own_roles if own_roles is not None else roles
        entries.append(Entry(user, list(chosen) if chosen is not None else None))
    return entries


def check_options(state, purge_members, purge_roles):
    if state == 'absent' and (purge_members or purge_roles):
        raise Auth0ConfigError('purge_members and purge_roles only apply to state=present: state=absent removes the '
                               'listed members, or the listed roles of the entries that name roles.')


# -- the plan ---------------------------------------------------------------------------------------

class Plan:
    """What to change: user ids to add and remove, {user_id: set(role ids)} to grant and revoke."""

    def __init__(self, add=(), remove=(), grant=None, revoke=None):
        self.add = list(add)
        self.remove = list(remove)
        self.grant = dict(grant or {})
        self.revoke = dict(revoke or {})

    def __bool__(self):
        return bool(self.add or self.remove or self.grant or self.revoke)


def plan_changes(current, desired, state, purge_members=False, purge_roles=False):
    """The changes that bring `current` to what `desired` asks, and nothing more.

    `current`: {user_id: set(role ids)} of the members concerned (every member with purge_members);
    `desired`: [(user_id, set(role ids) or None)], one per distinct user, in the order given; None: the
    entry names no roles (its roles are left alone; with state=absent it is removed), set(): it names none.
    """
    plan = Plan()
    listed = set()
    for user_id, roles in desired:
        listed.add(user_id)
        member = user_id in current
        held = current.get(user_id, set())
        if state == 'absent':
            if not member:
                continue
            if roles:
                if held & roles:
                    plan.revoke[user_id] = held & roles
            else:
                plan.remove.append(user_id)
            continue
        if not member:
            plan.add.append(user_id)
        if roles is not None:
            if roles - held:
                plan.grant[user_id] = roles - held
            if purge_roles and held - roles:
                plan.revoke[user_id] = held - roles
    if state == 'present' and purge_members:
        plan.remove.extend(sorted(user_id for user_id in current if user_id not in listed))
    return plan


def apply_plan(current, plan):
    """The state `plan` leads to from `current` (what the writes do), for checking plans."""
    after = dict((user_id, set(roles)) for user_id, roles in current.items() if user_id not in plan.remove)
    for user_id in plan.add:
        after[user_id] = set()
    for user_id, roles in plan.revoke.items():
        after[user_id] -= roles
    for user_id, roles in plan.grant.items():
        after[user_id] |= roles
    return after


# -- the sync ---------------------------------------------------------------------------------------

class MembershipSync:
    """One task's work on one organization: resolve, read, plan and (unless check_mode) write."""

    def __init__(self, client, organization, entries, state, purge_members, purge_roles):
        self._client = client
        self.organization = organization
        self._org_id = organization['id']
        self._entries = entries
        self._state = state
        self._purge_members = purge_members
        self._purge_roles = purge_roles
        self._lock = threading.Lock()
        self._emails = {}
        self._role_names = {}
        self._applied = Plan()
        self._with_emails = False

    def run(self, check_mode, diff):
        """The module's result: changed, added, removed, roles_granted, roles_revoked, organization (and diff)."""
        self._with_emails = diff
        desired = self._resolve()
        current = self._current_state(desired)
        plan = plan_changes(current, desired, self._state, self._purge_members, self._purge_roles)
        if not check_mode and plan:
            self._write(plan)
        result = self._report(plan)
        if diff:
            self._client.concurrently(self._note_email, [user_id for user_id in plan.add if user_id not in self._emails])
            header = 'organization %s members' % self._org_id
            result['diff'] = dict(before=self._listing(current), after=self._listing(apply_plan(current, plan)),
                                  before_header=header, after_header=header)
        return result

    # -- resolve every entry before anything is written

    def _resolve(self):
        emails = sorted(set(entry.user for entry in self._entries if entry.by_email))
        for email, user_id in zip(emails, self._client.concurrently(self._user_id_of_email, emails)):
            self._emails[user_id] = email
        by_email = dict((email, user_id) for user_id, email in self._emails.items())
        role_refs = sorted(set(role for entry in self._entries for role in entry.roles or ()))
        role_ids = dict(zip(role_refs, self._client.concurrently(self._role_id, role_refs)))
        desired = {}
        for entry in self._entries:
            user_id = by_email[entry.user] if entry.by_email else entry.user
            roles = set(role_ids[role] for role in entry.roles) if entry.roles is not None else None
            if user_id in desired and (desired[user_id] is not None or roles is not None):
                roles = (desired[user_id] or set()) | (roles or set())
            desired[user_id] = roles
            if roles and len(roles) > MAX_ROLES_PER_MEMBER:
                raise Auth0ConfigError('%s is given %d roles; Auth0 lets a member hold at most %d roles in an '
                                       'organization.' % (entry.user, len(roles), MAX_ROLES_PER_MEMBER))
        return list(desired.items())

    def _user_id_of_email(self, email):
        users = self._client.users_with_email(email)
        if not users:
            raise Auth0ConfigError('No user of tenant %s has the email %r; give the user id instead, or create the user '
                                   'first. Nothing was changed.' % (self._client.host, email))
        if len(users) > 1:
            found = ', '.join('%s (%s)' % (user.get('user_id'), _connection(user)) for user in users)
            raise Auth0ConfigError('%d users of tenant %s have the email %r: %s. Give the user id of the one meant. '
                                   'Nothing was changed.' % (len(users), self._client.host, email, found))
        return _identity(users[0], 'user_id', 'the user with email %r' % email)

    def _role_id(self, reference):
        if _ROLE_ID.match(reference):
            role = self._client.role(reference)
        else:
            matches = [role for role in self._client.roles_named(reference) if role.get('name') == reference]
            if not matches:
                raise Auth0ConfigError('No role of tenant %s is named %r (role names are matched exactly, case '
                                       'included); give its exact name or its id (rol_...). Nothing was changed.'
                                       % (self._client.host, reference))
            role = matches[0]
        role_id = _identity(role, 'id', 'role %r' % reference)
        with self._lock:
            self._role_names[role_id] = role.get('name') or role_id
        return role_id

    # -- read what is there

    def _current_state(self, desired):
        """{user_id: set(role ids)} of the members concerned, by the cheaper of two ways.

        The first page of the organization's members (roles inline) says how many there are. Reading
        the rest costs one request per page; reading each listed user's organizations and, for a
        member, its roles costs two requests per user (three with the diff, which reads the email of
        users given by id). purge_members needs the whole list.
        """
        members, total = self._client.first_members_page(self._org_id)
        per_user = len(desired) * (3 if self._with_emails else 2)
        if self._purge_members or self._client.member_pages_after_first(total) <= per_user:
            return self._state_of(self._client.rest_of_members(self._org_id, members, total))
        states = self._client.concurrently(self._member_state, [user_id for user_id, _roles in desired])
        return dict((user_id, roles) for user_id, roles in states if roles is not None)

    def _state_of(self, members):
        state = {}
        for member in members:
            user_id = _identity(member, 'user_id', 'a member of organization %r' % self._org_id)
            state[user_id] = self._role_ids(member.get('roles'))
            if member.get('email'):
                self._emails.setdefault(user_id, member['email'])
        return state

    def _member_state(self, user_id):
        """(user_id, set(role ids)), or (user_id, None) for a user who is not a member."""
        if self._with_emails and user_id not in self._emails:
            self._note_email(user_id)
        if not self._is_member(user_id):
            return user_id, None
        return user_id, self._role_ids(self._client.member_roles(self._org_id, user_id))

    def _note_email(self, user_id):
        """Read a user given by id, for the diff's 'email (user id)' lines."""
        email = self._client.user(user_id).get('email')
        with self._lock:
            self._emails[user_id] = email or '(no email)'

    def _role_ids(self, roles):
        """The ids of a member's roles as Auth0 listed them, their names noted for the report."""
        ids = set()
        for role in roles or ():
            role_id = _identity(role, 'id', 'a role of a member of organization %r' % self._org_id)
            with self._lock:
                self._role_names.setdefault(role_id, role.get('name') or role_id)
            ids.add(role_id)
        return ids

    # -- write, recording what Auth0 accepted

    def _write(self, plan):
        try:
            for batch in _batches(plan.add):
                self._add(batch)
            self._client.concurrently(lambda user_id: self._write_roles(user_id, plan),
                                      sorted(set(plan.grant) | set(plan.revoke)))
            for batch in _batches(plan.remove):
                self._client.remove_members(self._org_id, batch)
                self._applied.remove.extend(batch)
        except Auth0Error as error:
            raise self._partial_failure(error, plan)

    def _add(self, batch):
        """Add a batch; after a failure, members that the batch did make (a retried POST that had gone through) count."""
        try:
            self._client.add_members(self._org_id, batch)
        except Auth0APIError as error:
            if error.status in _NOT_APPLIED or not _verified(lambda: all(self._is_member(user_id) for user_id in batch)):
                raise
        self._applied.add.extend(batch)

    def _write_roles(self, user_id, plan):
        if user_id in plan.revoke:
            self._client.revoke_member_roles(self._org_id, user_id, sorted(plan.revoke[user_id]))
            with self._lock:
                self._applied.revoke[user_id] = plan.revoke[user_id]
        if user_id in plan.grant:
            try:
                self._client.grant_member_roles(self._org_id, user_id, sorted(plan.grant[user_id]))
            except Auth0APIError as error:
                if error.status in _NOT_APPLIED or not _verified(
                        lambda: plan.grant[user_id] <= self._role_ids(self._client.member_roles(self._org_id, user_id))):
                    raise
            with self._lock:
                self._applied.grant[user_id] = plan.grant[user_id]

    def _is_member(self, user_id):
        return self._org_id in self._client.organization_ids_of_user(user_id)

    def _partial_failure(self, error, plan):
        applied = self._report(self._applied)
        missing = []
        for label, done, wanted in (('additions of', self._applied.add, plan.add),
                                    ('removals of', self._applied.remove, plan.remove),
                                    ('role grants for', self._applied.grant, plan.grant),
                                    ('role revocations for', self._applied.revoke, plan.revoke)):
            left = sorted(user_id for user_id in wanted if user_id not in done)
            if left:
                missing.append('%s %s' % (label, ', '.join(left)))
        summary = _applied_summary(self._applied)
        message = ('%s Not applied: %s. Applied before the failure: %s. Rerun the task once the cause is fixed: it '
                   'changes only what is still missing.' % (error.message.rstrip(), '; '.join(missing), summary))
        failure = Auth0APIError(message, status=error.status, error_code=error.error_code)
        failure.result = applied
        return failure

    # -- report

    def _report(self, plan):
        return dict(
            changed=bool(plan),
            added=list(plan.add),
            removed=list(plan.remove),
            roles_granted=self._role_name_map(plan.grant),
            roles_revoked=self._role_name_map(plan.revoke),
            organization=self.organization,
        )

    def _role_name_map(self, changes):
        return dict((user_id, sorted(self._role_names.get(role_id, role_id) for role_id in roles))
                    for user_id, roles in changes.items())

    def _listing(self, state):
        """One line per member, sorted: 'email (user id): role, role'."""
        lines = []
        for user_id, roles in state.items():
            names = ', '.join(sorted(self._role_names.get(role_id, role_id) for role_id in roles)) or '(no roles)'
            lines.append('%s (%s): %s' % (self._emails.get(user_id, '(no email)'), user_id, names))
        return '\n'.join(sorted(lines)) + ('\n' if lines else '')


def _identity(item, key, what):
    """item[key], or a failure saying Auth0's answer lacks it (nothing is written on a partial picture)."""
    value = item.get(key) if isinstance(item, dict) else None
    if not value:
        raise Auth0ResponseError('Auth0 answered %s without its %s; nothing was changed.' % (what, key))
    return value


def _verified(check):
    """Whether a re-read shows that a write Auth0 answered with an error took effect all the same."""
    try:
        return check()
    except Auth0Error:
        return False


def _batches(user_ids):
    return [user_ids[start:start + MEMBERS_PER_WRITE] for start in range(0, len(user_ids), MEMBERS_PER_WRITE)]


def _connection(user):
    identities = user.get('identities') or []
    connections = [identity.get('connection') for identity in identities if isinstance(identity, dict)]
    return ', '.join(connection for connection in connections if connection) or 'connection not given'


def _applied_summary(plan):
    if not plan:
        return 'nothing'
    parts = []
    if plan.add:
        parts.append('added %s' % ', '.join(plan.add))
    if plan.grant:
        parts.append('granted roles to %s' % ', '.join(sorted(plan.grant)))
    if plan.revoke:
        parts.append('revoked roles of %s' % ', '.join(sorted(plan.revoke)))
    if plan.remove:
        parts.append('removed %s' % ', '.join(plan.remove))
    return '; '.join(parts)
