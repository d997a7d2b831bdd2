"""LocalTenant: an in-process HTTP(S) stand-in for one Auth0 tenant's Management API."""

import copy
import itertools
import json
import os
import random
import re
import shutil
import socket
import ssl
import struct
import sys
import tempfile
import threading
import time
import traceback
from collections import namedtuple
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import MappingProxyType
from urllib.parse import parse_qsl, unquote, urlsplit

import jwt

from . import api
from .assertions import CLIENT_ASSERTION_TYPE, AssertionRejected, AssertionVerifier, PrivateKeyClient, load_credential, private_key_pem, public_key_pem
from .auth import ALL_SCOPES, TokenAuthority, TokenRejected, new_rsa_key, normalise_scopes
from .data import MAX_ROLES_PER_MEMBER, MEMBER_FIELDS, build_tenant
from .ratelimit import GROUPS, PUBLISHED_LIMITS, UNLIMITED, TokenBucket

RequestRecord = namedtuple("RequestRecord", "method path query status body", defaults=(None,))
RequestRecord.__doc__ = """One request the tenant received: path is URL-decoded, query a dict (last value wins),
status the HTTP status sent (0 when the connection was reset by a fault), body the decoded JSON body of a
POST/PUT/PATCH/DELETE to /api/v2 (None otherwise, and when it is no JSON). Authorization is never kept, nor
the body of /oauth/token (it holds the client's secret)."""

_Client = namedtuple("_Client", "secret scopes credentials")

FAULTS = ("status", "reset", "stall", "malformed", "html", "empty", "wrong_shape", "cursor_loop", "repeat_members", "expire_token")

_JSON = "application/json; charset=utf-8"
_HTML_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"
    b"<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n"
)

_MEMBERS = re.compile(r"^/api/v2/organizations/([^/]+)/members$")
_MEMBER_ROLES = re.compile(r"^/api/v2/organizations/([^/]+)/members/([^/]+)/roles$")
_ROUTES = (
    # (method, pattern over the raw path, handler name, endpoint group, scope)
    ("POST", re.compile(r"^/oauth/token$"), "_ep_oauth_token", "token", None),
    ("GET", re.compile(r"^/\.well-known/jwks\.json$"), "_ep_jwks", None, None),
    ("GET", re.compile(r"^/api/v2/organizations$"), "_ep_organizations", "organizations", "read:organizations"),
    ("GET", re.compile(r"^/api/v2/organizations/name/([^/]+)$"), "_ep_organization_by_name", "organizations", "read:organizations"),
    ("GET", _MEMBERS, "_ep_members", "members", "read:organization_members"),
    ("POST", _MEMBERS, "_ep_add_members", "member_writes", "create:organization_members"),
    ("DELETE", _MEMBERS, "_ep_remove_members", "member_writes", "delete:organization_members"),
    ("GET", _MEMBER_ROLES, "_ep_member_roles", "member_roles", "read:organization_member_roles"),
    ("POST", _MEMBER_ROLES, "_ep_grant_roles", "member_role_writes", "create:organization_member_roles"),
    ("DELETE", _MEMBER_ROLES, "_ep_revoke_roles", "member_role_writes", "delete:organization_member_roles"),
    ("GET", re.compile(r"^/api/v2/organizations/([^/]+)$"), "_ep_organization", "organizations", "read:organizations"),
    ("GET", re.compile(r"^/api/v2/users-by-email$"), "_ep_users_by_email", "users", "read:users"),
    ("GET", re.compile(r"^/api/v2/users/([^/]+)/organizations$"), "_ep_user_organizations", "users", "read:organizations"),
    ("GET", re.compile(r"^/api/v2/users/([^/]+)$"), "_ep_user", "users", "read:users"),
    ("GET", re.compile(r"^/api/v2/roles$"), "_ep_roles", "roles", "read:roles"),
    ("GET", re.compile(r"^/api/v2/roles/([^/]+)$"), "_ep_role", "roles", "read:roles"),
)
_WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def _render(status, payload, headers, close, head_only):
    """The whole HTTP/1.1 response (status line, headers, body) as one bytes buffer."""
    if not isinstance(payload, bytes):
        payload = api.dumps(payload)
    lines = ["HTTP/1.1 %d %s" % (status, HTTPStatus(status).phrase), "Content-Type: " + headers.pop("Content-Type", _JSON), "Content-Length: %d" % len(payload)]
    lines.extend("%s: %s" % item for item in headers.items())
    if close:
        lines.append("Connection: close")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return head if head_only else head + payload


