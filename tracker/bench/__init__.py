"""Data-scale benchmarks: generated data in a throw-away database, the API timed against SQL."""
