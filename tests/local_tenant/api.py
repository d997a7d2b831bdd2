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
    "include_totals": "Return results inside an object that contains the total result count (true) or as a direct array of results (false, default).",
    "from": "Optional Id from which to start selection.",
    "take": "Number of results per page. Defaults to 50.",
    "fields": "Comma-separated list of fields to include or exclude (based on value provided for include_fields) in the result. Leave empty to retrieve all fields.",
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
    """GET /organizations/{id}/members once the query is validated and scopes are checked.

    Returns (status, body bytes, (start, stop) of the page served).
    ``indices_override`` serves another page's members (repeat_members fault);
    ``next_override`` replaces the cursor (cursor_loop fault).
    """
    fields = query.fields
    total = len(org.members)
    if query.checkpoint():
        take = query.take
        start = query.cursor(org.member_index)
        stop = min(start + take, total)
        page = (start, stop) if start < total else (total, total)
        shown = indices_override or page
        members = b",".join(encoder.fragments(fields, *shown))
        if page[0] == page[1]:
            return 200, b'{"members":[]}', page
        cursor = next_override or org.member_cursor(page[1] - 1)
        return 200, b'{"members":[' + members + b'],"next":' + dumps(cursor) + b"}", page
    page_no, per_page = query.page, query.per_page
    start = min(page_no * per_page, total)
    page = (start, min(start + per_page, total))
    members = b",".join(encoder.fragments(fields, *(indices_override or page)))
    if query.include_totals:
        tail = dumps({"start": page_no * per_page, "limit": per_page, "total": total})
        return 200, b'{"members":[' + members + b"]," + tail[1:], page
    return 200, b"[" + members + b"]", page


def parse_members_query(params):
    """Validate the members-list query and attach page/per_page/take/fields/include_totals."""
    query = Query(params, ("page", "per_page", "include_totals", "from", "take", "fields", "include_fields"))
    query.page = query.integer("page", 0, 0, None)
    query.per_page = query.integer("per_page", 50, 1, 100)
    query.take = query.integer("take", 50, 1, 100)
    query.include_totals = query.boolean("include_totals", False)
    query.fields = member_fields(query)
    if not query.checkpoint() and (query.page + 1) * query.per_page > OFFSET_RECORD_CAP:
        raise ApiError(
            400,
            "Requesting page %d exceeds the allowed maximum of %d records. To fetch results beyond %d, use the checkpoint pagination method."
            % (query.page, OFFSET_RECORD_CAP, OFFSET_RECORD_CAP),
            "invalid_paging",
        )
    return query


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
