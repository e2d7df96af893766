"""Task imports: a Jira CSV export or a JSON list of tasks, judged row by row, then committed in bulk.

`rows` reads the input, `options` checks the client's choices, `mapping` turns each row into the
task fields it sets, `lookups` reads what the rows are compared with, `planning` decides each row
(created, updated, unchanged or error), `services.tasks_import` is the one way in, `report` the
answer, `tasks` the background job for large files, `benchmark` the timing of a 10,000-row import.
"""
