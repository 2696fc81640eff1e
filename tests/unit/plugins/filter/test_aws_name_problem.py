import pytest

from ansible_collections.healthcare.dr.plugins.filter.aws_name_problem import RULES, FilterModule, aws_name_problem


@pytest.mark.parametrize(
    "kind, longest",
    [("elb", 32), ("lambda", 64), ("iam_role", 64), ("bucket", 63), ("rds", 63), ("sqs", 80), ("event_bus", 64)],
)
def test_the_longest_name_passes_and_one_more_character_fails(kind, longest):
    assert aws_name_problem("a" * longest, kind) == ""
    name = "a" * (longest + 1)
    assert aws_name_problem(name, kind) == (
        f"{RULES[kind][0]} {name} is {longest + 1} characters; AWS allows {RULES[kind][1]} to {longest}"
    )


@pytest.mark.parametrize(
    "name, kind",
    [
        ("-alb", "elb"), ("alb-", "elb"), ("alb_app", "elb"), ("Bucket", "bucket"), ("ab", "bucket"), ("a..b", "bucket"),
        ("192.168.0.1", "bucket"), ("xn--bucket", "bucket"), ("1cluster", "rds"), ("a--b", "rds"), ("cluster-", "rds"),
        ("fn.name", "lambda"), ("role name", "iam_role"), ("alias/aws/x", "kms_alias"), ("topic.fifo", "sns_topic"),
        ("alarm\n", "alarm"), ("secret name", "secret"),
    ],
)  # fmt: skip
def test_names_aws_refuses_say_why(name, kind):
    assert aws_name_problem(name, kind)


def test_the_stack_s_names_pass():
    assert aws_name_problem("alb-app-us-east-1-dev", "elb") == ""
    assert aws_name_problem("s3-data-us-west-2-dev-123456789012", "bucket") == ""
    assert aws_name_problem("aurora-cluster-us-east-1-dev", "rds") == ""
    assert aws_name_problem("/aws/lambda/lambda-app-us-east-1-dev", "log_group") == ""
    assert aws_name_problem("alias/kms-aurora-us-east-1-dev", "kms_alias") == ""


def test_an_unknown_kind_is_an_error():
    with pytest.raises(ValueError, match="unknown kind"):
        aws_name_problem("x", "vpc")


def test_is_registered_as_a_filter():
    assert FilterModule().filters()["aws_name_problem"] is aws_name_problem
