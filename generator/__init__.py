"""The Expat Centre guidebook generator: editions YAML → validated models → site and diffs.

Data flows one way: loader → validate (models) → check_source / render / diff → build.
"""
