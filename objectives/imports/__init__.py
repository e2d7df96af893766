"""Task imports: a Jira CSV export (as Jira writes it), a GitHub Issues export or a JSON list of tasks,
judged row by row, then committed in bulk.

`rows` reads the input, `options` checks the client's choices (statuses of Jira's default workflows
mapped by default), `mapping` (Jira), `github` and `tasks_json` turn each row into the task fields
it sets (`inputs` holds what they share), `lookups` reads what the rows are compared with, `links`
finds each row's goal (the hierarchy by id first, titles as a fallback), `planning` decides each
row (created, updated, unchanged, goal or error), `memory` keeps a team's mapping for its next
import, `services.tasks_import` is the one way in, `report` the answer, `tasks` the background job
for large files, `benchmark` the timing of a 10,000-row import.
"""
