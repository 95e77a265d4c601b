from django.apps import AppConfig


class ParindexConfig(AppConfig):
    name = "parindex"
    verbose_name = "parindex"

    def ready(self):
        """Wire the rooms that may not import each other (DESIGN.md: imports point one way).

        reporting feeds plan targets and `automatic` leaves; surveys feed `survey` leaves.
        """
        from assessments.automatic import DESCRIBERS, SOURCES
        from plans.links import ACTUAL_SOURCES
        from reporting.consolidation import latest_figure, unit_share, unit_share_report
        from surveys.leaves import leaf_index

        ACTUAL_SOURCES.append(latest_figure)
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
        SOURCES["survey"].append(leaf_index)
