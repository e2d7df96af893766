"""Settings of what reaches people outside the app: alerts, notifications and email, webhooks.

Read by `execgap.settings` (which has loaded `.env` already); each app reads its own block.
"""

import environ

env = environ.Env()

# --- alerts -------------------------------------------------------------------------------------------

# --- notifications and email ----------------------------------------------------------------------

# --- webhooks -------------------------------------------------------------------------------------------
