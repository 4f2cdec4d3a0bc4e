"""Editors' tools on validated editions: proof against the printed seed, new-edition scaffold."""
