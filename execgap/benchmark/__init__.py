"""The benchmark behind `manage.py benchmark` (see BENCHMARKS.md and `bin/bench`).

`shape` sizes an organization from its task count, `rows` makes its rows, `loader` writes them
(PostgreSQL COPY, or plain INSERTs for tiny sizes and SQLite), `measure` times the baseline query
and the recompute in this process and in fresh child processes (`child`), `burst` drives a real
Celery worker, and `report` describes the machine and writes the table.
"""
