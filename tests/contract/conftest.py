"""Fixtures for the contract tests: a LocalTenant seeded from tests/local_tenant/seeds/small.yml."""

import ssl

import httpx
import pytest

from contract_support import SMALL_SEED, WRITE_SEED, Api
from local_tenant import LocalTenant


@pytest.fixture(scope="session")
def shared_tenant():
    """One HTTPS tenant for the whole session; tests that change limits use `fresh_tenant`."""
    with LocalTenant(seed=SMALL_SEED) as local_tenant:
        yield local_tenant


@pytest.fixture
def tenant(shared_tenant):  # pylint: disable=redefined-outer-name
    """The shared tenant with no pending faults, no latency and an empty request log."""
    shared_tenant.clear_faults()
    shared_tenant.set_latency(0)
    shared_tenant.reset_log()
    yield shared_tenant
    shared_tenant.clear_faults()
    shared_tenant.set_latency(0)


@pytest.fixture
def fresh_tenant():
    """A private plain-HTTP tenant (cheap to start) for tests that alter rate limits."""
    with LocalTenant(seed=SMALL_SEED, tls=False) as local_tenant:
        yield local_tenant


@pytest.fixture
def api(tenant):  # pylint: disable=redefined-outer-name
    """Api bound to the shared tenant."""
    return Api(tenant)


@pytest.fixture
def acme(tenant):  # pylint: disable=redefined-outer-name
    """The 2,500-member organization."""
    return tenant.organization("acme")


@pytest.fixture
def tiny(tenant):  # pylint: disable=redefined-outer-name
    """The 3-member organization with explicit roles."""
    return tenant.organization("tiny")


@pytest.fixture
def writable():
    """A private tenant seeded with WRITE_SEED, for tests that write: writes change it."""
    with LocalTenant(seed=WRITE_SEED) as local_tenant:
        yield local_tenant


@pytest.fixture
def http_client(tenant):  # pylint: disable=redefined-outer-name
    """An httpx client that trusts the tenant's throwaway CA (for the auth0-python SDK)."""
    with httpx.Client(verify=ssl.create_default_context(cafile=tenant.ca_path), timeout=10) as client:
        yield client
