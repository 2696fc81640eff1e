import pytest

from ansible_collections.healthcare.dr.plugins.filter.resource_name import FilterModule, resource_name


def test_builds_service_purpose_region_suffix():
    assert resource_name("vpc", "main", "us-east-1", "dev") == "vpc-main-us-east-1-dev"


def test_global_resources_use_global_as_region():
    assert resource_name("aurora", "global", "global", "prod1") == "aurora-global-global-prod1"


def test_is_registered_as_a_filter():
    assert FilterModule().filters()["resource_name"] is resource_name


@pytest.mark.parametrize(
    "parts, bad",
    [
        (("VPC", "main", "us-east-1", "dev"), "service"),
        (("vpc", "", "us-east-1", "dev"), "purpose"),
        (("vpc", "main", "us_east_1", "dev"), "region"),
        (("vpc", "main", "us-east-1", "dev-"), "suffix"),
        (("vpc", "main", "us-east-1", None), "suffix"),
    ],
)
def test_rejects_a_bad_part_naming_it(parts, bad):
    with pytest.raises(ValueError, match=f"resource_name: {bad} "):
        resource_name(*parts)
