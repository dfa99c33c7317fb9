"""Work in progress."""
from django.http import Http404



def intake(request, **kwargs):
    raise Http404


def group_activity(request, **kwargs):
    raise Http404


def detail(request, **kwargs):
    raise Http404


def edit(request, **kwargs):
    raise Http404


def history(request, **kwargs):
    raise Http404


def add_entry(request, **kwargs):
    raise Http404


def outcome(request, **kwargs):
    raise Http404


def edit_entry(request, **kwargs):
    raise Http404


def delete_entry(request, **kwargs):
    raise Http404
