"""The charts: `plan` (which charts a build needs and their data, plain dicts from the index),
`figures` (Bokeh figures from plain data, found through its `FIGURES` registry), `bokeh_json` (the
one module that knows Bokeh's JSON: drawing, filling prototypes by hand, the Bokeh version), `draw`
(the plan drawn into chart files and page snippets), `shipped` (the prototypes of every chart shape,
shipped so that a build need not import Bokeh), `preview` (static first views), `legends`
(HTML keys beside them) and `selection` (per-case data for redrawing the cross-case views on the
finder's filters). The chart cache is in generator/speed/charts.py.
"""
