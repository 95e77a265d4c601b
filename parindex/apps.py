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

        # Vietnamese order of names (core/collation.py): SQLite learns the collation on each connection.
        from django.db import connections
        from django.db.backends.signals import connection_created

        from core.collation import register

        connection_created.connect(_collation, dispatch_uid="parindex-vi-collation")
        for connection in connections.all(initialized_only=True):
            if connection.connection is not None:
                register(connection)


def _collation(sender, connection, **kwargs):
    from core.collation import register

    register(connection)
