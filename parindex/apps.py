from django.apps import AppConfig


class ParindexConfig(AppConfig):
    name = "parindex"
    verbose_name = "parindex"

    def ready(self):
        """Wire the rooms that may not import each other (DESIGN.md: imports point one way).

        reporting feeds plan targets and `automatic` leaves; a lower level's published index feeds
        `automatic` leaves too (results/rollup.py); surveys feed `survey` leaves.
        """
        from assessments.automatic import SOURCES
        from plans.links import ACTUAL_SOURCES
        from reporting.consolidation import latest_figure, unit_share
        from results.rollup import internal_measure
        from surveys.leaves import leaf_index

        ACTUAL_SOURCES.append(latest_figure)
        SOURCES["automatic"].append(
            lambda unit, cycle, node: unit_share(
                unit, cycle.year, node.rule_params.get("source", "")
            )
        )
        SOURCES["automatic"].append(internal_measure)
        SOURCES["survey"].append(leaf_index)
