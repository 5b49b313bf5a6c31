"""The speed machinery, kept apart from the stages: `store` (the one verified on-disk store), `sources`
(validated records of unchanged files), `pages` (pages whose inputs did not change) and `charts`
(charts whose inputs did not change). The stages take and return plain data and give the same result
without any of it.
"""
