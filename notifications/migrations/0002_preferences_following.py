from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="preferences",
            name="following",
            field=models.BooleanField(default=True, verbose_name="Email me a daily digest of new videos from the pets and people I follow"),
        ),
    ]
