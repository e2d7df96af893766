"""Settings of what reaches people outside the app: alerts, notifications and email, webhooks.

Read by `execgap.settings` (which has loaded `.env` already); each app reads its own block.
"""

import environ

env = environ.Env()

# --- alerts -------------------------------------------------------------------------------------------

# --- notifications and email ----------------------------------------------------------------------

# Where people open ExecGap: the start of every link in an email (no trailing slash).
EXECGAP_BASE_URL = env.str("EXECGAP_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# At most one email per person per this many minutes per kind of notification.
EXECGAP_EMAIL_BATCH_MINUTES = env.int("EXECGAP_EMAIL_BATCH_MINUTES", default=15)

# --- webhooks -------------------------------------------------------------------------------------------
