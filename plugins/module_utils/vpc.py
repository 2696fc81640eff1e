# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

"""Helpers shared by the collection's VPC modules (vpc_peering_routes, vpc_route_tables).

Routes are read the way EC2 describes them: a destination (IPv4 or IPv6 CIDR,
or a prefix list, which these helpers do not name) and one target key among
``TARGET_KEYS``. Their tags are synchronised through ``module_utils.tagging``.
"""

from __future__ import annotations

import ipaddress
from typing import Any, Dict, Optional

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

# Keys of a route that name its target (anything but the destination).
TARGET_KEYS = (
    "VpcPeeringConnectionId",
    "GatewayId",
    "NatGatewayId",
    "TransitGatewayId",
    "NetworkInterfaceId",
    "InstanceId",
    "EgressOnlyInternetGatewayId",
    "CarrierGatewayId",
    "LocalGatewayId",
    "CoreNetworkArn",
    "VpcEndpointId",
)


@AWSRetry.jittered_backoff()
def paginate(client: Any, operation: str, **kwargs: Any) -> Dict[str, Any]:
    """All pages of ``operation``, retried as a whole on throttling and server errors."""
    return client.get_paginator(operation).paginate(**kwargs).build_full_result()


def route_destination(route: Dict[str, Any]) -> Optional[str]:
    """The route's destination CIDR in canonical text, or None (a prefix-list route)."""
    cidr = route.get("DestinationCidrBlock") or route.get("DestinationIpv6CidrBlock")
    return str(ipaddress.ip_network(cidr, strict=False)) if cidr else None


def route_target(route: Dict[str, Any]) -> str:
    """The ID the route sends its traffic to (``local`` for the VPC's own route)."""
    for key in TARGET_KEYS:
        if route.get(key):
            return route[key]
    return "an unknown target"


def destination_key(destination: str) -> str:
    """The EC2 request key for ``destination`` (a CIDR in canonical text)."""
    return "DestinationIpv6CidrBlock" if ":" in destination else "DestinationCidrBlock"
