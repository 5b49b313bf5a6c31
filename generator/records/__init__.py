"""What a record is: `models` (one strict pydantic model per kind), `kinds` (the one table that maps
each kind to its folder, model, page and URL) and `schemas` (JSON Schemas for editors, made from the
models).
"""
