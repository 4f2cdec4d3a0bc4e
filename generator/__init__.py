"""The Expat Centre guidebook generator: editions YAML → validated models → site and diffs.

Data flows one way, one subpackage a stage:
`edition` (loader → validate → models) → `changes` (align, diff, formats) and `editorial`
(check_source, scaffold) read validated models → `site` (render, export, MkDocs hooks, build);
`cli` sits on top. A stage imports only the stages before it.
"""
