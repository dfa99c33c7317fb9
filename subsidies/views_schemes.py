"""Views of the subsidy journey (filled in by the issue-8 work)."""

urlpatterns: list = []
