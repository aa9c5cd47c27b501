"""The Parquet lake: writes that appear whole or not at all, the one rule for which rows are
visible, and the cleanup of what a killed run left behind (docs/lake.md)."""