class _Fault:
    __slots__ = ("pattern", "kind", "remaining", "params", "method")

    def __init__(self, pattern, kind, times, params, method=None):
        self.pattern = pattern
        self.kind = kind
        self.remaining = times
        self.params = params
        self.method = method

    def matches(self, method, path):
        return (self.method is None or self.method == method) and self.pattern.search(path) is not None


class _Handler(BaseHTTPRequestHandler):
    """Reads a request, lets the tenant answer, and writes the answer in one send."""

    protocol_version = "HTTP/1.1"
    server_version = "local-tenant"
    sys_version = ""

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        """Silence the default per-request stderr line."""

    def _dispatch(self):
        self.server.tenant._serve(self)  # pylint: disable=protected-access

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _dispatch


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def __init__(self, address, tenant, ssl_context):
        self.tenant = tenant
        self.ssl_context = ssl_context
        super().__init__(address, _Handler)

    def get_request(self):
        sock, address = self.socket.accept()
        # Without this, Nagle plus the client's delayed ACK adds ~40 ms to every keep-alive request.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock, address

    def finish_request(self, request, client_address):
        conn = request
        if self.ssl_context is not None:
            # Handshake here, in the connection's own thread, so a slow client cannot block accept().
            try:
                request.settimeout(10)
                conn = self.ssl_context.wrap_socket(request, server_side=True)
                conn.settimeout(None)
            except (ssl.SSLError, OSError):
                request.close()
                return
        self.tenant._track(conn, True)  # pylint: disable=protected-access
        try:
            self.RequestHandlerClass(conn, client_address, self)
        except OSError:
            pass  # the client went away mid-request
        finally:
            self.tenant._track(conn, False)  # pylint: disable=protected-access
            conn.close()


