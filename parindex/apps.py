from django.apps import AppConfig


class ParindexConfig(AppConfig):
    name = "parindex"
    verbose_name = "parindex"

    def ready(self):
        """Wire the rooms that may not import each other (DESIGN.md: imports point one way).

        reporting feeds plan targets (city-wide and per unit) and `automatic` leaves; the plan's tasks feed
        the plan-implementation leaf; a lower level's published index feeds
        `automatic` leaves too (results/rollup.py); surveys feed `survey` leaves; the public site tells
        the survey's thank-you page where a unit's results are published; the audit trail's words
        name the states of cycles, assessments and reports.
        """
        from assessments.automatic import DESCRIBERS, SOURCES
        from plans import implementation
        from plans.links import ACTUAL_SOURCES, UNIT_ACTUAL_SOURCES
        from public.reading import latest_unit_url
        from reporting.consolidation import (
            latest_figure,
            unit_figure,
            unit_share,
            unit_share_report,
        )
        from results.rollup import internal_measure
        from surveys.leaves import leaf_index
        from surveys.respondent_page import RESULTS_PAGES

        ACTUAL_SOURCES.append(latest_figure)
        UNIT_ACTUAL_SOURCES.append(unit_figure)
        # A unit's plan tasks done on time feed the plan-implementation leaf ("plan_tasks_done").
        SOURCES["automatic"].append(implementation.source)
        DESCRIBERS["automatic"].append(implementation.describer)
        SOURCES["automatic"].append(
            lambda unit, cycle, node: unit_share(
                unit, cycle.year, node.rule_params.get("source", "")
            )
        )
        DESCRIBERS["automatic"].append(
            lambda unit, cycle, node: unit_share_report(
                unit, cycle.year, node.rule_params.get("source", "")
            )
        )
        SOURCES["automatic"].append(internal_measure)
        SOURCES["survey"].append(leaf_index)
        RESULTS_PAGES.append(latest_unit_url)

        # The audit trail names states in words (accounts/audit_words.py); the states live above it.
        from accounts.audit_words import STATE_LABELS
        from assessments.models import AssessmentState
        from cycles.models import CycleState
        from reporting.models import ReportState

        STATE_LABELS.update(
            {
                "cycles.cycle": dict(CycleState.choices),
                "assessments.assessment": dict(AssessmentState.choices),
                "reporting.unitreport": dict(ReportState.choices),
            }
        )

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
