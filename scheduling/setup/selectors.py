"""What a fresh install still needs before a team can start work, read from the data."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from clients.models import Insurer
from scheduling.models import CareService
from teams.models import Membership, Neighbourhood, Role, Team, User
from teams.selectors import organisation_details


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    title: Promise
    help: Promise
    done: bool
    # A URL name of the page that does it, or "" when it is done outside the app (.env).
    url_name: str
    # Pages in the Django admin, which only superusers may open.
    needs_superuser: bool = False


def organisation_details_set() -> bool:
    """Name, address, KvK, AGB and IBAN: what every invoice and declaration needs."""
    return organisation_details().is_complete


def setup_checklist() -> list[ChecklistItem]:
    """Each item in the order it is done; a handful of EXISTS queries, no rows loaded."""
    nurse_in_team = Membership.objects.active().filter(nurse__is_active=True, team__is_active=True)
    return [
        ChecklistItem(
            key="organisation",
            title=_("Organisation details"),
            help=_(
                "The organisation's name, address, KvK number, AGB code and IBAN: printed on "
                "every invoice and sent in every declaration to the insurers."
            ),
            done=organisation_details_set(),
            url_name="teams:organisation",
        ),
        ChecklistItem(
            key="insurers",
            title=_("Insurers"),
            help=_("Every client is insured: register the insurers (name and UZOVI code)."),
            done=Insurer.objects.exists(),
            url_name="billing:insurer-list",
        ),
        ChecklistItem(
            key="care_services",
            title=_("Care services"),
            help=_("The billable care services (prestaties) that visits are logged against."),
            done=CareService.objects.filter(is_billable=True).exists(),
            url_name="billing:care-service-list",
        ),
        ChecklistItem(
            key="neighbourhood",
            title=_("First neighbourhood"),
            help=_("The area a team serves, with its postcode areas."),
            done=Neighbourhood.objects.exists(),
            url_name="teams:neighbourhood-create",
        ),
        ChecklistItem(
            key="team",
            title=_("First team"),
            help=_("A team of at most 12 nurses, in its neighbourhood."),
            done=Team.objects.filter(is_active=True).exists(),
            url_name="teams:team-create",
        ),
        ChecklistItem(
            key="accounts",
            title=_("First accounts"),
            help=_(
                "Accounts for the nurses (then add them to their team), the team's coach and "
                "the back office."
            ),
            done=nurse_in_team.exists()
            and User.objects.filter(is_active=True, role=Role.COACH).exists(),
            url_name="teams:user-create",
        ),
    ]


def setup_is_complete() -> bool:
    return all(item.done for item in setup_checklist())