class LocalTenant:
    """A local, seeded Auth0 tenant serving the organization, membership, user and role endpoints of the Management API.

    Usage::

        with LocalTenant(seed="tests/local_tenant/seeds/small.yml") as tenant:
            token = tenant.mint_token()
            requests.get(tenant.audience + "organizations", headers={"Authorization": "Bearer " + token},
                         verify=tenant.ca_path)

    Args:
        seed: dict, or path of a .yml/.json file, describing organizations, users and roles (see ``data.build_tenant``).
        tls: serve HTTPS with a throwaway CA (``ca_path``); False serves plain HTTP.
        rate_limit: True applies Auth0's published limits; False (default) uses a huge bucket (headers still sent).
        latency: seconds slept before each answer.
        port: port to bind on 127.0.0.1 (0: any free port).
    """

    def __init__(self, seed=None, tls=True, rate_limit=False, latency=0.0, port=0, host="127.0.0.1"):
        self._organizations, self._directory = build_tenant(seed)
        self._encoders = {org_id: api.MemberEncoder(org) for org_id, org in self._organizations.items()}
        self._by_name = {org.name: org for org in self._organizations.values()}
        self.tls = tls
        self._host = host
        self._port = port
        self._latency = float(latency)
        self._buckets = {}
        for group in GROUPS:
            burst, per_minute = PUBLISHED_LIMITS[group] if rate_limit else UNLIMITED
            self._buckets[group] = TokenBucket(burst, per_minute)
        self._unlimited = TokenBucket(*UNLIMITED)
        self._lock = threading.Lock()
        # Held by every Management API handler: writes change members, indices and caches that reads walk.
        self._state_lock = threading.RLock()
        self._faults = []
        self._log = []
        self._credentials_seen = []
        self._last_page = {}
        self._clients = {}
        self._connections = set()
        self._server = None
        self._thread = None
        self._tmpdir = None
        self._authority = None
        self._assertions = None
        self._credential_ids = itertools.count(1)
        self._private_key_client = None
        self._private_key_lock = threading.Lock()
        self.ca_path = None
        self.client_id = "lt_default_m2m_client"
        self.client_secret = "local-tenant-secret-do-not-use-in-production"
        self.add_client(self.client_id, self.client_secret, ALL_SCOPES)

    # -- lifecycle ---------------------------------------------------------------------------------

    def start(self):
        """Bind, start serving in a daemon thread and return once listening. Returns self."""
        if self._server is not None:
            return self
        ssl_context = None
        self._tmpdir = tempfile.mkdtemp(prefix="local-tenant-")
        if self.tls:
            import trustme  # pylint: disable=import-outside-toplevel

            ca = trustme.CA()
            self.ca_path = os.path.join(self._tmpdir, "ca.pem")
            ca.cert_pem.write_to_path(self.ca_path)
            ssl_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ca.issue_cert("127.0.0.1", "localhost").configure_cert(ssl_context)
        self._server = _Server((self._host, self._port), self, ssl_context)
        self._port = self._server.server_address[1]
        self._authority = TokenAuthority(issuer=self.base_url + "/", audience=self.audience)
        self._assertions = AssertionVerifier(audiences=(self.base_url + "/", self.base_url + "/oauth/token"))
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.2}, name="local-tenant", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        """Stop serving, drop open keep-alive connections and delete the CA file."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._thread.join(5)
        self._server = None
        shutil.rmtree(self._tmpdir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    # -- addresses and credentials -----------------------------------------------------------------

    @property
    def domain(self):
        """``127.0.0.1:PORT`` (what a client uses as AUTH0_DOMAIN)."""
        return "%s:%d" % (self._host, self._port)

    @property
    def base_url(self):
        """``https://127.0.0.1:PORT`` (``http://`` when tls=False)."""
        return "%s://%s" % ("https" if self.tls else "http", self.domain)

    @property
    def audience(self):
        """The Management API audience: base_url + ``/api/v2/``."""
        return self.base_url + "/api/v2/"

    @property
    def organizations(self):
        """Read-only mapping org id -> :class:`local_tenant.data.Organization` (seed order)."""
        return MappingProxyType(self._organizations)

    def organization(self, name):
        """The seeded organization called ``name``."""
        return self._by_name[name]

    def _org_of(self, org):
        """The Organization with id or name ``org`` (KeyError when there is none)."""
        return self._organizations[org] if org in self._organizations else self._by_name[org]

    def member_ids(self, org):
        """The user ids of the members of organization ``org`` (id or name) in Auth0's order, now."""
        with self._state_lock:
            return self._org_of(org).member_ids()

    def roles_of(self, org, user_id):
        """The roles ``user_id`` holds in organization ``org`` (id or name), ``[{id, name, description}]``.

        A user granted roles before joining holds them too (they show in the API once it joins).
        """
        with self._state_lock:
            return [dict(role) for role in self._org_of(org).roles_of(user_id)]

    @property
    def users(self):
        """Every user of the tenant: user id -> user object as GET /api/v2/users/{id} returns it (copies)."""
        with self._state_lock:
            return {user_id: copy.deepcopy(user) for user_id, user in self._directory.users.items()}

    def user(self, user_id):
        """The user object of ``user_id`` (a copy), None when the tenant has no such user."""
        with self._state_lock:
            user = self._directory.users.get(user_id)
            return copy.deepcopy(user) if user is not None else None

    def user_by_email(self, email):
        """The users whose email is exactly ``email``, as GET /api/v2/users-by-email lists them (copies)."""
        with self._state_lock:
            return copy.deepcopy(self._directory.users_by_email(email))

    def add_users(self, users):
        """Add users who belong to no organization; return their user ids.

        ``users`` is what a seed's top-level ``users`` holds: a list of dicts (user_id, email, name,
        picture, connection and any other user key) or a count of generated database users.
        """
        with self._state_lock:
            if isinstance(users, int):
                rng = random.Random("add_users/%d/%d" % (len(self._directory.users), users))
                return self._directory.generate_users(rng, users)
            return [self._directory.add_user(dict(spec))["user_id"] for spec in users]

    @property
    def roles(self):
        """Every role of the tenant: role id -> ``{id, name, description}`` (copies), in creation order."""
        with self._state_lock:
            return {role_id: dict(role) for role_id, role in self._directory.roles.items()}

    def role_id(self, name):
        """The id of the role called exactly ``name`` (KeyError when there is none)."""
        with self._state_lock:
            return next(role["id"] for role in self._directory.roles.values() if role["name"] == name)

    def add_client(self, client_id, client_secret, scopes):
        """Register a machine-to-machine application allowed ``scopes`` for the client-credentials grant."""
        with self._lock:
            self._clients[client_id] = _Client(client_secret, normalise_scopes(scopes), ())

    def add_private_key_client(self, client_id, public_key_pem_text, alg="RS256", scopes=ALL_SCOPES):
        """Register a public key (PEM) for an application that authenticates with Private Key JWT; return its kid.

        The first call creates the application with ``scopes``; later calls add credentials, as when a
        key is rotated. ValueError for a key or alg Auth0 would refuse (not RSA 2048-4096, alg not RS256,
        RS384 or PS256). Such an application has no client secret.
        """
        kid = "lt-credential-%d" % next(self._credential_ids)
        credential = load_credential(kid, public_key_pem_text, alg)
        with self._lock:
            known = self._clients.get(client_id)
            if known is not None and known.secret is not None:
                raise ValueError("%s authenticates with a client secret" % client_id)
            credentials = known.credentials if known is not None else ()
            self._clients[client_id] = _Client(None, known.scopes if known else normalise_scopes(scopes), credentials + (credential,))
        return kid

    @property
    def private_key_client(self):
        """The default Private Key JWT application: client_id, kid, alg, private_key_pem and private_key_path.

        Made on first use (start() first): a 2048-bit RSA key pair whose public half is registered
        with RS256 and every scope, and whose private half is written to a 0600 file for the demo.
        """
        if self._tmpdir is None:
            raise RuntimeError("start the tenant before asking for its private key client")
        with self._private_key_lock:
            if self._private_key_client is None:
                key = new_rsa_key()
                client_id = "lt_private_key_jwt_client"
                kid = self.add_private_key_client(client_id, public_key_pem(key), "RS256", ALL_SCOPES)
                path = os.path.join(self._tmpdir, "private-key-jwt.pem")
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(descriptor, "w", encoding="ascii") as handle:
                    handle.write(private_key_pem(key))
                self._private_key_client = PrivateKeyClient(client_id, kid, "RS256", private_key_pem(key), path)
            return self._private_key_client

    def mint_token(self, scopes=ALL_SCOPES, expires_in=86400, audience=None, issuer=None, sign_with_foreign_key=False):
        """Return an RS256 access token for this tenant (start() first).

        ``expires_in`` may be negative for an already expired token; ``audience``/``issuer`` override
        the claims; ``sign_with_foreign_key`` signs with a key the tenant does not trust.
        """
        if self._authority is None:
            raise RuntimeError("start the tenant before minting tokens")
        return self._authority.mint(scopes, expires_in, audience, issuer, sign_with_foreign_key)

    # -- observation and control -------------------------------------------------------------------

    @property
    def requests(self):
        """List of :data:`RequestRecord` for every request received, oldest first (a copy)."""
        with self._lock:
            return list(self._log)

    def count(self, path_regex=None, method="GET"):
        """How many logged requests have a path matching ``path_regex`` (re.search) and ``method`` (None: any)."""
        pattern = re.compile(path_regex) if path_regex else None
        return sum(
            1 for r in self.requests
            if (method is None or r.method == method) and (pattern is None or pattern.search(r.path))
        )

    @property
    def credentials_seen(self):
        """Every client assertion received and access token issued at /oauth/token, for secret scans (a copy).

        Kept apart from :attr:`requests`, which never holds credentials; reset_log() forgets them too.
        """
        with self._lock:
            return list(self._credentials_seen)

    def reset_log(self):
        """Forget the logged requests and the credentials seen."""
        with self._lock:
            self._log.clear()
            self._credentials_seen.clear()

    def inject(self, path_regex, fault, times=1, method=None, **params):
        """Make the next ``times`` requests whose decoded path matches ``path_regex`` misbehave.

        ``method`` (e.g. "POST") limits the fault to requests of that method: the 3rd POST of a batch can
        fail while the reads around it go through.

        Faults on matching paths apply in the order injected. ``fault`` is one of :data:`FAULTS`:
        status (status=, headers=, body=), reset, stall (seconds=5), malformed, html, empty,
        wrong_shape (body=), cursor_loop, repeat_members, expire_token. Status-like faults (status, malformed,
        html, empty, wrong_shape, expire_token) answer before rate limiting and auth; html (a proxy's page)
        carries no X-RateLimit-* headers. cursor_loop and repeat_members only change members/organizations lists.
        """
        if fault not in FAULTS:
            raise ValueError("unknown fault %r; expected one of %s" % (fault, ", ".join(FAULTS)))
        if fault == "status" and "status" not in params:
            raise ValueError("the status fault needs status=")
        with self._lock:
            self._faults.append(_Fault(re.compile(path_regex), fault, int(times), params, method))

    def clear_faults(self):
        """Drop every pending fault."""
        with self._lock:
            self._faults.clear()

    def set_latency(self, seconds):
        """Sleep ``seconds`` before each answer from now on."""
        self._latency = float(seconds)

    def set_rate_limit(self, endpoint_group=None, burst=None, per_minute=None):
        """Replace the token bucket of one group (see :data:`local_tenant.GROUPS`) or of all (None).

        Without burst/per_minute the group gets Auth0's published limit. The bucket starts full.
        """
        groups = GROUPS if endpoint_group is None else (endpoint_group,)
        for group in groups:
            if group not in GROUPS:
                raise ValueError("unknown endpoint group %r; expected one of %s" % (group, ", ".join(GROUPS)))
            default_burst, default_per_minute = PUBLISHED_LIMITS[group]
            self._buckets[group] = TokenBucket(burst or default_burst, per_minute or default_per_minute)

    # -- request handling --------------------------------------------------------------------------

    def _track(self, conn, opened):
        with self._lock:
            if opened:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    def _take_fault(self, method, path):
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def _serve(self, handler):
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length > 0 else b""
        split = urlsplit(handler.path)
        path = unquote(split.path)
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        fault = self._take_fault(handler.command, path)
        logged_body = _logged_body(handler.command, path, body)
        if fault is not None and fault.kind == "reset":
            self._record(handler.command, path, query, 0, logged_body)
            handler.close_connection = True
            handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            handler.connection.close()
            return
        if fault is not None and fault.kind == "stall":
            time.sleep(float(fault.params.get("seconds", 5)))
            fault = None
        try:
            status, payload, headers = self._answer(handler.command, split.path, query, handler.headers, body, fault)
        except Exception:  # pylint: disable=broad-except
            traceback.print_exc(file=sys.stderr)
            status, payload, headers = 500, api.error_body(500, "Internal error in local tenant"), {}
        if self._latency:
            time.sleep(self._latency)
        self._record(handler.command, path, query, status, logged_body)
        # One buffer, one send: a separate header write would cost a round trip under Nagle/delayed ACK.
        handler.wfile.write(_render(status, payload, headers, handler.close_connection, handler.command == "HEAD"))

    def _record(self, method, path, query, status, body=None):
        with self._lock:
            self._log.append(RequestRecord(method, path, query, status, body))

    def _route(self, method, raw_path):
        for route_method, pattern, name, group, scope in _ROUTES:
            match = pattern.match(raw_path) if route_method == method else None
            if match:
                return getattr(self, name), group, scope, [unquote(g) for g in match.groups()]
        return None, None, None, None

    def _answer(self, method, raw_path, query, headers, body, fault):
        """Return (status, payload, headers) for one request."""
        handler, group, scope, args = self._route(method, raw_path)
        if fault is not None and fault.kind in ("status", "malformed", "html", "empty", "wrong_shape", "expire_token"):
            return self._fault_answer(fault, raw_path, self._buckets.get(group, self._unlimited))
        allowed, rl_headers = self._buckets.get(group, self._unlimited).take()
        if not allowed:
            if group == "token":
                return 429, {"error": "too_many_requests", "error_description": "Too many requests"}, rl_headers
            return 429, api.error_body(429, "Global limit has been reached", "too_many_requests"), rl_headers
        if handler is None:
            return 404, api.error_body(404, "Not Found"), rl_headers
        try:
            scopes = self._authorize(headers.get("Authorization"), scope)
            with self._state_lock:
                return handler(*args, query=query, scopes=scopes, body=body, headers=headers, fault=fault) + (rl_headers,)
        except TokenRejected as exc:
            return 401, api.error_body(401, str(exc), attributes=True), rl_headers
        except api.ApiError as exc:
            return exc.status, exc.body(), rl_headers

    def _authorize(self, authorization, scope):
        """Verify the bearer token like Auth0 (signature, exp, aud, iss, then scope); return its scopes."""
        if scope is None:
            return None
        scopes = self._authority.verify(authorization)
        if scope not in scopes:
            raise api.ApiError(403, "Insufficient scope, expected any of: %s" % scope, "insufficient_scope")
        return scopes

    def _fault_answer(self, fault, raw_path, bucket):
        rl_headers = bucket.peek()
        if fault.kind == "status":
            status = int(fault.params["status"])
            if status == 429:
                rl_headers.update({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(time.time()) + 1)})
            rl_headers.update(fault.params.get("headers") or {})
            body = fault.params.get("body")
            if body is None:
                message = "Global limit has been reached" if status == 429 else HTTPStatus(status).phrase
                body = api.error_body(status, message, "too_many_requests" if status == 429 else None)
            elif isinstance(body, str):
                body = body.encode("utf-8")
            return status, body, rl_headers
        if fault.kind == "malformed":
            return 200, b'{"members":[{"user_id":"auth0|5f1c', rl_headers
        if fault.kind == "empty":
            return 200, b"", rl_headers
        if fault.kind == "html":
            return 502, _HTML_502, {"Content-Type": "text/html; charset=utf-8"}
        if fault.kind == "wrong_shape":
            default = {"members": "unexpected"} if raw_path.endswith("/members") else "unexpected"
            return 200, fault.params.get("body", default), rl_headers
        # expire_token
        self._authority.expire_all_now()
        message = "Expired token received for JSON Web Token validation"
        return 401, api.error_body(401, message, attributes=True), rl_headers

    # -- endpoints (each returns (status, payload)) ------------------------------------------------

    def _ep_oauth_token(self, query, scopes, body, headers, fault):  # pylint: disable=unused-argument
        ctype = headers.get("Content-Type", "")
        try:
            if "json" in ctype:
                form = json.loads(body.decode("utf-8") or "{}")
            else:
                form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        except (ValueError, UnicodeDecodeError):
            return 400, {"error": "invalid_request", "error_description": "Invalid request body"}
        if not isinstance(form, dict):
            return 400, {"error": "invalid_request", "error_description": "Invalid request body"}
        grant = form.get("grant_type")
        if grant != "client_credentials":
            return 400, {"error": "unsupported_grant_type", "error_description": "Unsupported grant type: %s" % grant}
        if form.get("client_assertion") or form.get("client_assertion_type"):
            refusal, client_id = self._client_by_assertion(form)
        else:
            refusal, client_id = self._client_by_secret(form)
        if refusal:
            return refusal
        audience = form.get("audience")
        if not audience:
            return 403, {"error": "access_denied", "error_description": "No audience parameter was provided, and no default audience has been configured"}
        if audience != self.audience:
            return 403, {"error": "access_denied", "error_description": "Service not enabled within domain: %s" % audience}
        granted = self._clients[client_id].scopes
        if form.get("scope"):
            wanted = set(normalise_scopes(form["scope"]))
            granted = tuple(s for s in granted if s in wanted)
        token = self._authority.mint(granted, 86400, client_id=client_id)
        with self._lock:
            self._credentials_seen.append(token)
        return 200, {"access_token": token, "token_type": "Bearer", "expires_in": 86400, "scope": " ".join(granted)}

    def _client(self, client_id):
        return self._clients.get(client_id) if isinstance(client_id, str) else None

    def _client_by_secret(self, form):
        """(refusal, client_id): refusal is a (status, body) answer, or None when the secret is right."""
        client = self._client(form.get("client_id"))
        if client is None or client.secret is None or client.secret != form.get("client_secret"):
            return (401, {"error": "access_denied", "error_description": "Unauthorized"}), None
        return None, form["client_id"]

    def _client_by_assertion(self, form):
        """(refusal, client_id) for Private Key JWT client authentication (see local_tenant.assertions)."""
        if form.get("client_secret"):
            return (400, {"error": "invalid_request", "error_description": "Use client_secret or client_assertion, not both"}), None
        if form.get("client_assertion_type") != CLIENT_ASSERTION_TYPE:
            return (400, {"error": "invalid_request", "error_description": "client_assertion_type must be %s" % CLIENT_ASSERTION_TYPE}), None
        assertion = form.get("client_assertion")
        if not isinstance(assertion, str) or not assertion:
            return (400, {"error": "invalid_request", "error_description": "Missing client_assertion"}), None
        with self._lock:
            self._credentials_seen.append(assertion)
        client_id = form.get("client_id") or _unverified_subject(assertion)
        client = self._client(client_id)
        try:
            if client is None or not client.credentials:
                raise AssertionRejected("The client is not configured for Private Key JWT authentication")
            self._assertions.verify(assertion, client_id, client.credentials)
        except AssertionRejected as rejected:
            return (401, {"error": "invalid_client", "error_description": str(rejected)}), None
        return None, client_id

    def _ep_jwks(self, query, scopes, body, headers, fault):  # pylint: disable=unused-argument
        return 200, self._authority.jwks()

    def _org(self, org_id):
        org = self._organizations.get(org_id)
        if org is None:
            raise api.ApiError(*api.ORG_NOT_FOUND)
        return org

    def _ep_organizations(self, query, scopes, body, headers, fault):  # pylint: disable=unused-argument
        looping = fault is not None and fault.kind == "cursor_loop"
        return api.list_organizations(self._organizations, query, query.get("from") if looping else None)

    def _ep_organization(self, org_id, query, scopes, body, headers, fault):  # pylint: disable=unused-argument
        return 200, self._org(org_id).to_api()

    def _ep_organization_by_name(self, name, query, scopes, body, headers, fault):  # pylint: disable=unused-argument
        org = self._by_name.get(name)
        if org is None:
            raise api.ApiError(*api.ORG_NOT_FOUND)
        return 200, org.to_api()

    def _ep_members(self, org_id, query, scopes, body, headers, fault):  # pylint: disable=unused-argument
        parsed = api.MembersQuery(query)
        if "roles" in parsed.fields and "read:organization_member_roles" not in scopes:
            raise api.ApiError(403, "Insufficient scope, expected any of: read:organization_member_roles", "insufficient_scope")
        org = self._org(org_id)
        override_indices = override_next = None
        if fault is not None and fault.kind == "repeat_members":
            override_indices = self._last_page.get(org_id)
        elif fault is not None and fault.kind == "cursor_loop" and parsed.checkpoint():
            override_next = query.get("from") or None
        status, payload, page = api.list_members(org, self._encoders[org_id], parsed, override_indices, override_next)
        self._last_page[org_id] = page
        return status, payload

    def _ep_member_roles(self, org_id, user_id, query, scopes, body, headers, fault):  # pylint: disable=unused-argument
        return api.list_member_roles(self._org(org_id), user_id, query)

    def _ep_add_members(self, org_id, query, scopes, body, headers, fault):  # pylint: disable=unused-argument
        user_ids = api.write_ids("POST", body, "members", api.MAX_MEMBERS_PER_WRITE)
        org = self._org(org_id)
        users = [self._directory.users.get(user_id) for user_id in user_ids]
        if None in users:
            # All or nothing: a batch naming an unknown user adds no one.
            raise api.ApiError(*api.USERS_NOT_FOUND)
        org.add_members([{key: user.get(key) for key in MEMBER_FIELDS} for user in users])
        return 204, b""

    def _ep_remove_members(self, org_id, query, scopes, body, headers, fault):  # pylint: disable=unused-argument
        user_ids = api.write_ids("DELETE", body, "members", api.MAX_MEMBERS_PER_WRITE)
        org = self._org(org_id)
        self._encoders[org.id].removed(org.remove_members(user_ids))
        return 204, b""

    def _member_role_write(self, method, org_id, user_id, body):
        """(organization, role ids) of a member-role write, checked in Auth0's order: body, organization, user, roles."""
        role_ids = api.write_ids(method, body, "roles")
        org = self._org(org_id)
        if user_id not in self._directory.users:
            raise api.ApiError(*api.WRITE_USER_NOT_FOUND)
        if any(role_id not in self._directory.roles for role_id in role_ids):
            raise api.ApiError(*api.ROLES_NOT_FOUND)
        return org, role_ids

    def _ep_grant_roles(self, org_id, user_id, query, scopes, body, headers, fault):  # pylint: disable=unused-argument
        org, role_ids = self._member_role_write("POST", org_id, user_id, body)
        try:
            org.grant(user_id, [self._directory.roles[role_id] for role_id in role_ids])
        except ValueError:
            raise api.ApiError(400, "A member can have at most %d roles in an organization." % MAX_ROLES_PER_MEMBER,
                               "too_many_roles") from None
        self._encoders[org.id].roles_changed(user_id)
        return 204, b""

    def _ep_revoke_roles(self, org_id, user_id, query, scopes, body, headers, fault):  # pylint: disable=unused-argument
        org, role_ids = self._member_role_write("DELETE", org_id, user_id, body)
        org.revoke(user_id, set(role_ids))
        self._encoders[org.id].roles_changed(user_id)
        return 204, b""

    def _ep_users_by_email(self, query, scopes, body, headers, fault):  # pylint: disable=unused-argument
        return api.users_by_email(self._directory, query)

    def _known_user(self, user_id):
        user = self._directory.users.get(user_id)
        if user is None:
            raise api.ApiError(*api.USER_NOT_FOUND)
        return user

    def _ep_user(self, user_id, query, scopes, body, headers, fault):  # pylint: disable=unused-argument
        return 200, api.user_object(self._known_user(user_id), query)

    def _ep_user_organizations(self, user_id, query, scopes, body, headers, fault):  # pylint: disable=unused-argument
        self._known_user(user_id)
        return api.user_organizations(self._organizations, user_id, query)

    def _ep_roles(self, query, scopes, body, headers, fault):  # pylint: disable=unused-argument
        return api.list_roles(self._directory, query)

    def _ep_role(self, role_id, query, scopes, body, headers, fault):  # pylint: disable=unused-argument
        role = self._directory.roles.get(role_id)
        if role is None:
            raise api.ApiError(*api.ROLE_NOT_FOUND)
        return 200, dict(role)


def _logged_body(method, path, body):
    """The decoded JSON body of a Management API write, for RequestRecord.body (None for anything else)."""
    if method not in _WRITE_METHODS or not path.startswith("/api/v2/") or not body:
        return None
    try:
        return json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None


def _unverified_subject(assertion):
    """The sub claim of an assertion sent without client_id (RFC 7523 lets the assertion name the client)."""
    try:
        claims = jwt.decode(assertion, options={"verify_signature": False})
    except jwt.InvalidTokenError:
        return None
    return claims.get("sub") if isinstance(claims, dict) else None
