"""Pages of this app, one package per area (views, forms, urls)."""
