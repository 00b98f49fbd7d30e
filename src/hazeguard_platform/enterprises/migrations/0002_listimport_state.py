"""A list import is queued for the worker: ``outcome`` becomes ``state`` (queued, running,
imported, refused; earlier rows keep their value) and the upload is kept until it is read."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="listimport", old_name="outcome", new_name="state"),
        migrations.AlterField(
            model_name="listimport",
            name="state",
            field=models.CharField(
                choices=[
                    ("queued", "排队中 queued"),
                    ("running", "导入中 running"),
                    ("imported", "已导入 imported"),
                    ("refused", "未导入 refused"),
                ],
                default="queued",
                max_length=12,
            ),
        ),
        migrations.AddField(
            model_name="listimport",
            name="workbook",
            field=models.BinaryField(blank=True, default=b"", editable=False),
        ),
        migrations.AddField(
            model_name="listimport",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="listimport",
            name="finished_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
