"""The Management API endpoints: query validation, paging and Auth0-shaped bodies.

Handlers return ``(status, body)`` where body is bytes (already JSON) or a JSON-serialisable value.
They never touch sockets; ``server.py`` does transport, auth, rate limits and faults.
"""

import json
from http import HTTPStatus

from .data import ALL_MEMBER_FIELDS, MEMBER_FIELDS, USER_FIELDS, decode_cursor, encode_cursor

OFFSET_RECORD_CAP = 1000
MAX_MEMBERS_PER_WRITE = 10


def dumps(value):
    """Compact JSON as Auth0 sends it."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


class ApiError(Exception):
    """An Auth0 error response: ``{"statusCode", "error", "message"[, "errorCode"][, "attributes"]}``."""

    def __init__(self, status, message, error_code=None, attributes=False):
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_code = error_code
        self.attributes = attributes

    def body(self):
        """The JSON error body."""
        return error_body(self.status, self.message, self.error_code, self.attributes)


def error_body(status, message, error_code=None, attributes=False):
    """Build an Auth0 error body dict (401 bodies carry ``attributes.error``)."""
    body = {"statusCode": status, "error": HTTPStatus(status).phrase, "message": message}
    if error_code:
        body["errorCode"] = error_code
    if attributes:
        body["attributes"] = {"error": message}
    return body


ORG_NOT_FOUND = (404, "No organization found by that id or name")
USER_NOT_FOUND = (404, "The user does not exist.", "inexistent_user")
ROLE_NOT_FOUND = (404, "The role does not exist.", "inexistent_role")
# Our wording. No recording shows Auth0's answer to an unknown user or role in a membership write; Auth0's
# API description (and the SDKs generated from it) gives these writes 400, 401, 403 and 429 only, so 400.
USERS_NOT_FOUND = (400, "One or more of the users do not exist.", "inexistent_user")
ROLES_NOT_FOUND = (400, "One or more of the roles do not exist.", "inexistent_role")
WRITE_USER_NOT_FOUND = (400, "The user does not exist.", "inexistent_user")


def _query_error(detail, prop, description):
    return ApiError(400, "Query validation error: '%s' on property %s (%s)." % (detail, prop, description), "invalid_query_string")


_DESCRIPTIONS = {
    "page": "Page index of the results to return. First page is 0.",
    "per_page": "Number of results per page. Defaults to 50.",
    "include_totals": "Return results inside an object that contains the total result count (true) or as a bare array (false, default).",
    "from": "Optional Id from which to start selection.",
    "take": "Number of results per page. Defaults to 50.",
    "fields": "Comma-separated list of fields to include or exclude (based on include_fields) in the result. Leave empty to retrieve all fields.",
    "include_fields": "Whether specified fields are to be included (true) or excluded (false).",
    "email": "Email address to search for (case-sensitive).",
    "name_filter": "Optional filter on name (case-insensitive).",
}


class Query:
    """Validated query string of a list endpoint (z-schema style messages, like Auth0)."""

    def __init__(self, params, allowed):
        extra = sorted(set(params) - set(allowed))
        if extra:
            raise ApiError(400, "Query validation error: 'Additional properties not allowed: %s' on property query." % ",".join(extra), "invalid_query_string")
        self.params = params

    def integer(self, name, default, minimum, maximum):
        """Integer parameter in [minimum, maximum]."""
        raw = self.params.get(name)
        if raw is None:
            return default
        try:
            value = int(raw, 10)
        except ValueError:
            raise _query_error("Expected type integer but found type string", name, _DESCRIPTIONS[name]) from None
        if value < minimum:
            raise _query_error("Value %d is less than minimum %d" % (value, minimum), name, _DESCRIPTIONS[name])
        if maximum is not None and value > maximum:
            raise _query_error("Value %d is greater than maximum %d" % (value, maximum), name, _DESCRIPTIONS[name])
        return value

    def boolean(self, name, default):
        """Boolean parameter: true/false (also 1/0)."""
        raw = self.params.get(name)
        if raw is None:
            return default
        if raw in ("true", "1"):
            return True
        if raw in ("false", "0"):
            return False
        raise _query_error("Expected type boolean but found type string", name, _DESCRIPTIONS[name])

    def checkpoint(self):
        """True when from and/or take is present: checkpoint paging wins over include_totals."""
        return "from" in self.params or "take" in self.params

    def position(self, position_after):
        """Position after the cursor in ``from`` (0 when absent); ``position_after`` maps a cursor to it or None."""
        raw = self.params.get("from")
        if not raw:
            return 0
        start = position_after(raw)
        if start is None:
            raise _query_error("Invalid checkpoint value", "from", _DESCRIPTIONS["from"])
        return start

    def cursor(self, index_of):
        """Position after the cursor in ``from`` (0 when absent); ``index_of`` maps an object id to its index."""
        def after(raw):
            index = index_of.get(decode_cursor(raw))
            return None if index is None else index + 1
        return self.position(after)


def selected_fields(query, known, default):
    """The tuple of keys `fields`/`include_fields` select among ``known`` (Auth0's pattern), in ``known`` order.

    Without `fields`, ``default``; excluding fields takes them from ``default``.
    """
    raw = query.params.get("fields")
    include = query.boolean("include_fields", True)
    if not raw:
        return default
    names = [part.strip() for part in raw.split(",")]
    if any(name not in known for name in names):
        pattern = "^((%s))(,((%s)))*$" % (")|(".join(known), ")|(".join(known))
        raise _query_error("String does not match pattern %s: %s" % (pattern, raw), "fields", _DESCRIPTIONS["fields"])
    if include:
        return tuple(f for f in known if f in names)
    return tuple(f for f in default if f not in names)


def member_fields(query):
    """The tuple of member keys to return, in Auth0's key order."""
    return selected_fields(query, ALL_MEMBER_FIELDS, MEMBER_FIELDS)


class MemberEncoder:
    """Caches each member's JSON per field selection so a page costs one bytes join."""

    def __init__(self, org):
        self.org = org
        self._cache = {}

    def fragments(self, fields, start, stop):
        """JSON fragments of members[start:stop] with the given fields."""
        cache = self._cache.get(fields)
        if cache is None:
            cache = self._cache.setdefault(fields, [None] * len(self.org.members))
        if len(cache) < len(self.org.members):
            cache.extend([None] * (len(self.org.members) - len(cache)))
        out = []
        for index in range(start, min(stop, len(self.org.members))):
            fragment = cache[index]
            if fragment is None:
                fragment = cache[index] = self._encode(index, fields)
            out.append(fragment)
        return out

    def removed(self, indices):
        """Forget the fragments of members removed from these list ``indices`` (ascending)."""
        for cache in self._cache.values():
            for index in reversed(indices):
                if index < len(cache):
                    del cache[index]

    def roles_changed(self, user_id):
        """Forget the fragments that list the roles of ``user_id`` (a member or not)."""
        index = self.org.member_index.get(user_id)
        if index is None:
            return
        for fields, cache in self._cache.items():
            if "roles" in fields and index < len(cache):
                cache[index] = None

    def _encode(self, index, fields):
        member = self.org.members[index]
        body = {}
        for name in fields:
            if name == "roles":
                body["roles"] = [{"id": r["id"], "name": r["name"]} for r in self.org.roles_of(member["user_id"])]
            else:
                body[name] = member[name]
        return dumps(body)


def list_members(org, encoder, query, indices_override=None, next_override=None):
    """GET /organizations/{id}/members for a validated :class:`MembersQuery` (scopes already checked).

    Returns (status, body bytes, (start, stop) of the page served).
    ``indices_override`` serves another page's members (repeat_members fault);
    ``next_override`` replaces the cursor (cursor_loop fault).
    """
    if query.checkpoint():
        return _members_checkpoint(org, encoder, query, indices_override, next_override)
    total = len(org.members)
    start = min(query.page * query.per_page, total)
    page = (start, min(start + query.per_page, total))
    members = b",".join(encoder.fragments(query.fields, *(indices_override or page)))
    if query.include_totals:
        tail = dumps({"start": query.page * query.per_page, "limit": query.per_page, "total": total})
        return 200, b'{"members":[' + members + b"]," + tail[1:], page
    return 200, b"[" + members + b"]", page


def _members_checkpoint(org, encoder, query, indices_override, next_override):
    """Checkpoint page: ``next`` on every non-empty page, even the last short one (Auth0's quirk)."""
    total = len(org.members)
    start = query.position(org.position_after)
    if start >= total:
        return 200, b'{"members":[]}', (total, total)
    page = (start, min(start + query.take, total))
    members = b",".join(encoder.fragments(query.fields, *(indices_override or page)))
    cursor = next_override or org.member_cursor(page[1] - 1)
    return 200, b'{"members":[' + members + b'],"next":' + dumps(cursor) + b"}", page


class MembersQuery(Query):
    """Validated query of the members list: page, per_page, take, include_totals and fields."""

    def __init__(self, params):
        super().__init__(params, ("page", "per_page", "include_totals", "from", "take", "fields", "include_fields"))
        self.page = self.integer("page", 0, 0, None)
        self.per_page = self.integer("per_page", 50, 1, 100)
        self.take = self.integer("take", 50, 1, 100)
        self.include_totals = self.boolean("include_totals", False)
        self.fields = member_fields(self)
        if not self.checkpoint() and (self.page + 1) * self.per_page > OFFSET_RECORD_CAP:
            raise ApiError(
                400,
                "Requesting page %d exceeds the allowed maximum of %d records. To fetch results beyond %d, use the checkpoint pagination method."
                % (self.page, OFFSET_RECORD_CAP, OFFSET_RECORD_CAP),
                "invalid_paging",
            )


def offset_page(query, key, items):
    """One offset page of ``items`` from a validated query: a bare array, or {key, start, limit, total}."""
    page_no = query.integer("page", 0, 0, None)
    per_page = query.integer("per_page", 50, 1, 100)
    include_totals = query.boolean("include_totals", False)
    page = items[page_no * per_page:(page_no + 1) * per_page]
    if include_totals:
        return 200, {key: page, "start": page_no * per_page, "limit": per_page, "total": len(items)}
    return 200, page


def list_member_roles(org, user_id, params):
    """GET /organizations/{id}/members/{user_id}/roles: offset paging only."""
    query = Query(params, ("page", "per_page", "include_totals"))
    query.integer("page", 0, 0, None)
    query.integer("per_page", 50, 1, 100)
    query.boolean("include_totals", False)
    if user_id not in org.member_index:
        raise ApiError(404, "No member found by that id in this organization")
    roles = [{"id": r["id"], "name": r["name"], "description": r["description"]} for r in org.roles_of(user_id)]
    return offset_page(query, "roles", roles)


def list_organizations(organizations, params, next_override=None):
    """GET /organizations: offset (page/per_page/include_totals) or checkpoint (from/take) paging.

    Unlike the members endpoint, ``next`` is left out once no organization remains (as recorded).
    """
    query = Query(params, ("page", "per_page", "include_totals", "from", "take"))
    query.integer("page", 0, 0, None)
    query.integer("per_page", 50, 1, 100)
    take = query.integer("take", 50, 1, 100)
    query.boolean("include_totals", False)
    orgs = list(organizations.values())
    if query.checkpoint():
        start = query.cursor({org.id: i for i, org in enumerate(orgs)})
        page = orgs[start:start + take]
        body = {"organizations": [org.to_api() for org in page]}
        if next_override:
            body["next"] = next_override
        elif start + take < len(orgs):
            body["next"] = encode_cursor(page[-1].created_at, page[-1].id)
        return 200, body
    return offset_page(query, "organizations", [org.to_api() for org in orgs])


def user_organizations(organizations, user_id, params):
    """GET /users/{id}/organizations: the organizations ``user_id`` is a member of, offset paging."""
    query = Query(params, ("page", "per_page", "include_totals"))
    return offset_page(query, "organizations", [org.to_api() for org in organizations.values() if user_id in org.member_index])


def _user_keys(query):
    """A test over user keys: those `fields`/`include_fields` select (every key without `fields`)."""
    chosen = selected_fields(query, USER_FIELDS, ())
    raw = query.params.get("fields")
    if not raw:
        return lambda key: True
    if query.boolean("include_fields", True):
        return set(chosen).__contains__
    hidden = {part.strip() for part in raw.split(",")}
    return lambda key: key not in hidden


def _shown(user, keep):
    return {key: value for key, value in user.items() if keep(key)}


def user_object(user, params):
    """GET /users/{id}: the user object with the keys `fields`/`include_fields` select (every key without them)."""
    return _shown(user, _user_keys(Query(params, ("fields", "include_fields"))))


def users_by_email(directory, params):
    """GET /users-by-email: every user whose email is exactly the one asked (a list, maybe empty)."""
    query = Query(params, ("email", "fields", "include_fields"))
    email = query.params.get("email")
    if email is None:
        raise ApiError(400, "Query validation error: 'Missing required property: email' on property query.", "invalid_query_string")
    if not email:
        raise _query_error("String is too short (0 chars), minimum 1", "email", _DESCRIPTIONS["email"])
    keep = _user_keys(query)
    return 200, [_shown(user, keep) for user in directory.users_by_email(email)]


def list_roles(directory, params):
    """GET /roles: offset paging; name_filter keeps the roles whose name contains it, ignoring case."""
    query = Query(params, ("page", "per_page", "include_totals", "name_filter"))
    wanted = (query.params.get("name_filter") or "").casefold()
    roles = [dict(role) for role in directory.roles.values() if wanted in role["name"].casefold()]
    return offset_page(query, "roles", roles)


_PAYLOAD_DESCRIPTIONS = {
    ("POST", "members"): "List of user IDs to add to the organization as members.",
    ("DELETE", "members"): "List of user IDs to remove from the organization.",
    ("POST", "roles"): "List of roles IDs to associated with the user.",
    ("DELETE", "roles"): "List of roles IDs associated with the organization member to remove.",
}


def _payload_error(detail, prop=None, description=None):
    where = " on property %s (%s)" % (prop, description) if prop else ""
    return ApiError(400, "Payload validation error: '%s'%s." % (detail, where), "invalid_body")


def _json_type(value):
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer", float: "number", type(None): "null"}
    return names.get(type(value), "unknown")


def write_ids(method, body, key, maximum=None):
    """The ids of a membership write body ``{key: [ids]}`` (1 id at least, ``maximum`` at most), or ApiError 400."""
    try:
        payload = json.loads(body.decode("utf-8")) if body else None
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "Invalid request payload JSON format") from None
    description = _PAYLOAD_DESCRIPTIONS[method, key]
    if not isinstance(payload, dict):
        raise _payload_error("Expected type object but found type %s" % _json_type(payload))
    extra = sorted(set(payload) - {key})
    if extra:
        raise _payload_error("Additional properties not allowed: %s" % ",".join(extra))
    if key not in payload:
        raise _payload_error("Missing required property: %s" % key)
    ids = payload[key]
    if not isinstance(ids, list):
        raise _payload_error("Expected type array but found type %s" % _json_type(ids), key, description)
    if not ids:
        raise _payload_error("Array is too short (0), minimum 1", key, description)
    if maximum is not None and len(ids) > maximum:
        raise _payload_error("Array is too long (%d), maximum %d" % (len(ids), maximum), key, description)
    for index, item in enumerate(ids):
        if not isinstance(item, str):
            raise _payload_error("Expected type string but found type %s" % _json_type(item), "%s[%d]" % (key, index), description)
    return list(dict.fromkeys(ids))
