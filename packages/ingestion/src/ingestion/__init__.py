"""Land EB-NeRD, Adressa and MIND raw files in a Parquet lake with dlt."""
