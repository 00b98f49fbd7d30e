# Observed station hours moved to the monitoring app (its Reading, CityHour and CityDay).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("forecasts", "0002_observations"),
    ]

    operations = [
        migrations.DeleteModel(name="StationHour"),
        migrations.DeleteModel(name="ObservationUpload"),
    ]
