"""The fetch layer: the one cache of lookups, shared by every viewer, with single-flight requests.

``fetch.TaskCache`` keeps answers in a store (``store`` says what a store promises): this
process's memory (``memory``, bounded by bytes) or, for replicas, Redis (``redis_store``, behind
``failover``'s fallback to memory); ``stores.cache_from_settings`` picks one from settings.
Imports ``a2e.api`` and ``a2e.core``.
"""
