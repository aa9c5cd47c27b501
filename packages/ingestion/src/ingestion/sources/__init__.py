"""One `@dlt.source` per publisher, with one resource per raw table plus the inventory."""
