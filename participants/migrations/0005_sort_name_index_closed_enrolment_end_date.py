from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0004_split_surname_prefixes_close_end_dates"),
    ]

    operations = [
        migrations.AddIndex(
            model_name='participant',
            index=models.Index(fields=['sort_name', 'id'], name='participant_sort_name_idx'),
        ),
        migrations.AddConstraint(
            model_name='enrolment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status__in', ['afgerond', 'uitgevallen', 'gestopt']), _negated=True), ('end_date__isnull', False), _connector='OR'), name='enrolment_closed_has_end_date', violation_error_message='Een afgesloten inschrijving heeft een einddatum.'),
        ),
    ]
