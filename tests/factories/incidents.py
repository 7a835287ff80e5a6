import datetime as dt

import factory

from coaching.incidents.models import Incident, IncidentKind


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    kind = IncidentKind.FALL
    occurred_on = factory.LazyFunction(lambda: dt.date(2026, 6, 1))
    description = "Fell in the bathroom at night; no injury."
    show_author = True
