"""Talking to A2E: the httpx client, its retries and caps, and reading A2E's envelope and records.

Imports only ``a2e.core``.
"""
