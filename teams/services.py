"""Every write to accounts, neighbourhoods and teams goes through here."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from teams.models import (
    POSTCODE_VALIDATOR,
    CoachAssignment,
    Membership,
    Neighbourhood,
    Organisation,
    PostcodeArea,
    Role,
    Team,
    User,
)
from teams.names import Sex, normalise_initials, normalise_name_prefix

TEAM_FULL = _("{team} already has {limit} nurses; end a membership first.")
NOT_A_NURSE = _("Only a user with the nurse role can join a team.")
NURSE_IN_OTHER_TEAM = _("{nurse} already belongs to {team}; end that membership first.")
POSTCODE_TAKEN = _("Postcode area {code} already belongs to {neighbourhood}.")
POSTCODE_INVALID = _("'{code}' is not a Dutch 4-digit postcode area (1000-9999).")
POSTCODE_RACE = _("A postcode area was just taken; try again.")
ROLE_CHANGE_MEMBER = _("End this nurse's team membership before changing her role.")
POSTCODE_DUPLICATE = _("Postcode area {code} is listed twice.")
END_BEFORE_START = _("The end date cannot be before the start date ({start}).")
MEMBERSHIP_ALREADY_ENDED = _("This membership already ended on {date}.")
NOT_A_COACH = _("Only a user with the coach role can coach a team.")
INACTIVE_TEAM = _("{team} is not active; activate it before adding nurses.")


def parse_postcodes(raw: str) -> list[str]:
    """Split '1011, 1012 1013' into codes; validates shape and duplicates."""
    codes = [part for part in raw.replace(",", " ").replace(";", " ").split() if part]
    errors = []
    seen: set[str] = set()
    for code in codes:
        try:
            POSTCODE_VALIDATOR(code)
        except ValidationError:
            errors.append(POSTCODE_INVALID.format(code=code))
        if code in seen:
            errors.append(POSTCODE_DUPLICATE.format(code=code))
        seen.add(code)
    if errors:
        raise ValidationError({"postcodes": errors})
    return codes


def _set_postcodes(*, neighbourhood: Neighbourhood, codes: list[str]) -> None:
    taken = (
        PostcodeArea.objects.select_for_update()
        .filter(code__in=codes)
        .exclude(neighbourhood=neighbourhood)
        .select_related("neighbourhood")
    )
    errors = [POSTCODE_TAKEN.format(code=p.code, neighbourhood=p.neighbourhood) for p in taken]
    if errors:
        raise ValidationError({"postcodes": errors})
    neighbourhood.postcode_areas.exclude(code__in=codes).delete()
    existing = set(neighbourhood.postcode_areas.values_list("code", flat=True))
    try:
        with transaction.atomic():
            PostcodeArea.objects.bulk_create(
                [
                    PostcodeArea(code=c, neighbourhood=neighbourhood)
                    for c in codes
                    if c not in existing
                ]
            )
    except IntegrityError as exc:  # lost a race for the same code with another admin
        raise ValidationError({"postcodes": [POSTCODE_RACE]}) from exc


@transaction.atomic
def neighbourhood_create(
    *, name: str, postcodes: list[str], population_estimate: int
) -> Neighbourhood:
    neighbourhood = Neighbourhood(name=name, population_estimate=population_estimate)
    neighbourhood.full_clean()
    neighbourhood.save()
    _set_postcodes(neighbourhood=neighbourhood, codes=postcodes)
    return neighbourhood


@transaction.atomic
def neighbourhood_update(
    *,
    neighbourhood: Neighbourhood,
    name: str,
    postcodes: list[str],
    population_estimate: int,
) -> Neighbourhood:
    neighbourhood = Neighbourhood.objects.select_for_update().get(pk=neighbourhood.pk)
    neighbourhood.name = name
    neighbourhood.population_estimate = population_estimate
    neighbourhood.full_clean()
    neighbourhood.save()
    _set_postcodes(neighbourhood=neighbourhood, codes=postcodes)
    return neighbourhood


@transaction.atomic
def team_create(*, name: str, neighbourhood: Neighbourhood, is_active: bool) -> Team:
    """Create a team, then run `settings.TEAM_CREATED_HOOKS` in the same transaction.

    Apps that keep something per team (coaching: the team's messaging space) name a function
    there. A list in settings rather than a signal: what runs on team creation is written in
    one place, and `teams` imports none of the apps that build on it.
    """
    team = Team(name=name, neighbourhood=neighbourhood, is_active=is_active)
    team.full_clean()
    team.save()
    for path in settings.TEAM_CREATED_HOOKS:
        import_string(path)(team=team)
    return team


@transaction.atomic
def team_update(*, team: Team, name: str, neighbourhood: Neighbourhood, is_active: bool) -> Team:
    team = Team.objects.select_for_update().get(pk=team.pk)
    team.name, team.neighbourhood, team.is_active = name, neighbourhood, is_active
    team.full_clean()
    team.save()
    return team


@transaction.atomic
def team_add_nurse(
    *,
    team: Team,
    nurse: User,
    started_on: dt.date | None = None,
    contracted_hours: Decimal | int = Decimal("24"),
) -> Membership:
    """Give `nurse` the lowest free seat.

    The team row is locked before counting, so two admins cannot both take seat 12; the
    partial unique constraint on (team, seat) is the backstop for any path that skips this.
    """
    team = Team.objects.select_for_update().get(pk=team.pk)
    if nurse.role != Role.NURSE:
        raise ValidationError({"nurse": [NOT_A_NURSE]}, code="not_a_nurse")
    if not team.is_active:
        raise ValidationError({"team": [INACTIVE_TEAM.format(team=team)]}, code="inactive_team")
    current = Membership.objects.active().filter(nurse=nurse).select_related("team").first()
    if current:
        raise ValidationError(
            {"nurse": [NURSE_IN_OTHER_TEAM.format(nurse=nurse, team=current.team)]},
            code="nurse_in_team",
        )
    starts = started_on or timezone.localdate()
    # A seat is taken if it is held on any day from her start on (a membership ending later
    # still holds its seat until then): the exclusion constraint of migration 0003 holds this.
    taken = set(team.memberships.overlapping(starts, dt.date.max).values_list("seat", flat=True))
    free = [seat for seat in range(1, Team.MAX_NURSES + 1) if seat not in taken]
    if not free:
        raise ValidationError(
            {"nurse": [TEAM_FULL.format(team=team, limit=Team.MAX_NURSES)]}, code="team_full"
        )
    membership = Membership(
        team=team,
        nurse=nurse,
        seat=free[0],
        started_on=starts,
        contracted_hours=contracted_hours,
    )
    membership.full_clean()  # re-checks the constraints: a lost race is a ValidationError
    membership.save()
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, ended_on: dt.date) -> Membership:
    """End a membership, which frees its seat for another nurse and ends her access to the
    team's clients and visits at once, then runs `settings.MEMBERSHIP_ENDED_HOOKS`.

    Scheduling names a hook there that unassigns her future visits (they stay planned for the
    team): `teams` imports none of the apps that build on it. Her user row is locked first, the
    lock every booking of her takes, so no visit can be assigned to her until this commits.
    """
    User.objects.select_for_update().filter(pk=membership.nurse_id).first()
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.ended_on is not None:
        raise ValidationError(
            {
                "ended_on": [
                    MEMBERSHIP_ALREADY_ENDED.format(date=formats.date_format(membership.ended_on))
                ]
            }
        )
    if ended_on < membership.started_on:
        raise ValidationError(
            {
                "ended_on": [
                    END_BEFORE_START.format(start=formats.date_format(membership.started_on))
                ]
            }
        )
    membership.ended_on = ended_on
    membership.full_clean()
    membership.save(update_fields=["ended_on", "updated_at"])
    for path in settings.MEMBERSHIP_ENDED_HOOKS:
        import_string(path)(membership=membership)
    return membership


@transaction.atomic
def coach_assign(*, team: Team, coach: User) -> CoachAssignment:
    if coach.role != Role.COACH:
        raise ValidationError({"coach": [NOT_A_COACH]})
    assignment, _ = CoachAssignment.objects.get_or_create(team=team, coach=coach)
    return assignment


@transaction.atomic
def coach_unassign(*, team: Team, coach: User) -> None:
    CoachAssignment.objects.filter(team=team, coach=coach).delete()


@transaction.atomic
def user_create(
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    password: str,
    initials: str = "",
    name_prefix: str = "",
    sex: str = Sex.UNKNOWN,
) -> User:
    user = User(
        username=username,
        initials=normalise_initials(initials, first_name=first_name),
        first_name=first_name,
        name_prefix=normalise_name_prefix(name_prefix),
        last_name=last_name,
        sex=sex,
        email=email,
        role=role,
    )
    user.full_clean(exclude=["password"])
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def user_update(
    *,
    user: User,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    is_active: bool,
    initials: str,
    name_prefix: str,
    sex: str,
) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    if role != user.role and user.memberships.active().exists():
        raise ValidationError({"role": [ROLE_CHANGE_MEMBER]})
    user.first_name, user.last_name, user.email, user.role = first_name, last_name, email, role
    user.initials = normalise_initials(initials, first_name=first_name)
    user.name_prefix, user.sex = normalise_name_prefix(name_prefix), sex
    user.is_active = is_active
    user.full_clean(exclude=["password"])
    user.save()
    return user


# --- the organisation's own details ------------------------------------------------------------


def normalise_iban(raw: str) -> str:
    return "".join(raw.split()).upper()


def normalise_org_postcode(raw: str) -> str:
    """ "1234ab", "1234 AB " -> "1234 AB"; anything else is kept for the validator to refuse."""
    compact = "".join(raw.split()).upper()
    return f"{compact[:4]} {compact[4:]}" if len(compact) == 6 else raw.strip().upper()


@transaction.atomic
def organisation_update(
    *,
    actor: User,
    name: str,
    address: str,
    postcode: str,
    city: str,
    kvk_number: str,
    agb_code: str,
    iban: str,
    vat_exemption_note: str,
    payment_term_days: int,
) -> Organisation:
    """Save the organisation's details (creating the one row on the first save).

    The row is locked, so two people saving at once save one after the other; a first save
    that races another hits the unique `key` and is retried as an update. Every field is
    checked (formats, IBAN check digits) before anything is written.
    """
    organisation = Organisation.objects.select_for_update().filter(key=1).first()
    if organisation is None:
        try:
            with transaction.atomic():
                organisation, _created = Organisation.objects.get_or_create(key=1)
        except IntegrityError:
            pass
        organisation = Organisation.objects.select_for_update().get(key=1)
    organisation.name = name.strip()
    organisation.address = address.strip()
    organisation.postcode = normalise_org_postcode(postcode)
    organisation.city = city.strip()
    organisation.kvk_number = kvk_number.strip()
    organisation.agb_code = agb_code.strip()
    organisation.iban = normalise_iban(iban)
    organisation.vat_exemption_note = vat_exemption_note.strip()
    organisation.payment_term_days = payment_term_days
    organisation.updated_by = actor
    organisation.full_clean()
    organisation.save()
    return organisation
