"""The Management API endpoints: query validation, paging and Auth0-shaped bodies.

Handlers return ``(status, body)`` where body is bytes (already JSON) or a JSON-serialisable value.
They never touch sockets; ``server.py`` does transport, auth, rate limits and faults.
"""

import json
from http import HTTPStatus

from .data import ALL_MEMBER_FIELDS, MEMBER_FIELDS, decode_cursor, encode_cursor

OFFSET_RECORD_CAP = 1000
_FIELDS_PATTERN = "^((%s))(,((%s)))*$" % (")|(".join(ALL_MEMBER_FIELDS), ")|(".join(ALL_MEMBER_FIELDS))


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

    def cursor(self, index_of):
        """Position after the cursor in ``from`` (0 when absent); ``index_of`` maps an object id to its index."""
        raw = self.params.get("from")
        if not raw:
            return 0
        index = index_of.get(decode_cursor(raw))
        if index is None:
            raise _query_error("Invalid checkpoint value", "from", _DESCRIPTIONS["from"])
        return index + 1


def member_fields(query):
    """The tuple of member keys to return, in Auth0's key order."""
    raw = query.params.get("fields")
    include = query.boolean("include_fields", True)
    if not raw:
        return MEMBER_FIELDS
    names = [part.strip() for part in raw.split(",")]
    if any(name not in ALL_MEMBER_FIELDS for name in names):
        raise _query_error("String does not match pattern %s: %s" % (_FIELDS_PATTERN, raw), "fields", _DESCRIPTIONS["fields"])
    if include:
        return tuple(f for f in ALL_MEMBER_FIELDS if f in names)
    return tuple(f for f in MEMBER_FIELDS if f not in names)


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
        out = []
        for index in range(start, min(stop, len(self.org.members))):
            fragment = cache[index]
            if fragment is None:
                fragment = cache[index] = self._encode(index, fields)
            out.append(fragment)
        return out

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
    start = query.cursor(org.member_index)
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


def list_member_roles(org, user_id, params):
    """GET /organizations/{id}/members/{user_id}/roles: offset paging only."""
    query = Query(params, ("page", "per_page", "include_totals"))
    page_no = query.integer("page", 0, 0, None)
    per_page = query.integer("per_page", 50, 1, 100)
    include_totals = query.boolean("include_totals", False)
    if user_id not in org.member_index:
        raise ApiError(404, "No member found by that id in this organization")
    roles = org.roles_of(user_id)
    page = [{"id": r["id"], "name": r["name"], "description": r["description"]} for r in roles[page_no * per_page:(page_no + 1) * per_page]]
    if include_totals:
        return 200, {"roles": page, "start": page_no * per_page, "limit": per_page, "total": len(roles)}
    return 200, page


def list_organizations(organizations, params, next_override=None):
    """GET /organizations: offset (page/per_page/include_totals) or checkpoint (from/take) paging.

    Unlike the members endpoint, ``next`` is left out once no organization remains (as recorded).
    """
    query = Query(params, ("page", "per_page", "include_totals", "from", "take"))
    page_no = query.integer("page", 0, 0, None)
    per_page = query.integer("per_page", 50, 1, 100)
    take = query.integer("take", 50, 1, 100)
    include_totals = query.boolean("include_totals", False)
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
    page = [org.to_api() for org in orgs[page_no * per_page:(page_no + 1) * per_page]]
    if include_totals:
        return 200, {"organizations": page, "start": page_no * per_page, "limit": per_page, "total": len(orgs)}
    return 200, page
