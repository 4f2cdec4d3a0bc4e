"""Stage 3: validated editions + changes → Markdown tree, exports, and the MkDocs build."""
