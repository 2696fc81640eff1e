# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

"""IPv4 CIDR helpers on Python's ipaddress, so the collection needs no netaddr.

Shared by the C(cidr) filters and the C(ipv4_cidr) test.
"""

from __future__ import annotations

import ipaddress
from typing import Iterable

from ansible.errors import AnsibleFilterError


def _network(cidr: str) -> ipaddress.IPv4Network:
    try:
        return ipaddress.IPv4Network(cidr, strict=True)
    except (ipaddress.AddressValueError, ipaddress.NetmaskValueError, ValueError, TypeError) as e:
        raise AnsibleFilterError(f"{cidr!r} is not an IPv4 CIDR block: {e}") from e


def cidr_is_valid(cidr: object) -> bool:
    """True for an IPv4 network in CIDR notation with no host bits set."""
    if not isinstance(cidr, str) or "/" not in cidr:
        return False
    try:
        ipaddress.IPv4Network(cidr, strict=True)
    except ValueError:
        return False
    return True


def subnet_cidr(cidr: str, newbits: int, index: int) -> str:
    network = _network(cidr)
    prefix = network.prefixlen + int(newbits)
    if prefix > 32:
        raise AnsibleFilterError(f"{cidr} cannot be split {newbits} bits further")
    count = 2 ** int(newbits)
    if not 0 <= int(index) < count:
        raise AnsibleFilterError(f"{cidr} has {count} subnets of /{prefix}; index {index} is out of range")
    size = 2 ** (32 - prefix)
    return str(ipaddress.IPv4Network((int(network.network_address) + int(index) * size, prefix)))


def subnet_cidrs(cidr: str, newbits: int, indexes: Iterable[int]) -> list[str]:
    """The subnets of ``cidr`` at each of ``indexes``, in that order."""
    return [subnet_cidr(cidr, newbits, index) for index in indexes]


def cidrs_overlapping(cidrs: Iterable[str]) -> list[list[str]]:
    """Every pair of blocks in ``cidrs`` that share an address."""
    networks = [(cidr, _network(cidr)) for cidr in cidrs]
    return [
        [a, b]
        for i, (a, net_a) in enumerate(networks)
        for b, net_b in networks[i + 1:]
        if net_a.overlaps(net_b)
    ]
