"""Dagster code location for newsrec-lakehouse."""
