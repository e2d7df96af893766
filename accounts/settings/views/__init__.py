"""The settings pages of an organization (`/o/<slug>/settings/...`)."""
