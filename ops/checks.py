"""Deployment checks of our own (`parindex check --deploy`): secrets left at an example's value."""

from django.conf import settings
from django.core import checks

SECRETS = ("SECRET_KEY", "TWO_FACTOR_KEY", "SURVEY_HASH_KEY", "METRICS_TOKEN")
"""Settings that must be secret: a value anyone can read in deploy/parindex.env.example is not."""


@checks.register(checks.Tags.security, deploy=True)
def secrets_are_not_placeholders(app_configs, **kwargs):
    return [
        checks.Error(
            f"{name} still holds the example's placeholder ({value[:12]}…).",
            hint="Set it to a long random value, e.g. `openssl rand -hex 32` (docs/deploy.md).",
            id="parindex.E001",
        )
        for name in SECRETS
        if (value := str(getattr(settings, name, "") or "")).lower().startswith("change-me")
    ]
