"""Seed loading and deterministic generation of the tenant's users, roles, organizations and members.

Everything here is pure data: the same seed always yields the same ids, emails and role
assignments, so tests can compare what a client fetched against ``Organization.members``.
The membership writes change an Organization in place (``add_members``, ``remove_members``,
``grant``, ``revoke``); the caller serialises them (LocalTenant holds a lock).
"""

import base64
import bisect
import hashlib
import json
import os
import random
from datetime import datetime, timedelta, timezone

import yaml

ORGANIZATION_OPTIONAL_FIELDS = ("branding", "metadata", "token_quota", "third_party_client_access", "is_app_entitlement_active")
"""Organization keys Auth0 returns only when set, after id, name and display_name (see the 2026 listing recording)."""

MEMBER_FIELDS = ("user_id", "email", "picture", "name")
"""Member keys in the order Auth0 serialises them (see the checkpoint cassette)."""

ALL_MEMBER_FIELDS = MEMBER_FIELDS + ("roles",)

USER_FIELDS = (
    "phone_number", "email", "email_verified", "picture", "username", "user_id", "name", "nickname", "created_at",
    "identities", "app_metadata", "user_metadata", "last_ip", "last_login", "logins_count", "updated_at", "blocked",
    "family_name", "given_name",
)
"""The user keys `fields` may name (the pattern of Auth0's users-by-email documentation)."""

DATABASE_CONNECTION = "Username-Password-Authentication"
# Providers whose users are not social logins (Auth0's identities[].isSocial is false for them).
_NON_SOCIAL_PROVIDERS = ("auth0", "email", "sms", "samlp", "waad", "adfs", "ad", "oidc", "okta")
MAX_ROLES_PER_MEMBER = 50

_ALPHANUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_EPOCH = datetime(2024, 1, 15, 9, 30, 0, tzinfo=timezone.utc)
_USERS_EPOCH = _EPOCH - timedelta(days=30)

_FIRST_NAMES = (
    "Ada", "Alan", "Barbara", "Brian", "Carla", "Chen", "Dana", "Diego", "Elena", "Emeka", "Fatima", "Felix",
    "Grace", "Hiro", "Ingrid", "Ivan", "Jamal", "Julia", "Kenji", "Leila", "Linus", "Maria", "Mateo", "Nadia",
    "Noah", "Olga", "Omar", "Priya", "Quinn", "Rosa", "Samir", "Sofia", "Tariq", "Uma", "Victor", "Wen",
    "Xenia", "Yusuf", "Zara", "Zoe",
)
_LAST_NAMES = (
    "Abbott", "Bauer", "Castro", "Dubois", "Eriksen", "Fischer", "Garcia", "Hopper", "Ito", "Jensen", "Kowalski",
    "Lovelace", "Moreau", "Nakamura", "Okafor", "Petrov", "Quintero", "Rossi", "Schmidt", "Torvalds", "Ueda",
    "Varga", "Weber", "Xu", "Yilmaz", "Zhang",
)


