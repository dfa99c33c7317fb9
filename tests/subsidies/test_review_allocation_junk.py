"""No page of the review and allocation journey answers 500, whatever any role types into
its address or posts to it: the crawl of tests/test_no_server_errors.py, on subsidy data
(a tender with a tie at its cut-off, reviews in every state, a first-come scheme) and limited
to these pages, so it stays quick."""

import datetime
from decimal import Decimal

from django.utils import timezone

import tests.test_no_server_errors as crawl
from regioportal.roles import Role
from subsidies.enums import AllocationMethod, ReviewStatus
from subsidies.models import Review
from tests.factories import (
    AdministratorFactory,
    ApplicationFactory,
    CoordinatorFactory,
    ProgrammeManagerFactory,
    ReviewerFactory,
    ReviewFactory,
    SubsidyOfficerFactory,
)
from tests.subsidies.scoring import scheme_with_criteria, scored_application, tender_for

PAGES = {
    "subsidies:review-edit",
    "subsidies:application-assign-reviewers",
    "subsidies:tender-ranking",
    "subsidies:tender-rank",
    "subsidies:tender-lottery",
    "subsidies:tender-confirm",
    "subsidies:scheme-allocation",
    "subsidies:application-grant",
    "subsidies:application-reject",
}


class ReviewAndAllocationJunkTest(crawl.NoServerErrorsTest):
    @classmethod
    def setUpTestData(cls):
        officer = SubsidyOfficerFactory(username="behandelaar-500")
        scheme = scheme_with_criteria((2, 10, 5), (1, 10, 0), handlers=[officer], code="ZV")
        tender = tender_for(scheme, ceiling="25000", reserve="1000")
        scored_application(tender, [9, 9], [8, 9], reference="ZV-2024-0001")
        tied = scored_application(tender, [8, 8], reference="ZV-2024-0002")
        scored_application(tender, [8, 8], reference="ZV-2024-0003")
        ApplicationFactory(tender=tender, reference="ZV-2024-0004")
        reviewer = ReviewerFactory(username="beoordelaar-500")
        undeclared = ReviewFactory(application=tied, reviewer=reviewer)
        other = ApplicationFactory(tender=tender, reference="ZV-2024-0005")
        declared = ReviewFactory(application=other, reviewer=reviewer, conflict_of_interest=False)
        submitted = ReviewFactory(
            application=ApplicationFactory(tender=tender, reference="ZV-2024-0006"),
            reviewer=reviewer,
            status=ReviewStatus.submitted,
            submitted_at=timezone.now(),
            conflict_of_interest=False,
        )
        first_come = scheme_with_criteria(
            handlers=[officer],
            code="TPW",
            allocation_method=AllocationMethod.first_come,
            budget=Decimal("50000"),
        )
        ApplicationFactory(
            tender=None,
            scheme=first_come,
            reference="TPW-2024-0001",
            received_on=datetime.date(2024, 4, 2),
        )
        cls.users = {
            "anoniem": None,
            Role.coordinator.value: CoordinatorFactory(),
            Role.reviewer.value: reviewer,
            Role.subsidy_officer.value: officer,
            "andere behandelaar": SubsidyOfficerFactory(),
            Role.programme_manager.value: ProgrammeManagerFactory(),
            Role.administrator.value: AdministratorFactory(is_staff=True),
        }
        cls.int_values = sorted(
            {tender.pk, undeclared.pk, declared.pk, submitted.pk, crawl.MISSING_PK}
        )
        cls.str_values = ["ZV-2024-0002", "ZV-2024-0006", "TPW-2024-0001", "TPW", "ZV", "x"]
        assert Review.objects.count() == 7

    def paths(self):
        for path in super().paths():
            match = crawl.resolve(path)
            if match.view_name in PAGES:
                yield path
