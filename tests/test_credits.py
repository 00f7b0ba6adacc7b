"""A2E's credits history, read in every plausible shape the emulator serves (issue 13)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from a2e.api.client import A2EClient
from a2e.api.credits import credit_entry
from a2e.api.errors import LookupFailed
from a2e.core.model import utc_now
from a2e.sandbox import DEMO_TOKEN
from a2e.views.credits import read_credits
from tests.listing_support import demo_account, reset


@pytest.fixture(scope="module")
def history():
    with demo_account() as emulator:
        yield emulator


@pytest.fixture
def account(history):
    yield reset(history)
    reset(history)


def test_an_account_without_a_credits_history_is_a_lookup_failure_never_zero(account):
    account.set_credits_shape("absent")
    end = utc_now()
    with A2EClient(account.base_url) as client, pytest.raises(LookupFailed):
        read_credits(client, DEMO_TOKEN, end - timedelta(days=1), end)


@pytest.mark.parametrize(
    ("row", "spent", "refund"),
    [
        ({"credits": 100, "is_consumption": True}, True, False),
        ({"coins": "50", "isConsumption": "0", "description": "Refund of task x"}, False, True),
        ({"amount": -30, "reason": "Image to video"}, True, False),
        ({"amount": 30, "reason": "refund: generation_timeout"}, False, True),
        ({"amount": 500, "type": "recharge"}, None, False),
        ({"value": 20, "type": "consume"}, True, False),
    ],
)
def test_an_entrys_direction_comes_from_its_flag_its_sign_or_its_words(row, spent, refund):
    entry = credit_entry(row)
    assert entry is not None
    assert (entry.spent, entry.refund) == (spent, refund)
    assert entry.coins >= 0


def test_an_entry_without_an_amount_is_skipped():
    assert credit_entry({"remark": "nothing"}) is None
