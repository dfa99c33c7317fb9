import pytest
from django.core.management import call_command

from reports.models import Factsheet


@pytest.fixture
def demo():
    call_command("load_demo", force=True, verbosity=0)


@pytest.fixture
def overview(demo):
    return Factsheet.objects.get(umbrella__slug="leefbaarheidsprogramma-2020-2023")


def write(tmp_path, data, name="feitenblad.pdf"):
    path = tmp_path / name
    path.write_bytes(data)
    return path
