"""Tasks turned into what people see: tables, triage, exports, support bundles, the live board.

Plain Python (no Streamlit); imports the layers below it (cache, api, core).
"""
