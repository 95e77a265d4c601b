from django.apps import AppConfig


class ParindexConfig(AppConfig):
    name = "parindex"
    verbose_name = "parindex"

    def ready(self):
        """Wire the rooms that may not import each other (DESIGN.md: imports point one way).

        reporting feeds plan targets and `automatic` leaves; surveys feed `survey` leaves; the public
        site tells the survey's thank-you page where a unit's results are published.
        """
        from assessments.automatic import SOURCES
        from plans.links import ACTUAL_SOURCES
        from public.reading import latest_unit_url
        from reporting.consolidation import latest_figure, unit_share
        from surveys.leaves import leaf_index
        from surveys.respondent_page import RESULTS_PAGES

        ACTUAL_SOURCES.append(latest_figure)
        SOURCES["automatic"].append(
            lambda unit, cycle, node: unit_share(
                unit, cycle.year, node.rule_params.get("source", "")
            )
        )
        SOURCES["survey"].append(leaf_index)
        RESULTS_PAGES.append(latest_unit_url)
