"""A small billing world with hand-computable totals (see HAND_TOTALS)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from clients.models import Client, Insurer
from scheduling.models import CareService, Visit
from tests.factories import (
    CareIndicationFactory,
    CareServiceFactory,
    ClientFactory,
    ContractFactory,
    InsurerFactory,
    OrganisationFactory,
    TariffFactory,
    billed_visit,
)

MARCH = dt.date(2026, 3, 1)
APRIL = dt.date(2026, 4, 1)

# By hand (tariffs V1 78.35/h, P1 60.00/h; minutes summed per client, service and DAY, then
# rounded to the nearest 5 minutes; one line a day):
#   Anna V1 03-03 60 -> 12 units ->  60*78.35/60 =  78.35
#   Anna V1 03-10 67 -> 13 units ->  65*78.35/60 =  84.879 -> 84.88
#   Anna P1 03-03 50 -> 10 units ->  50*60.00/60 =  50.00
#   Anna P1 03-10 43 ->  9 units ->  45*60.00/60 =  45.00
#   Bram V1 03-05 31 ->  6 units ->  30*78.35/60 =  39.175 -> 39.18
#   Cees V1 03-06 44 (other insurer) -> 9 units -> 45*78.35/60 = 58.7625 -> 58.76
HAND_TOTALS = {"3311": Decimal("297.41"), "7029": Decimal("58.76")}


@dataclass
class BillingWorld:
    zilveren: Insurer
    other: Insurer
    nursing: CareService
    care: CareService
    meeting: CareService
    anna: Client
    bram: Client
    cees: Client
    anna_visit_1: Visit
    anna_visit_2: Visit


@pytest.fixture
def billing_world(access_world) -> BillingWorld:
    # An organisation with its details set (AGB, KvK, IBAN): the pre-flight blocks without them.
    OrganisationFactory()
    zilveren = InsurerFactory(name="Zorgverzekeraar Een", uzovi="3311")
    other = InsurerFactory(name="Verzekeraar Twee", uzovi="7029")
    nursing = CareServiceFactory(code="1001", name="Nursing (example)")
    care = CareServiceFactory(code="1000", name="Personal care (example)")
    meeting = CareServiceFactory(code="EXM0", name="Team meeting", is_billable=False)
    contract = ContractFactory(insurer=zilveren, year=2026)
    TariffFactory(contract=contract, service=nursing, hourly_rate=Decimal("78.35"))
    TariffFactory(contract=contract, service=care, hourly_rate=Decimal("60.00"))
    other_contract = ContractFactory(insurer=other, year=2026)
    TariffFactory(contract=other_contract, service=nursing, hourly_rate=Decimal("78.35"))
    team = access_world.team_a
    anna = ClientFactory(team=team, insurer=zilveren, first_name="Anna", last_name="Jansen")
    bram = ClientFactory(team=team, insurer=zilveren, first_name="Bram", last_name="Bakker")
    cees = ClientFactory(team=team, insurer=other, first_name="Cees", last_name="Visser")
    for person in (anna, bram, cees):
        CareIndicationFactory(client=person)
    visit_1 = billed_visit(anna, dt.date(2026, 3, 3), {nursing: 60, care: 50})
    visit_2 = billed_visit(anna, dt.date(2026, 3, 10), {nursing: 67, care: 43})
    billed_visit(bram, dt.date(2026, 3, 5), {nursing: 31, meeting: 45})
    billed_visit(cees, dt.date(2026, 3, 6), {nursing: 44})
    # Not billed in March: cancelled, planned, and April.
    billed_visit(anna, dt.date(2026, 3, 12), {nursing: 30}, status="cancelled")
    billed_visit(bram, dt.date(2026, 3, 20), {nursing: 30}, status="planned")
    billed_visit(anna, dt.date(2026, 4, 2), {nursing: 20})
    return BillingWorld(
        zilveren=zilveren,
        other=other,
        nursing=nursing,
        care=care,
        meeting=meeting,
        anna=anna,
        bram=bram,
        cees=cees,
        anna_visit_1=visit_1,
        anna_visit_2=visit_2,
    )


@pytest.fixture
def month_all_logged(billing_world: BillingWorld) -> BillingWorld:
    """billing_world with Bram's visit of 20 March cancelled instead of left planned: a month
    whose pre-flight has nothing to say (a planned visit not logged is listed)."""
    Visit.objects.filter(status="planned").update(status="cancelled")
    return billing_world