def derive_id(prefix, *parts):
    """Return ``prefix`` + 16 alphanumerics derived from ``parts`` (stable across runs)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).digest()
    return prefix + "".join(_ALPHANUM[b % len(_ALPHANUM)] for b in digest[:16])


def encode_cursor(created_at, object_id):
    """Encode a checkpoint cursor the way Auth0 does: unpadded base64 of "timestamp,id"."""
    raw = "%sUTC,%s" % (created_at.strftime("%Y-%m-%d %H:%M:%S.%f"), object_id)
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(cursor):
    """Return the object id inside a cursor made by :func:`encode_cursor`, or None if it is not one."""
    parts = decode_cursor_parts(cursor)
    return parts[1] if parts else None


def decode_cursor_parts(cursor):
    """(datetime, object id) inside a cursor made by :func:`encode_cursor`, or None if it is not one."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    stamp, sep, object_id = raw.partition(",")
    if not sep or not stamp.endswith("UTC") or not object_id:
        return None
    try:
        created = datetime.strptime(stamp[:-3], "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=timezone.utc)
    except ValueError:
        return None
    return created, object_id


class Organization:
    """One seeded organization. Treat every attribute as read-only: the tenant's writes change them.

    Attributes:
        id, name, display_name: as in the API.
        optional: the seeded keys of ORGANIZATION_OPTIONAL_FIELDS (branding, metadata, token_quota, ...), as in the API.
        created_at: datetime used for the organizations-list cursor.
        roles: list of role dicts ``{"id", "name", "description"}`` defined for this org's members.
        members: list of member dicts ``{"user_id", "email", "picture", "name"}`` in API order
            (the order of both offset and checkpoint paging).
        member_roles: dict user_id -> list of ``{"id", "name", "description"}`` (API order).
    """

    def __init__(self, org_id, name, display_name, created_at=None, optional=None):
        self.id = org_id
        self.name = name
        self.display_name = display_name
        self.optional = {key: value for key, value in (optional or {}).items() if value is not None}
        self.created_at = created_at or _EPOCH
        self.roles = []
        self.members = []
        self.member_roles = {}
        self.member_created = []
        self.member_index = {}
        # The latest membership time issued, so that no later join reuses one (see add_members).
        self._last_joined = self.created_at

    def to_api(self):
        """Return the organization object exactly as the Management API serialises it."""
        body = {"id": self.id, "name": self.name, "display_name": self.display_name}
        body.update(self.optional)
        return body

    def roles_of(self, user_id):
        """Roles directly assigned to ``user_id`` (``{"id", "name", "description"}``), [] if none."""
        return self.member_roles.get(user_id, [])

    def member_ids(self):
        """All member user_ids in API order."""
        return [m["user_id"] for m in self.members]

    def member_cursor(self, index):
        """The checkpoint cursor that points just after member number ``index``."""
        return encode_cursor(self.member_created[index], self.members[index]["user_id"])

    def position_after(self, cursor):
        """Index of the first member listed after ``cursor``, or None when it is no cursor of ours.

        A cursor names a membership time and a user, like Auth0's: a listing continues after that time
        even when the member it names has left since, so a removal never breaks a listing under way.
        """
        parts = decode_cursor_parts(cursor)
        if parts is None:
            return None
        created, user_id = parts
        index = self.member_index.get(user_id)
        if index is not None and self.member_created[index] == created:
            return index + 1
        return bisect.bisect_right(self.member_created, created)

    def add_members(self, members):
        """Append the given member dicts that are not members yet, in order; return the user ids added.

        A newcomer joins now: after every member, with a membership time later than any issued before,
        so a cursor handed out earlier still points where it did (a member who rejoins gets a new time).
        """
        added = []
        for member in members:
            if member["user_id"] in self.member_index:
                continue
            self._last_joined = max(self._last_joined, self.member_created[-1] if self.member_created else self.created_at)
            self._last_joined += timedelta(milliseconds=1)
            self.member_index[member["user_id"]] = len(self.members)
            self.members.append(dict(member))
            self.member_created.append(self._last_joined)
            added.append(member["user_id"])
        return added

    def remove_members(self, user_ids):
        """Remove the given members with their roles in this organization; return the list indices they had."""
        gone = sorted(self.member_index[user_id] for user_id in set(user_ids) if user_id in self.member_index)
        if not gone:
            return gone
        self._last_joined = max(self._last_joined, self.member_created[-1])
        for index in reversed(gone):
            user_id = self.members[index]["user_id"]
            del self.members[index]
            del self.member_created[index]
            self.member_roles.pop(user_id, None)
        self.member_index.clear()
        self.member_index.update((member["user_id"], index) for index, member in enumerate(self.members))
        return gone

    def grant(self, user_id, roles):
        """Add roles (dicts) to what ``user_id`` holds here, after those it holds; return the role ids added.

        Also for a user who is not a member yet: Auth0 accepted that (2023) and listed the roles once
        the user joined. ValueError when the user would hold more than MAX_ROLES_PER_MEMBER.
        """
        held = self.member_roles.get(user_id, [])
        held_ids = {role["id"] for role in held}
        new = []
        for role in roles:
            if role["id"] not in held_ids:
                held_ids.add(role["id"])
                new.append(role)
        if len(held) + len(new) > MAX_ROLES_PER_MEMBER:
            raise ValueError("%s would hold %d roles" % (user_id, len(held) + len(new)))
        if new:
            self.member_roles[user_id] = held + new
        return [role["id"] for role in new]

    def revoke(self, user_id, role_ids):
        """Take roles (ids) from ``user_id``; return the role ids it held and lost."""
        held = self.member_roles.get(user_id, [])
        lost = [role["id"] for role in held if role["id"] in role_ids]
        if lost:
            self.member_roles[user_id] = [role for role in held if role["id"] not in role_ids]
        return lost

    def __repr__(self):
        return "Organization(id=%r, name=%r, members=%d)" % (self.id, self.name, len(self.members))


def load_seed(seed):
    """Return the seed as a dict: ``seed`` may be a dict, a path to a .yml/.yaml/.json file, or None."""
    if seed is None:
        return {"organizations": []}
    if isinstance(seed, dict):
        return seed
    path = os.fspath(seed)
    with open(path, encoding="utf-8") as handle:
        if path.endswith(".json"):
            return json.load(handle)
        return yaml.safe_load(handle) or {}


def _role_dicts(org_name, spec):
    roles = []
    for entry in spec or []:
        if isinstance(entry, str):
            entry = {"name": entry}
        name = entry["name"]
        roles.append({
            "id": entry.get("id") or derive_id("rol_", "role", name),
            "name": name,
            "description": entry.get("description", "%s role" % name.capitalize()),
        })
    if len({r["name"] for r in roles}) != len(roles):
        raise ValueError("organization %s: duplicate role names" % org_name)
    return roles


def _pick_roles(rng, roles):
    """0..2 distinct roles; about 90 % of members get at least one."""
    if not roles:
        return []
    draw = rng.random()
    if draw < 0.1:
        count = 0
    elif draw < 0.75 or len(roles) == 1:
        count = 1
    else:
        count = 2
    picked = set(rng.sample(range(len(roles)), count))
    return [roles[i] for i in range(len(roles)) if i in picked]


def _picture(email, first, last):
    avatar = hashlib.md5(email.encode("utf-8"), usedforsecurity=False).hexdigest()
    initials = (first[0] + last[0]).lower()
    return "https://s.gravatar.com/avatar/%s?s=480&r=pg&d=https%%3A%%2F%%2Fcdn.auth0.com%%2Favatars%%2F%s.png" % (avatar, initials)


def _generate_members(org, rng, count, roles, directory):
    seen = set()
    for number in range(1, count + 1):
        user_id = "auth0|%024x" % rng.getrandbits(96)
        while user_id in seen:
            user_id = "auth0|%024x" % rng.getrandbits(96)
        seen.add(user_id)
        first = rng.choice(_FIRST_NAMES)
        last = rng.choice(_LAST_NAMES)
        email = "%s.%s.%d@example.com" % (first.lower(), last.lower(), number)
        member = {"user_id": user_id, "email": email, "picture": _picture(email, first, last), "name": "%s %s" % (first, last)}
        _add_member(org, member, _pick_roles(rng, roles), directory, {})


def _explicit_members(org, rng, specs, roles, directory):
    by_name = {r["name"]: r for r in directory.roles.values()}
    by_name.update((r["name"], r) for r in roles)
    for number, spec in enumerate(specs, start=1):
        if isinstance(spec, str):
            spec = {"email": spec}
        known = directory.users.get(spec.get("user_id"), {})
        email = spec.get("email") or known.get("email") or "member.%d@example.com" % number
        local = email.split("@")[0]
        member = {
            "user_id": spec.get("user_id") or "auth0|%024x" % rng.getrandbits(96),
            "email": email,
            "picture": spec.get("picture") or known.get("picture") or _picture(email, local, local),
            "name": spec.get("name") or known.get("name") or email,
        }
        if "roles" in spec:
            assigned = [by_name[n] for n in spec["roles"]]
        else:
            assigned = _pick_roles(rng, roles)
        _add_member(org, member, assigned, directory, spec)


def _add_member(org, member, assigned, directory, spec):
    index = len(org.members)
    if member["user_id"] in org.member_index:
        raise ValueError("organization %s: duplicate member %s" % (org.name, member["user_id"]))
    directory.add_user(dict(member, connection=spec.get("connection")), member_of=org.name)
    org.member_index[member["user_id"]] = index
    org.members.append(member)
    # Membership time drives the cursor, like the real one (base64 of "timestamp,user_id").
    org.member_created.append(org.created_at + timedelta(milliseconds=index + 1))
    org.member_roles[member["user_id"]] = assigned


def _timestamp(moment):
    """Auth0's ISO 8601 form with milliseconds: 2026-04-23T07:39:13.465Z."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class Directory:
    """The tenant-wide users and roles (Auth0 keeps both per tenant, not per organization).

    Attributes:
        users: dict user_id -> the user object as GET /api/v2/users/{id} returns it, in creation order.
        roles: dict role id -> ``{"id", "name", "description"}``, in creation order.
    """

    def __init__(self):
        self.users = {}
        self.roles = {}
        self._by_email = {}

    def add_role(self, role):
        """Add a role dict; the same id again must carry the same name (ids derive from names)."""
        known = self.roles.get(role["id"])
        if known is None:
            self.roles[role["id"]] = role
        elif known["name"] != role["name"]:
            raise ValueError("role %s is seeded as %r and as %r" % (role["id"], known["name"], role["name"]))

    def add_user(self, spec, member_of=None):
        """Add a user from a seed entry (user_id, email, name, picture, connection, any other user key).

        Returns the user object. A user id seen before (a member of several organizations) must carry
        the same email, name and picture; ValueError otherwise.
        """
        known = self.users.get(spec["user_id"])
        if known is not None:
            for key in ("email", "name", "picture"):
                if spec.get(key) is not None and spec[key] != known.get(key):
                    raise ValueError("user %s is seeded with two values of %s%s" % (
                        spec["user_id"], key, " (in organization %s)" % member_of if member_of else ""))
            return known
        user = _user_object(spec, len(self.users) + 1)
        self.users[user["user_id"]] = user
        if user.get("email") is not None:
            self._by_email.setdefault(user["email"], []).append(user["user_id"])
        return user

    def users_by_email(self, email):
        """The users whose email is exactly ``email`` (case-sensitive, as Auth0 documents), in creation order."""
        return [self.users[user_id] for user_id in self._by_email.get(email, ())]

    def generate_users(self, rng, count):
        """Add ``count`` users of the database connection that belong to no organization; return their ids."""
        created = []
        for _user in range(count):
            user_id = "auth0|%024x" % rng.getrandbits(96)
            while user_id in self.users:
                user_id = "auth0|%024x" % rng.getrandbits(96)
            first = rng.choice(_FIRST_NAMES)
            last = rng.choice(_LAST_NAMES)
            email = "%s.%s.u%d@example.com" % (first.lower(), last.lower(), len(self.users) + 1)
            self.add_user({"user_id": user_id, "email": email, "name": "%s %s" % (first, last),
                           "picture": _picture(email, first, last)})
            created.append(user_id)
        return created


def _user_object(spec, number):
    """A user object in Auth0's key order; keys the seed gives (besides connection) are kept as given."""
    user_id = spec["user_id"]
    provider, separator, identity_id = user_id.partition("|")
    if not separator:
        raise ValueError("user id %r has no provider prefix (such as auth0|)" % user_id)
    connection = spec.get("connection") or (DATABASE_CONNECTION if provider == "auth0" else provider)
    email = spec.get("email")
    nickname = (email or identity_id).split("@")[0]
    stamp = _timestamp(_USERS_EPOCH + timedelta(milliseconds=number))
    user = {"user_id": user_id, "created_at": stamp}
    if email is not None:
        user.update(email=email, email_verified=False)
    user["identities"] = [{"connection": connection, "user_id": identity_id, "provider": provider,
                           "isSocial": provider not in _NON_SOCIAL_PROVIDERS}]
    user.update(name=spec.get("name") or email or nickname, nickname=nickname,
                picture=spec.get("picture") or _picture(email or user_id, nickname, nickname), updated_at=stamp)
    user.update((key, value) for key, value in spec.items() if key != "connection" and value is not None)
    return user


def build_organizations(seed):
    """Build the ordered dict org id -> :class:`Organization` from a seed (see :func:`load_seed`)."""
    return build_tenant(seed)[0]


def build_tenant(seed):
    """(org id -> :class:`Organization`, :class:`Directory`) from a seed (see :func:`load_seed`).

    Besides ``organizations``, a seed may hold ``roles`` (names or {id, name, description}, tenant roles
    no organization lists) and ``users``: a list of {user_id, email, name, picture, connection, ...} or
    a count of generated users, all belonging to no organization. Every member is a user too.
    """
    data = load_seed(seed)
    salt = str(data.get("seed", "local-tenant"))
    directory = Directory()
    for role in _role_dicts("(tenant)", data.get("roles")):
        directory.add_role(role)
    users = data.get("users") or []
    if isinstance(users, int):
        # Its own random stream: the members of every organization come out as without top-level users.
        directory.generate_users(random.Random("%s/users" % salt), users)
    else:
        for spec in users:
            directory.add_user(spec)
    organizations = {}
    names = set()
    for position, spec in enumerate(data.get("organizations") or []):
        name = spec["name"]
        if name in names:
            raise ValueError("duplicate organization name %s" % name)
        names.add(name)
        org = Organization(
            org_id=spec.get("id") or derive_id("org_", salt, "org", name),
            name=name,
            display_name=spec.get("display_name", name),
            created_at=_EPOCH + timedelta(seconds=position),
            optional={key: spec.get(key) for key in ORGANIZATION_OPTIONAL_FIELDS},
        )
        org.roles = _role_dicts(name, spec.get("roles"))
        for role in org.roles:
            directory.add_role(role)
        rng = random.Random("%s/%s" % (salt, name))
        members = spec.get("members") or 0
        if isinstance(members, int):
            _generate_members(org, rng, members, org.roles, directory)
        else:
            _explicit_members(org, rng, members, org.roles, directory)
        organizations[org.id] = org
    return organizations, directory
