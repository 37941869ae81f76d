"""The tenant fleet: servers, the tenant registry, tenant commands and fleet-wide runs."""

from .registry import TenantRecord, read_tenants
from .servers import DEFAULT_SERVER, FleetConfig, Server, load_config

__all__ = ["DEFAULT_SERVER", "FleetConfig", "Server", "TenantRecord", "load_config",
           "read_tenants"]
