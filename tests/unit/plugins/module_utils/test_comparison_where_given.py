"""differs_where_given: only what the wanted document gives is compared."""

from __future__ import annotations

from ansible_collections.healthcare.dr.plugins.module_utils.comparison import differs_where_given

CURRENT = {
    "Enabled": True,
    "Origins": {"Quantity": 1, "Items": [{"Id": "a", "ConnectionAttempts": 3, "OriginShield": {"Enabled": False}}]},
    "DefaultTTL": 0,
}


def test_defaults_filled_in_by_aws_do_not_count():
    assert not differs_where_given(CURRENT, {"Enabled": True, "Origins": {"Items": [{"Id": "a"}]}})


def test_a_different_value_counts():
    assert differs_where_given(CURRENT, {"Enabled": False})


def test_a_key_aws_does_not_have_counts():
    assert differs_where_given(CURRENT, {"Comment": "x"})


def test_lists_must_have_the_same_length_and_order():
    assert differs_where_given(CURRENT, {"Origins": {"Items": [{"Id": "a"}, {"Id": "b"}]}})
    assert differs_where_given({"Items": ["GET", "HEAD"]}, {"Items": ["HEAD", "GET"]})


def test_a_scalar_where_a_dict_is_wanted_counts():
    assert differs_where_given({"Origins": "none"}, {"Origins": {"Items": []}})
