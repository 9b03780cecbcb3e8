"""Commerce-loop analytics: a Parquet event store and Ibis jobs that run on DuckDB or PySpark."""
