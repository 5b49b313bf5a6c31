"""Commands beyond build and check: `changed` (`check --changed` for a pull request), `diff` (what a
change does to the handbook), `editions` (dated editions), `linkcheck` (internal links and anchors of a built site) and
`scaffold` (`handbook new`).
"""
