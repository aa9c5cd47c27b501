"""Arrow readers, one module per publisher format. Each yields tables of at least `BATCH_ROWS`
rows (where the file has them) carrying the provenance columns of docs/lake.md."""
