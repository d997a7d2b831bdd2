#!/usr/bin/env bash
# `make demo`: start the bundled local Auth0 tenant, run the example playbook against it the way a
# machine-to-machine job runs against a real tenant (client credentials from AUTH0_* variables),
# then stop the tenant. Usage: scripts/demo.sh VENV_BIN_DIR
set -euo pipefail
bin=$1
state=$(mktemp -d)
tenant_pid=
cleanup() {
  if [ -n "$tenant_pid" ]; then kill "$tenant_pid" 2>/dev/null || true; wait "$tenant_pid" 2>/dev/null || true; fi
  rm -rf "$state"
}
trap cleanup EXIT

echo "== Starting the local Auth0 tenant (tests/local_tenant/seeds/demo.yml: 3,000 + 12 members)"
"$bin/python" -m local_tenant --seed tests/local_tenant/seeds/demo.yml --env-file "$state/tenant.env" >/dev/null &
tenant_pid=$!
for _ in $(seq 200); do
  grep -q '^AUTH0_AUDIENCE=' "$state/tenant.env" 2>/dev/null && break
  kill -0 "$tenant_pid" 2>/dev/null || { echo "the local tenant did not start" >&2; exit 1; }
  sleep 0.1
done
set -a
# shellcheck disable=SC1091
. "$state/tenant.env"
set +a
# The static token the tenant prints is for ad-hoc use; the demo authenticates like a real job.
unset AUTH0_API_TOKEN
echo "== Tenant at https://$AUTH0_DOMAIN (CA: $AUTH0_CA_PATH), client $AUTH0_CLIENT_ID"
echo "== Running examples/org_members_report.yml for organization travel0"
AUTH0_ORG_NAME=travel0 "$bin/ansible-playbook" -i localhost, -c local examples/org_members_report.yml
echo "== Done; stopping the tenant"
