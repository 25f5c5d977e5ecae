"""Django's SQLite backend: placeholders converted once per statement, datetimes read faster."""
