import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.healthcare.dr.plugins.plugin_utils.cidr import cidr_is_valid, cidrs_overlapping, subnet_cidr


@pytest.mark.parametrize(
    "cidr, newbits, index, expected",
    [
        ("10.0.0.0/16", 8, 0, "10.0.0.0/24"),
        ("10.0.0.0/16", 8, 22, "10.0.22.0/24"),
        ("10.1.0.0/16", 4, 15, "10.1.240.0/20"),
    ],
)
def test_subnet_cidr_picks_the_indexed_subnet(cidr, newbits, index, expected):
    assert subnet_cidr(cidr, newbits, index) == expected


@pytest.mark.parametrize("newbits, index", [(8, 256), (8, -1), (17, 0)])
def test_subnet_cidr_rejects_what_does_not_fit(newbits, index):
    with pytest.raises(AnsibleFilterError):
        subnet_cidr("10.0.0.0/16", newbits, index)


@pytest.mark.parametrize("cidr", ["10.0.0.0/16", "192.168.1.0/24", "0.0.0.0/0"])
def test_cidr_is_valid_accepts_networks(cidr):
    assert cidr_is_valid(cidr)


@pytest.mark.parametrize("cidr", ["10.0.0.1/16", "10.0.0.0", "300.0.0.0/8", "10.0.0.0/33", "", None, 42, "fd00::/8"])
def test_cidr_is_valid_rejects_the_rest(cidr):
    assert not cidr_is_valid(cidr)


def test_cidrs_overlapping_lists_each_overlapping_pair():
    assert cidrs_overlapping(["10.0.0.0/16", "10.1.0.0/16", "10.0.128.0/17"]) == [["10.0.0.0/16", "10.0.128.0/17"]]


def test_cidrs_overlapping_is_empty_for_disjoint_blocks():
    assert cidrs_overlapping(["10.0.0.0/16", "10.1.0.0/16"]) == []


def test_subnet_cidrs_keeps_the_order_of_the_indexes():
    from ansible_collections.healthcare.dr.plugins.plugin_utils.cidr import subnet_cidrs

    assert subnet_cidrs("10.1.0.0/16", 8, range(10, 13)) == ["10.1.10.0/24", "10.1.11.0/24", "10.1.12.0/24"]


def test_plugins_expose_the_helpers_under_their_names():
    from ansible_collections.healthcare.dr.plugins.filter.cidr import FilterModule
    from ansible_collections.healthcare.dr.plugins.test.ipv4_cidr import TestModule

    assert set(FilterModule().filters()) == {"subnet_cidr", "subnet_cidrs", "cidrs_overlapping"}
    assert TestModule().tests()["ipv4_cidr"] is cidr_is_valid
