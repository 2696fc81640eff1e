import pytest

from ansible_collections.healthcare.dr.plugins.filter.aws_name_problem import RULES, FilterModule, aws_name_problem


def _name(kind: str, length: int) -> str:
    """A name of ``length`` characters AWS accepts for ``kind`` but for its length."""
    prefix = "alias/" if kind == "kms_alias" else ""
    return prefix + "a" * (length - len(prefix))


@pytest.mark.parametrize("kind", sorted(RULES))
def test_the_longest_name_passes_and_one_more_character_fails(kind):
    what, shortest, longest = RULES[kind][:3]
    assert aws_name_problem(_name(kind, longest), kind) == ""
    name = _name(kind, longest + 1)
    assert aws_name_problem(name, kind) == f"{what} {name} is {longest + 1} characters; AWS allows {shortest} to {longest}"


def test_every_rule_s_limits_are_the_documented_ones():
    longest = {kind: rule[2] for kind, rule in RULES.items()}
    assert longest == {"elb": 32, "lambda": 64, "iam_role": 64, "bucket": 63, "secret": 512, "alarm": 255, "rds": 63,
                       "sqs": 80, "event_bus": 64, "log_group": 512, "kms_alias": 256, "sns_topic": 256}  # fmt: skip


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
