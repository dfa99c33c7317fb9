import participants.validators
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('participants', '0002_progress_author_index'),
        ('programmes', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='participant',
            options={'ordering': ['sort_name', 'id'], 'verbose_name': 'deelnemer', 'verbose_name_plural': 'deelnemers'},
        ),
        migrations.RemoveIndex(
            model_name='participant',
            name='participant_name_idx',
        ),
        migrations.AddField(
            model_name='participant',
            name='sort_name',
            field=models.CharField(default='', editable=False, max_length=300, verbose_name='sorteernaam'),
        ),
        migrations.AddField(
            model_name='participant',
            name='surname_prefix',
            field=models.CharField(blank=True, max_length=20, verbose_name='tussenvoegsel'),
        ),
        migrations.AlterField(
            model_name='enrolment',
            name='status',
            field=models.CharField(choices=[('intake', 'Intake'), ('actief', 'Actief'), ('gepauzeerd', 'Gepauzeerd'), ('afgerond', 'Afgerond'), ('uitgevallen', 'Uitgevallen'), ('gestopt', 'Gestopt')], default='intake', max_length=12, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='participant',
            name='phone',
            field=models.CharField(blank=True, max_length=20, validators=[participants.validators.validate_phone], verbose_name='telefoonnummer'),
        ),
    ]
