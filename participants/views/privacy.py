"""Work in progress."""
from django.http import Http404



def data_export(request, **kwargs):
    raise Http404


def anonymise(request, **kwargs):
    raise Http404
