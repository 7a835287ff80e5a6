import datetime as dt

import factory

from scheduling.medication.models import DoseForm, Medication, Route


class MedicationFactory(factory.django.DjangoModelFactory):
    """A daily 08:00 tablet; give `client` (its team's nurse writes it)."""

    class Meta:
        model = Medication

    client = factory.SubFactory("tests.factories.clients.ClientFactory")
    name = factory.Sequence(lambda n: f"Metformine {n}")
    strength = "500 mg"
    form = DoseForm.TABLET
    dose_amount = 1
    dose_unit = "tablet"
    route = Route.ORAL
    times_of_day = factory.LazyFunction(lambda: ["08:00"])
    starts_on = dt.date(2026, 1, 1)
    created_by = factory.SubFactory("tests.factories.teams.NurseFactory")
