"""MkDocs hooks named in mkdocs.yml: `serve` (regenerate before each rebuild under `handbook serve`;
the edition being built) and `nav` (a record page's place in the navigation).
"""
