"""The stages that turn YAML files into one checked index, in the order they run:
`load` (files -> raw documents with the line of every key), `validate` (raw documents -> typed
records, with `embeds` refusing anything a browser would load from another host), `index` (every
reference resolved, back-links built) and `notes` (sources -> numbered notes); `read` runs load and
validate over every source file (the path with no cache). No stage writes a file.
"""
