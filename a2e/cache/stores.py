"""Choosing the task cache's store from settings: this process's memory, or Redis for replicas.

    A2E_CACHE_MAX_BYTES   bytes the in-process store may hold (default 256 MiB)
    A2E_CACHE_URL         redis://[:password@]host:port/db or rediss://…: share one cache
    A2E_CACHE_SECRET      required with A2E_CACHE_URL: the key of the token hash in cache keys,
                          the same on every replica (a long random string; never logged)

Without ``A2E_CACHE_URL`` the cache is exactly the in-process one and the ``redis`` package is
not imported. With it, the cache uses Redis while it answers and this process's memory while
it does not (``FailoverStore``), push notices reach the other replicas through its pub/sub
(``notices_from_settings``), and the per-viewer budgets are counted in the same Redis
(``shared_budget_storage``), so a viewer has one budget whichever replica serves them. A
setting that cannot be used raises ``CacheSettingsError`` with a message fit for the server
log, which never repeats the URL or the secret.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from a2e.api.metrics import REDIS_AVAILABLE, REDIS_CONFIGURED
from a2e.cache.fetch import TaskCache
from a2e.cache.memory import DEFAULT_MAX_BYTES, MemoryStore
from a2e.cache.notices import Notices

if TYPE_CHECKING:
    from limits.storage import Storage

MAX_BYTES_SETTING = "A2E_CACHE_MAX_BYTES"
BUDGET_KEY_PREFIX = "a2e:v1:budget"
URL_SETTING = "A2E_CACHE_URL"
SECRET_SETTING = "A2E_CACHE_SECRET"
MIN_SECRET_CHARACTERS = 16
MIN_MAX_BYTES = 1024 * 1024
REDIS_SCHEMES = ("redis", "rediss")


class CacheSettingsError(ValueError):
    """A cache setting is missing or unusable; the message names the setting, not its value."""


def cache_from_settings(env: Mapping[str, str]) -> TaskCache:
    """The task cache these settings describe (see the module docstring)."""
    max_bytes = max_bytes_setting(env)
    url = (env.get(URL_SETTING) or "").strip()
    if not url:
        REDIS_CONFIGURED.set(0)
        REDIS_AVAILABLE.set(0)
        return TaskCache(max_bytes=max_bytes)
    secret = _secret(env)
    _check_url(url)
    from a2e.cache.failover import FailoverStore  # only with Redis: keeps `redis` unimported
    from a2e.cache.redis_store import RedisStore, redis_client

    store = FailoverStore(RedisStore(redis_client(url)), MemoryStore(max_bytes=max_bytes))
    return TaskCache(store=store, fingerprint_key=hashlib.sha256(secret.encode()).digest())


def notices_from_settings(env: Mapping[str, str]) -> Notices:
    """This process's push notices; with ``A2E_CACHE_URL``, relayed to the other replicas."""
    notices = Notices()
    url = (env.get(URL_SETTING) or "").strip()
    if url:
        _check_url(url)
        from a2e.cache.redis_notices import RedisRelay
        from a2e.cache.redis_store import redis_client

        notices.attach(RedisRelay(redis_client(url), notices).start())
    return notices


def shared_budget_storage(env: Mapping[str, str]) -> tuple[Storage | None, bytes]:
    """The ``limits`` storage (in the cache's Redis) and key for budgets, or ``(None, b"")``.

    The key hashes viewers' names in Redis; it is derived from ``A2E_CACHE_SECRET`` but is not
    the cache's own key. Nothing here connects: a Redis that is down shows on the first spend.
    """
    url = (env.get(URL_SETTING) or "").strip()
    if not url:
        return None, b""
    secret = _secret(env)
    _check_url(url)
    from limits.storage import RedisStorage

    from a2e.cache.redis_store import redis_client

    pool = redis_client(url).connection_pool
    storage = RedisStorage(
        url, connection_pool=pool, key_prefix=BUDGET_KEY_PREFIX, wrap_exceptions=True
    )
    return storage, hashlib.sha256(b"budgets:" + secret.encode()).digest()


def check_settings(env: Mapping[str, str]) -> None:
    """Raise ``CacheSettingsError`` now (at start) for settings the cache could not use."""
    max_bytes_setting(env)
    if (env.get(URL_SETTING) or "").strip():
        _secret(env)
        _check_url(env[URL_SETTING].strip())


def max_bytes_setting(env: Mapping[str, str]) -> int:
    """``A2E_CACHE_MAX_BYTES`` as a whole number of bytes (default 256 MiB)."""
    text = (env.get(MAX_BYTES_SETTING) or "").strip().replace("_", "")
    if not text:
        return DEFAULT_MAX_BYTES
    if not text.isdigit() or int(text) < MIN_MAX_BYTES:
        raise CacheSettingsError(
            f"{MAX_BYTES_SETTING} must be a whole number of bytes, at least {MIN_MAX_BYTES} "
            f"(1 MiB); e.g. {DEFAULT_MAX_BYTES} for 256 MiB"
        )
    return int(text)


def _secret(env: Mapping[str, str]) -> str:
    secret = (env.get(SECRET_SETTING) or "").strip()
    if len(secret) < MIN_SECRET_CHARACTERS:
        raise CacheSettingsError(
            f"{SECRET_SETTING} is required with {URL_SETTING}: the same random string of at "
            f"least {MIN_SECRET_CHARACTERS} characters on every replica (e.g. the output of "
            "`openssl rand -hex 32`)"
        )
    return secret


def _check_url(url: str) -> None:
    try:
        parts = urlsplit(url)
        usable = parts.scheme in REDIS_SCHEMES and bool(parts.hostname)
    except ValueError:
        usable = False
    if not usable:
        raise CacheSettingsError(
            f"{URL_SETTING} must be redis://[:password@]host[:port][/db] or rediss://… "
            "(the value is not repeated here: it may hold a password)"
        )
