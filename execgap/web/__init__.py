"""What every page shares: the organization a page is about, forms over the services, navigation."""
