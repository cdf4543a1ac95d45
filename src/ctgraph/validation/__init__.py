"""Validation: SHACL shapes (fast path and pySHACL) and the data-quality view."""
