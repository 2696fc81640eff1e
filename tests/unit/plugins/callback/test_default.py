from pathlib import Path
from types import SimpleNamespace

import pytest

from ansible_collections.healthcare.dr.plugins.callback.default import ACKNOWLEDGED, CallbackModule, acknowledged

LAMBDA_INFO = "The returned key 'function', which returned a dictionary of dictionaries, is deprecated and will be"


class Display:
    def __init__(self, verbosity=0):
        self.verbosity = verbosity
        self.shown = []

    def _warning(self, warning):
        self.shown.append(("warning", warning.event.msg))

    def _deprecated(self, deprecation):
        self.shown.append(("deprecation", deprecation.event.msg))


def _notice(msg):
    return SimpleNamespace(event=SimpleNamespace(msg=msg))


def _callback(action, warnings=(), deprecations=(), verbosity=0):
    callback = CallbackModule()
    callback._display = Display(verbosity)
    callback._current_task_result = SimpleNamespace(
        task=SimpleNamespace(resolved_action=action, action=action.rsplit(".", 1)[-1]),
        warnings=[_notice(m) for m in warnings],
        deprecations=[_notice(m) for m in deprecations],
    )
    return callback


def test_an_acknowledged_notice_of_its_module_is_not_shown():
    callback = _callback("amazon.aws.lambda_info", deprecations=[LAMBDA_INFO + " replaced by 'functions'"])
    callback._handle_warnings({"deprecations": ["x"]})
    assert callback._display.shown == []


def test_the_same_message_from_another_module_is_shown():
    callback = _callback("amazon.aws.lambda_execute", deprecations=[LAMBDA_INFO])
    callback._handle_warnings({"deprecations": ["x"]})
    assert callback._display.shown == [("deprecation", LAMBDA_INFO)]


def test_any_other_warning_of_an_acknowledged_module_is_shown():
    msg = "Module did not set no_log for master_user_password"
    callback = _callback("amazon.aws.rds_cluster", warnings=[msg, "Module did not set no_log for force_update_password"])
    callback._handle_warnings({"warnings": ["x"]})
    assert callback._display.shown == [("warning", msg)]


def test_at_verbosity_one_everything_is_shown():
    callback = _callback("amazon.aws.lambda_info", deprecations=[LAMBDA_INFO], verbosity=1)
    callback._handle_warnings({"deprecations": ["x"]})
    assert callback._display.shown == [("deprecation", LAMBDA_INFO)]


@pytest.mark.parametrize("notice", ACKNOWLEDGED, ids=lambda n: n.actions[0])
def test_each_notice_says_why_and_matches_only_its_modules(notice):
    assert notice.why
    for action in notice.actions:
        assert acknowledged(action, notice.starts + " ...")
        assert not acknowledged("healthcare.dr." + action.rsplit(".", 1)[-1], notice.starts)


def test_is_the_stdout_callback_of_the_project():
    config = (Path(__file__).resolve().parents[4] / "ansible.cfg").read_text()
    assert "stdout_callback = healthcare.dr.default" in config
