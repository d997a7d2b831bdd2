"""Token buckets per endpoint group, refilled continuously, with Auth0's X-RateLimit-* header values."""

import math
import threading
import time

GROUPS = ("members", "member_roles", "organizations", "token", "member_writes", "member_role_writes", "users", "roles")
"""Endpoint groups: members list; member roles; organization reads; POST /oauth/token; POST/DELETE of members;
POST/DELETE of member roles; users-by-email, users/{id} and users/{id}/organizations; roles and roles/{id}."""

PUBLISHED_LIMITS = {
    "members": (40, 500),
    "member_roles": (20, 200),
    "organizations": (40, 500),
    # Auth0's figures for organization member writes and member-role writes: each its own bucket.
    "member_writes": (20, 200),
    "member_role_writes": (20, 200),
    # Not from Auth0's published table (no figure found for these reads): as generous as the organization reads.
    "users": (40, 500),
    "roles": (40, 500),
    # Auth0 publishes no single figure for client-credentials grants; generous so tests can mint freely.
    "token": (100, 1000),
}
"""(burst, per_minute) used with ``rate_limit=True``."""

UNLIMITED = (1000000, 60000000)


class TokenBucket:
    """A bucket of ``burst`` tokens refilled at ``per_minute`` / 60 tokens a second."""

    def __init__(self, burst, per_minute):
        if burst < 1 or per_minute <= 0:
            raise ValueError("burst must be >= 1 and per_minute > 0")
        self.burst = int(burst)
        self.rate = per_minute / 60.0
        self._tokens = float(self.burst)
        self._stamp = time.monotonic()
        self._lock = threading.Lock()

    def _refill(self):
        now = time.monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    def _headers(self):
        reset = time.time() + (self.burst - self._tokens) / self.rate
        return {
            "X-RateLimit-Limit": str(self.burst),
            "X-RateLimit-Remaining": str(max(0, int(self._tokens))),
            "X-RateLimit-Reset": str(int(math.ceil(reset))),
        }

    def take(self):
        """Spend one token if possible; return (allowed, rate-limit headers)."""
        with self._lock:
            self._refill()
            allowed = self._tokens >= 1.0
            if allowed:
                self._tokens -= 1.0
            return allowed, self._headers()

    def peek(self):
        """Rate-limit headers describing the bucket, without spending a token."""
        with self._lock:
            self._refill()
            return self._headers()
