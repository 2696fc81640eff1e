import hashlib

from ansible_collections.healthcare.dr.plugins.filter.elb_name import FilterModule, elb_name


def test_a_name_that_fits_is_unchanged():
    assert elb_name("alb-app-us-east-1-dev") == "alb-app-us-east-1-dev"
    assert elb_name("x" * 32) == "x" * 32


def test_a_long_name_is_cut_with_a_stable_hash():
    name = "alb-app-ap-southeast-2-abcdefghijkl"
    cut = elb_name(name)

    assert len(cut) <= 32
    assert cut == "alb-app-ap-southeast-2-" + hashlib.sha1(name.encode()).hexdigest()[:8]
    assert elb_name(name) == cut


def test_trailing_hyphens_of_the_cut_are_dropped():
    name = "tg-app-" + "a" * 15 + "--" + "b" * 20  # the first 23 characters end in a hyphen
    assert elb_name(name) == "tg-app-" + "a" * 15 + "-" + hashlib.sha1(name.encode()).hexdigest()[:8]


def test_is_registered_as_a_filter():
    assert FilterModule().filters()["elb_name"] is elb_name
