"""Who may do what: the request policy (server token, custom servers), budgets and the audit log.

Plain Python (no Streamlit); imports ``a2e.api`` and ``a2e.core``.
"""
