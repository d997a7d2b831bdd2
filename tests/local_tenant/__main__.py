"""Serve a LocalTenant until SIGTERM/SIGINT: ``python -m local_tenant [--seed FILE] [--port N] ...``."""

import argparse
import os
import signal
import sys
import threading

from . import SEEDS_DIR, LocalTenant


def parse_args(argv=None):
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="python -m local_tenant", description="Serve a local stand-in for an Auth0 tenant's Management API.")
    parser.add_argument("--seed", default=os.path.join(SEEDS_DIR, "demo.yml"), help="seed file (.yml or .json); default: the bundled demo seed")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free port)")
    parser.add_argument("--http", action="store_true", help="serve plain HTTP instead of HTTPS")
    parser.add_argument("--rate-limit", action="store_true", help="apply Auth0's published rate limits")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds to sleep before each answer")
    parser.add_argument("--env-file", help="also write the connection settings to this file as KEY=value lines")
    return parser.parse_args(argv)


def main(argv=None):
    """Start the tenant, print its settings and serve until told to stop."""
    args = parse_args(argv)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    tenant = LocalTenant(seed=args.seed, tls=not args.http, rate_limit=args.rate_limit, latency=args.latency, port=args.port)
    with tenant:
        # The Private Key JWT application's key is multi-line PEM, so its path is given rather than its text.
        settings = [
            ("AUTH0_DOMAIN", tenant.domain),
            ("AUTH0_CA_PATH", tenant.ca_path or ""),
            ("AUTH0_API_TOKEN", tenant.mint_token()),
            ("AUTH0_CLIENT_ID", tenant.client_id),
            ("AUTH0_CLIENT_SECRET", tenant.client_secret),
            ("LOCAL_TENANT_PRIVATE_KEY_JWT_CLIENT_ID", tenant.private_key_client.client_id),
            ("LOCAL_TENANT_PRIVATE_KEY_JWT_KEY_FILE", tenant.private_key_client.private_key_path),
            ("AUTH0_AUDIENCE", tenant.audience),
        ]
        text = "".join("%s=%s\n" % item for item in settings)
        if args.env_file:
            with open(args.env_file, "w", encoding="utf-8") as handle:
                handle.write(text)
        sys.stdout.write(text)
        sys.stdout.flush()
        while not stop.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
