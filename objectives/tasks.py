"""Celery tasks of the plan. They live beside the code they run; importing them here registers them
with the worker, which loads `<app>.tasks` of every app."""

from objectives.imports.tasks import tasks_import_task

__all__ = ["tasks_import_task"]
