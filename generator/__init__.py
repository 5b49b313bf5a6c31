"""The handbook's generator: YAML records in, a checked, cross-linked MkDocs site out.

`pipeline` runs the stages in order; each package holds one part of the design:

- `stages/`: sources -> one checked index (load, validate, index, notes); nothing is written;
- `records/`: what a record is (models, the kinds table, JSON Schemas);
- `charts/`: chart planning and data, Bokeh figures, Bokeh's JSON, static previews, legends;
- `output/`: what is produced from the index (pages, exports, finder, URLs, redirects, publishing,
  search, the offline edition);
- `speed/`: the optional caches, behind one seam (`handbook build --no-cache` uses none of them);
- `commands/`: commands beyond build and check; `hooks/`: the MkDocs hooks in mkdocs.yml;
- `cli` (arguments and exit codes), `config` (settings) and `errors` (the error family).
"""
