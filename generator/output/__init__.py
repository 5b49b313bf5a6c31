"""What the build produces from the index: `pages` (Markdown pages, with Jinja), `exports` (data
and citation files), `finder` (the case finder's data), `selfdiagnosis` (the self-diagnosis rules),
`redirects` (pages at old addresses), `urls` (docs path -> published URL, used by all of them),
then `publish` (the docs folder and MkDocs, swapped in only when it succeeds), `mkdocs_child`
(MkDocs started ahead, importing its modules while the generator works), `search` (Pagefind over the
built site) and `offline` (the offline zip).
"""
