"""Settings of the tracker, one module per concern.

Every deployment runs this package; production differs only by environment variables
(see docs/operations.md), all read through `environment.env`. The embedded defaults need no
server: SQLite in the repository and Celery tasks run eagerly in the calling process.

- `base`: Django itself, the database, security, logging
- `api`: REST framework and the OpenAPI schema
- `tasks`: Celery and the ingest pipeline
- `attainment`: the evaluation rules
- `webhooks`: the deliveries of webhooks
"""

from tracker.settings.api import *  # noqa: F403
from tracker.settings.attainment import *  # noqa: F403
from tracker.settings.base import *  # noqa: F403
from tracker.settings.tasks import *  # noqa: F403
from tracker.settings.webhooks import *  # noqa: F403
