"""The in-process store: bounded by measured bytes, least recently used out, memory given back."""

from __future__ import annotations

from a2e.cache.memory import DEFAULT_MAX_BYTES, MemoryStore, entry_size
from a2e.cache.stores import cache_from_settings
from a2e.core.model import Task, TaskOutcome
from a2e.sandbox import Emulator
from bench.memory import add_oversized_task, run_probe

MIB = 1024 * 1024
KEY_SCOPE = ("https://video.a2e.ai", "f" * 64, "image2video")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def task(number: int, *, raw_json: str = "{}", outcome=TaskOutcome.COMPLETED) -> Task:
    return Task(id=f"{number:024x}", kind="image2video", outcome=outcome, raw_json=raw_json)


def key(number: int) -> tuple[str, str, str, str]:
    return (*KEY_SCOPE, f"{number:024x}")


def test_an_entry_is_measured_with_all_its_strings_raw_json_included():
    small = entry_size(key(1), task(1))
    large = entry_size(key(1), task(1, raw_json="x" * 100_000))
    wide = entry_size(key(1), task(1, raw_json="😀" * 100_000))
    assert large - small > 99_000
    assert wide - small > 399_000


def test_the_store_never_holds_more_bytes_than_its_bound():
    store = MemoryStore(max_bytes=MIB)
    for number in range(200):
        store.put(key(number), task(number, raw_json="x" * 20_000))
        assert store.bytes_used <= MIB
    assert 0 < len(store) < 200


def test_the_least_recently_used_entries_are_evicted_first():
    one_entry = entry_size(key(0), task(0, raw_json="x" * 20_000))
    store = MemoryStore(max_bytes=one_entry * 3)
    for number in range(3):
        store.put(key(number), task(number, raw_json="x" * 20_000))
    store.get_many([key(0)])

    store.put(key(3), task(3, raw_json="x" * 20_000))

    assert set(store.get_many([key(n) for n in range(4)])) == {key(0), key(2), key(3)}


def test_an_answer_larger_than_the_whole_bound_is_not_kept():
    store = MemoryStore(max_bytes=MIB)
    store.put(key(1), task(1, raw_json="x" * (2 * MIB)))
    assert store.get_many([key(1)]) == {}
    assert store.bytes_used == 0


def test_running_answers_expire_after_minutes_and_final_ones_after_hours():
    clock = FakeClock()
    store = MemoryStore(final_ttl=6 * 3600, running_ttl=300, clock=clock)
    store.put(key(1), task(1))
    store.put(key(2), task(2, outcome=TaskOutcome.IN_PROGRESS))
    clock.now += 301
    assert set(store.get_many([key(1), key(2)])) == {key(1)}
    clock.now += 6 * 3600
    assert store.get_many([key(1)]) == {}


def test_a_final_answer_is_not_replaced_by_a_running_one():
    store = MemoryStore()
    store.put(key(1), task(1))
    store.put(key(1), task(1, outcome=TaskOutcome.IN_PROGRESS))
    assert store.get_many([key(1)])[key(1)].task.outcome is TaskOutcome.COMPLETED


def test_the_bound_is_a_setting_with_a_default_of_256_mib():
    assert DEFAULT_MAX_BYTES == 256 * MIB
    assert cache_from_settings({}).store.max_bytes == DEFAULT_MAX_BYTES  # type: ignore[attr-defined]
    configured = cache_from_settings({"A2E_CACHE_MAX_BYTES": str(16 * MIB)})
    assert configured.store.max_bytes == 16 * MIB  # type: ignore[attr-defined]


def test_hundreds_of_oversized_answers_grow_the_process_by_no_more_than_the_bound():
    bound, slack = 8 * MIB, 32 * MIB  # slack: the interpreter's and the allocator's own
    with Emulator() as emulator:
        ids = [add_oversized_task(emulator) for _ in range(200)]
        figures = run_probe(emulator.base_url, ids, bound)
    assert figures["answered"] == 200
    assert figures["cache_bytes"] <= bound
    assert figures["rss_after"] - figures["rss_before"] < bound + slack, figures
