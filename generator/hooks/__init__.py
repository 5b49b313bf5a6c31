"""MkDocs hooks named in mkdocs.yml: `serve` (regenerate before each rebuild under `handbook serve`;
the edition being built), `nav` (a record page's place in the navigation) and `urls` (the theme's
`published_url` filter).
"""
