"""Settings of what reaches people outside the app: alerts, notifications and email, webhooks.

Read by `execgap.settings` (which has loaded `.env` already); each app reads its own block.
"""

import environ

env = environ.Env()

# --- alerts -------------------------------------------------------------------------------------------

# --- notifications and email ----------------------------------------------------------------------

# Where people open ExecGap: the start of every link in an email and a Slack-compatible webhook
# message (no trailing slash).
EXECGAP_BASE_URL = env.str("EXECGAP_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# At most one email per person per this many minutes per kind of notification.
EXECGAP_EMAIL_BATCH_MINUTES = env.int("EXECGAP_EMAIL_BATCH_MINUTES", default=15)

# --- webhooks -------------------------------------------------------------------------------------------
# Consecutive failed deliveries after which an endpoint is disabled (its admins are told by email).
EXECGAP_WEBHOOK_FAILURES_TO_DISABLE = env.int("EXECGAP_WEBHOOK_FAILURES_TO_DISABLE", default=10)
# Send webhooks to loopback, private and link-local addresses too (development and tests only).
EXECGAP_WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env.bool("EXECGAP_WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=False)
# Seconds to wait for a receiver's connection, then for its answer.
EXECGAP_WEBHOOK_CONNECT_TIMEOUT_SECONDS = env.float("EXECGAP_WEBHOOK_CONNECT_TIMEOUT_SECONDS", default=5.0)
EXECGAP_WEBHOOK_READ_TIMEOUT_SECONDS = env.float("EXECGAP_WEBHOOK_READ_TIMEOUT_SECONDS", default=10.0)
