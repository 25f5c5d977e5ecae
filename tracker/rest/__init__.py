"""What every app's API shares: authentication, roles, errors, pagination, parsing,
rendering, schema and fields."""
