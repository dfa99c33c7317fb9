"""Work in progress."""
from django.http import Http404



def import_upload(request, **kwargs):
    raise Http404


def import_template(request, **kwargs):
    raise Http404


def import_status(request, **kwargs):
    raise Http404
