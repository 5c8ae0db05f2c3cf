"""The Streamlit UI's pieces: the job in session state, cached stages, texts and the pages.

Nothing here computes a number: every figure comes from :mod:`configurator`.
"""
