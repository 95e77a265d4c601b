"""Operations: backup and restore, health, metrics, logging, middleware, cache, the replica router, the
deployment checks and the serve/worker/backup/restore/reminder commands. The top layer: no app imports it."""

from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = "operations"

    def ready(self):
        # Background tasks' run times for /metrics (web processes and `parindex worker` alike).
        from django_tasks.signals import task_finished

        from .metrics import task_finished as observe_task

        task_finished.connect(observe_task, dispatch_uid="ops.metrics.task_finished")

        # Our own deployment checks (`check --deploy`) register on import.
        import ops.checks  # noqa: F401
