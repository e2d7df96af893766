"""Alert evaluation: after each stored snapshot, the offending subjects of every enabled rule, set-based.

`offenders` asks the database once per rule kind for the subjects past the loosest line of that kind's
rules and keeps, per rule, those past its own line; `evaluate` compares them with the open alerts,
opens the new ones, resolves the cleared ones and publishes an event for each.
"""
