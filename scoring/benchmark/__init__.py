"""The benchmark behind `manage.py benchmark` (run by `bin/bench`; results in BENCHMARKS.md).

`shape` sizes an organization from its task count, `plan` and `rows` make its rows, `loader` writes
them in one transaction (`writers`: PostgreSQL COPY, or plain INSERTs for tiny sizes and SQLite;
`bulk`: the index rebuild and the set-based link check around a large load), `measure` times the
baseline query and the recompute and reads peak memory from fresh processes (`child`), `api_rate`
loads the scores API, `pages` times every page and API collection (`routes` finds them, `visitors`
signs in as their readers, `server` runs gunicorn as production does and reads its workers' memory,
`pages_report` judges them), `burst` drives a real Celery worker on the 10,000-task organization and
the largest (`burst_report` judges it), and `report` describes the machine and writes the tables.
"""
