"""The subsidy journey's pages. Each views module declares its own ``urlpatterns``."""

from . import (
    views_allocation,
    views_applications,
    views_letters,
    views_lifecycle,
    views_review,
    views_schemes,
    views_worklist,
)

app_name = "subsidies"

urlpatterns = [
    *views_schemes.urlpatterns,
    *views_worklist.urlpatterns,
    *views_applications.urlpatterns,
    *views_lifecycle.urlpatterns,
    *views_review.urlpatterns,
    *views_allocation.urlpatterns,
    *views_letters.urlpatterns,
]
