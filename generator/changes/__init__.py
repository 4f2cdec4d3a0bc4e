"""Stage 2: two validated editions → typed change records and their text/Markdown/JSON/CSV forms."""
