"""The Streamlit widgets the pages share: the only part of ``a2e`` that imports Streamlit."""
