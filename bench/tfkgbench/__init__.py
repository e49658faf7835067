"""The pieces of the tfkg benchmark harness; `bench/run.py` puts them together."""
