"""The one reader of the environment that every settings module uses."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env file is convenient for development; the environment always wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
