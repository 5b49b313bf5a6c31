"""The charts: `plan` (which charts a build needs and their data, from the index), `figures` (Bokeh
figures from plain data), `preview` (static SVG first views) and `legends` (HTML keys beside them).
"""
