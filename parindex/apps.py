from django.apps import AppConfig


class ParindexConfig(AppConfig):
    name = "parindex"
    verbose_name = "parindex"

    def ready(self):
        """Wire the rooms that may not import each other (DESIGN.md: imports point one way).

        reporting feeds plan targets and `automatic` leaves; surveys feed `survey` leaves.
        """
        from assessments.automatic import SOURCES
        from plans.links import ACTUAL_SOURCES
        from reporting.consolidation import latest_figure, unit_share
        from surveys.leaves import leaf_index

        ACTUAL_SOURCES.append(latest_figure)
        SOURCES["automatic"].append(
            lambda unit, cycle, node: unit_share(
                unit, cycle.year, node.rule_params.get("source", "")
            )
        )
        SOURCES["survey"].append(leaf_index)

        # Background tasks' run times for /metrics (web processes and `parindex worker` alike).
        from django_tasks.signals import task_finished

        from .metrics import task_finished as observe_task

        task_finished.connect(observe_task, dispatch_uid="parindex.metrics.task_finished")

        # Our own deployment checks (`check --deploy`) register on import.
        import parindex.checks  # noqa: F401
