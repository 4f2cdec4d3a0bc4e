"""Stage 1: YAML files → located problems or frozen models (loader, validate, models)."""
