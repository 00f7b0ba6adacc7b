"""The fetch layer: the one cache of lookups, shared by every viewer, with single-flight requests.

Imports ``a2e.api`` and ``a2e.core``.
"""
