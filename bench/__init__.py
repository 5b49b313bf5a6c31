"""Build benchmark for the handbook generator: `python -m bench` (see bench/run.py)."""
