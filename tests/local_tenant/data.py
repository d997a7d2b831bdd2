"""Seed loading and deterministic generation of the tenant's organizations, roles and members.

Everything here is pure data: the same seed always yields the same ids, emails and role
assignments, so tests can compare what a client fetched against ``Organization.members``.
"""

import base64
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

_ALPHANUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_EPOCH = datetime(2024, 1, 15, 9, 30, 0, tzinfo=timezone.utc)

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
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    stamp, sep, object_id = raw.partition(",")
    if not sep or not stamp.endswith("UTC") or not object_id:
        return None
    return object_id


class Organization:
    """One seeded organization. Treat every attribute as read-only.

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


def _generate_members(org, rng, count, roles):
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
        _add_member(org, member, _pick_roles(rng, roles))


def _explicit_members(org, rng, specs, roles):
    by_name = {r["name"]: r for r in roles}
    for number, spec in enumerate(specs, start=1):
        if isinstance(spec, str):
            spec = {"email": spec}
        email = spec.get("email") or "member.%d@example.com" % number
        local = email.split("@")[0]
        member = {
            "user_id": spec.get("user_id") or "auth0|%024x" % rng.getrandbits(96),
            "email": email,
            "picture": spec.get("picture") or _picture(email, local, local),
            "name": spec.get("name") or email,
        }
        if "roles" in spec:
            assigned = [by_name[n] for n in spec["roles"]]
        else:
            assigned = _pick_roles(rng, roles)
        _add_member(org, member, assigned)


def _add_member(org, member, assigned):
    index = len(org.members)
    if member["user_id"] in org.member_index:
        raise ValueError("organization %s: duplicate member %s" % (org.name, member["user_id"]))
    org.member_index[member["user_id"]] = index
    org.members.append(member)
    # Membership time drives the cursor, like the real one (base64 of "timestamp,user_id").
    org.member_created.append(org.created_at + timedelta(milliseconds=index + 1))
    org.member_roles[member["user_id"]] = assigned


def build_organizations(seed):
    """Build the ordered dict org id -> :class:`Organization` from a seed (see :func:`load_seed`)."""
    data = load_seed(seed)
    salt = str(data.get("seed", "local-tenant"))
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
        rng = random.Random("%s/%s" % (salt, name))
        members = spec.get("members") or 0
        if isinstance(members, int):
            _generate_members(org, rng, members, org.roles)
        else:
            _explicit_members(org, rng, members, org.roles)
        organizations[org.id] = org
    return organizations
