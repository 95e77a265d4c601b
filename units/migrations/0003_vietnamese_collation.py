"""The ICU collation `vi_icu` that core.collation.by_name orders by, on PostgreSQL only (docs/ui.md).

SQLite has no ICU: each SQLite connection registers a Python collation of the same name instead
(parindex/apps.py), so the same order_by() works on both.
"""

from django.db import migrations, models
from django.db.models.functions import Collate

CREATE = "CREATE COLLATION IF NOT EXISTS vi_icu (provider = icu, locale = 'vi-VN')"
DROP = "DROP COLLATION IF EXISTS vi_icu"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("units", "0002_unit_office_division_source")]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
        migrations.AlterModelOptions(
            name="unit",
            options={
                "ordering": ["kind", Collate(models.F("name"), "vi_icu"), "code"],
                "verbose_name": "đơn vị",
                "verbose_name_plural": "đơn vị",
            },
        ),
    ]
