"""The yardstick of bench.page_load: a minimal Streamlit page (a title and a 3-row table)."""

import streamlit as st

st.title("Minimal page")
st.dataframe({"a": [1, 2, 3], "b": ["x", "y", "z"]})
