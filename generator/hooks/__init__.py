"""MkDocs hooks named in mkdocs.yml: `serve` (regenerate before each rebuild under `handbook serve`;
the edition being built), `nav` (a record page's place in the navigation), `urls` (the theme's
`published_url` filter), `search` (the hosted build's Pagefind index, made on the second core
while MkDocs renders the pages), `copy` (the docs folder's static files, copied into the site on
the second core while MkDocs converts the pages) and `convert` (the last pages converted from
Markdown on the second core while MkDocs converts the others).
"""
