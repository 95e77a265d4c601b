"""Indices at every level: a cycle has an organiser (none: the city) and a family, and is addressed by a
key. Every existing cycle becomes the city's combined index of its year, keyed by the bare year, so the
addresses people already use keep working."""

import django.db.models.deletion
from django.db import migrations, models


def keys_for_existing_cycles(apps, schema_editor):
    Cycle = apps.get_model("cycles", "Cycle")
    for cycle in Cycle.objects.all():
        cycle.key = str(cycle.year)
        cycle.family = "city"
        cycle.organiser = None
        cycle.save(update_fields=["key", "family", "organiser"])


class Migration(migrations.Migration):
    dependencies = [
        ("cycles", "0003_transition_job"),
        ("units", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="cycle",
            name="year",
            field=models.PositiveSmallIntegerField(verbose_name="năm"),
        ),
        migrations.AddField(
            model_name="cycle",
            name="organiser",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="organised_cycles",
                to="units.unit",
                verbose_name="đơn vị tổ chức",
            ),
        ),
        migrations.AddField(
            model_name="cycle",
            name="family",
            field=models.CharField(
                choices=[
                    ("city", "Sở, ban, ngành và UBND xã, phường"),
                    ("departments", "Sở, ban, ngành"),
                    ("public_service", "Đơn vị sự nghiệp công lập thuộc UBND Thành phố"),
                    ("central_agencies", "Cơ quan ngành dọc Trung ương đóng trên địa bàn"),
                    ("communes", "UBND xã, phường (Chỉ số CCHC cơ sở)"),
                    ("internal", "Phòng, ban và đơn vị trực thuộc"),
                    ("provincial", "Tự đánh giá Chỉ số CCHC cấp tỉnh"),
                ],
                default="city",
                max_length=20,
                verbose_name="loại chỉ số",
            ),
        ),
        migrations.AddField(
            model_name="cycle",
            name="key",
            # No index yet: the AlterField below makes it unique, which on PostgreSQL creates the
            # "_like" index a db_index SlugField would already have made under the same name.
            field=models.SlugField(
                db_index=False, default="", editable=False, max_length=80, verbose_name="mã kỳ"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(keys_for_existing_cycles, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="cycle",
            name="key",
            field=models.SlugField(editable=False, max_length=80, unique=True, verbose_name="mã kỳ"),
        ),
        migrations.AlterModelOptions(
            name="cycle",
            options={
                "ordering": ["-year", "organiser_id", "family"],
                "verbose_name": "kỳ đánh giá",
                "verbose_name_plural": "kỳ đánh giá",
            },
        ),
        migrations.AddConstraint(
            model_name="cycle",
            constraint=models.UniqueConstraint(
                condition=models.Q(organiser__isnull=True),
                fields=("family", "year"),
                name="one_city_cycle_per_family_and_year",
            ),
        ),
        migrations.AddConstraint(
            model_name="cycle",
            constraint=models.UniqueConstraint(
                condition=models.Q(organiser__isnull=False),
                fields=("organiser", "family", "year"),
                name="one_cycle_per_organiser_family_and_year",
            ),
        ),
    ]
