"""The outage tracker shared by the Redis cache and the Redis budgets, on a fake clock."""

from a2e.core.outage import Outage


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_an_outage_starts_once_retries_on_schedule_and_ends_once():
    clock = Clock()
    outage = Outage(retry_seconds=5, clock=clock)
    assert outage.due()
    assert not outage.down

    assert outage.failed() is True
    assert outage.failed() is False, "a second failure is the same outage"
    assert outage.down
    assert not outage.due()

    clock.now += 5
    assert outage.due(), "the retry is due"
    assert not outage.due(), "only one caller pays for the retry"

    assert outage.succeeded() is True
    assert outage.succeeded() is False
    assert not outage.down
    assert outage.due()
