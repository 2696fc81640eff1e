"""create_once: after a lost answer, look before creating again."""

from __future__ import annotations

import botocore.exceptions
import pytest

from ansible_collections.healthcare.dr.plugins.module_utils.calls import create_once

LOST = botocore.exceptions.ConnectionClosedError(endpoint_url="http://127.0.0.1:1")


def test_a_lost_answer_returns_what_the_lookup_finds_without_creating_again():
    calls = []

    def create():
        calls.append("create")
        raise LOST

    assert create_once(create, lambda: {"Id": "pcx-1"}) == {"Id": "pcx-1"}
    assert calls == ["create"]


def test_a_request_that_made_nothing_is_sent_again():
    answers = iter([LOST, {"Id": "pcx-2"}])

    def create():
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert create_once(create, lambda: None) == {"Id": "pcx-2"}


def test_every_attempt_lost_raises_the_last_error():
    def create():
        raise LOST

    with pytest.raises(botocore.exceptions.ConnectionClosedError):
        create_once(create, lambda: None, attempts=2)
