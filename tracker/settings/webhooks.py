"""Webhook deliveries (see docs/operations.md#webhooks)."""

from tracker.settings.environment import env

# Seconds a receiver has to answer one attempt.
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=5.0)
# Attempts before a delivery is given up (status failed); an admin can deliver it again.
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=6)
# Seconds before the first retry, doubled after each failed attempt (30, 60, 120, ...).
WEBHOOK_RETRY_BASE_SECONDS = env.float("WEBHOOK_RETRY_BASE_SECONDS", default=30.0)
# Pending deliveries older than this are queued again by beat (a broker outage, a lost task).
WEBHOOK_REDELIVER_AFTER_SECONDS = env.int("WEBHOOK_REDELIVER_AFTER_SECONDS", default=3600)
