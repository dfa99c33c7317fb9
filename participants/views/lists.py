"""Work in progress."""
from django.http import Http404
from django.views import View


class ParticipantListView(View):
    def get(self, request):
        raise Http404


def export_participants(request, **kwargs):
    raise Http404
