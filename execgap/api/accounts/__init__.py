"""The account side of the API: personal tokens, organizations and their memberships.

`token_views` (/api/v1/auth/token/, /api/v1/tokens/) and `organization_views` (/api/v1/orgs/,
/api/v1/orgs/{org}/, /api/v1/orgs/{org}/memberships/); their routes are in `execgap.api.account_urls`.
"""
