"""The scenarios pages: draft what-if changes to the plan, evaluate them, compare and apply them."""
