"""A2E's webhooks: ``POST /hooks/a2e`` checked, its ids confirmed on the server's token, and the
confirmed answers pushed to every viewer (see ``route``, ``receipt``, ``schedule``, ``confirm``).

A layer of its own above ``views`` (it uses the fetch layer and Auto) and below ``ui`` (which
serves the route and draws what was pushed). No Streamlit here.
"""
