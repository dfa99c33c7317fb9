"""Signals of the subsidy domain.

``decision_made`` is sent (inside the deciding transaction) after a Decision is saved, with
``decision`` and ``by``; subsidies.letters listens and asks for its beschikking PDF once the
transaction commits."""

from django.dispatch import Signal

decision_made = Signal()
