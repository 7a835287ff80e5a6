"""Every write to client records goes through here.

Each service is atomic and all-or-nothing: a refused problem leaves no signs behind, a refused
client leaves no half record. Each writes the access row of its change itself (one row, for
its `actor`, in the same transaction), so a change that cannot be logged is not stored and no
view has to remember to log it. Vocabulary terms arrive as official Omaha codes, so pages and the
API share one place that says "there is no such problem". Rules spanning rows are checked under
a lock on the parent row; the database constraints are the backstop for any other path.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from buurtzorg.audit.models import Action
from buurtzorg.audit.services import access_log_write
from clients.intake.models import IntakeRequest
from clients.intake.services import intake_request_create
from clients.models import (
    RATING_OUT_OF_RANGE,
    CareIndication,
    Client,
    ClientProblem,
    ClientProblemSign,
    ClientStatus,
    Insurer,
    Intervention,
    NetworkContact,
    OutcomeRating,
    Priority,
    ProblemStatus,
    RatingMoment,
    normalise_postcode,
)
from clients.reads import access_detail
from omaha.models import (
    InterventionCategory,
    InterventionTarget,
    Problem,
    Scope,
    Severity,
    SignSymptom,
)
from teams.models import Membership, Role, Team, User
from teams.names import Sex, normalise_initials, normalise_name_prefix

if TYPE_CHECKING:  # django-stubs' name for "a str or a lazy translation"; no runtime import
    from django_stubs_ext import StrOrPromise

# Messages (tests import these). Lazy: each is translated when it is raised or shown, in the
# language active then (the request's); `.format(...)` on one gives a str in that language.
BSN_TAKEN = _("A client with this BSN is already registered.")
# A changed BSN that is in care with another team: nothing said about where (issue 20, item 10).
BSN_SENT_TO_BACK_OFFICE = _("This BSN cannot be used here; back office has been asked to check it.")
NOT_YOUR_TEAM = _("You can register clients only in your own team.")
NOT_A_NURSE = _("Only nurses change client records.")
ALREADY_DISCHARGED = _("This client was already discharged on {date}.")
DISCHARGE_BEFORE_ADMISSION = _("The discharge date cannot be before admission ({admitted}).")
DISCHARGE_REASON_REQUIRED = _("Give a reason for the discharge.")
CLIENT_DISCHARGED = _("This client has been discharged; the record is closed.")
PROBLEM_UNKNOWN = _("There is no Omaha problem with code {code}.")
SIGN_UNKNOWN = _("There is no sign/symptom {key} for {problem}.")
SIGNS_ONLY_WHEN_ACTUAL = _("Signs/symptoms are recorded only when the severity is Actual.")
SIGNS_REQUIRED_WHEN_ACTUAL = _("An Actual problem needs at least one sign/symptom.")
SIGN_TWICE = _("The sign/symptom {sign} is listed twice.")
OTHER_NEEDS_REASON = _(
    'Choose a listed sign/symptom where one fits. "Other" needs a description and a reason '
    "why none of the listed ones fits."
)
TEXT_ONLY_FOR_OTHER = _('Only the "other" sign/symptom takes a description.')
PROBLEM_ALREADY_ACTIVE = _("{problem} is already an active problem for this client.")
PROBLEM_ALREADY_RESOLVED = _("This problem was already resolved on {date}.")
RESOLVED_BEFORE_IDENTIFIED = _("A problem cannot be resolved before it was identified ({date}).")
PROBLEM_NOT_ACTIVE = _("This problem is resolved; its care plan is closed.")
CATEGORY_UNKNOWN = _("There is no intervention category with code {code}.")
TARGET_UNKNOWN = _("There is no intervention target with code {code}.")
OTHER_TARGET_NEEDS_TEXT = _('The "other" target needs a description.')
TEXT_ONLY_FOR_OTHER_TARGET = _('Only the "other" target takes a description.')
DESCRIPTION_REQUIRED = _("Describe what the intervention is for this client.")
RATING_MOMENT_TAKEN = _(
    "This problem already has its {moment} rating; add an interim rating instead."
)
RATING_IN_FUTURE = _("A rating cannot be dated in the future.")
RATING_BEFORE_IDENTIFIED = _("A rating cannot be dated before the problem was identified ({date}).")
INDICATION_HOURS = _("Hours per week must be above 0 and at most {maximum}.")
INDICATION_OVERLAPS = _(
    "This client already has an indication for {products} from {start} to {end}; "
    "end that one first or choose other dates."
)
UNTIL_BEFORE_FROM = _("The end date cannot be before the start date.")
INVALID_CHOICE = _("{value} is not a valid choice.")


@dataclass(frozen=True)
class SignInput:
    """One sign/symptom as entered: its key ("24.03") and, for "other", text and reason."""

    key: str
    other_text: str = ""
    other_reason: str = ""


def _day(value: dt.date | None) -> str:
    """A date as the reader's language writes it in a sentence ("2 dec. 2026", "2 Dec 2026")."""
    return date_format(value) if value else ""


def _actor_team(actor: User) -> Team | None:
    membership = Membership.objects.active().filter(nurse=actor).select_related("team").first()
    return membership.team if membership else None


def _require_nurse(actor: User) -> None:
    if actor.role != Role.NURSE:
        raise ValidationError(NOT_A_NURSE, code="not_a_nurse")


def _require_open(client: Client) -> None:
    if client.status != ClientStatus.ACTIVE:
        raise ValidationError(CLIENT_DISCHARGED, code="client_discharged")


def _choice(value: str, choices: Any, field: str) -> str:
    if value not in choices.values:
        raise ValidationError({field: [INVALID_CHOICE.format(value=value)]}, code="invalid_choice")
    return value


def _log(actor: User, action: str, client: Client, part: str, code: str = "") -> None:
    """The change's access row; `code` names the Omaha problem for a problem's parts."""
    access_log_write(
        actor=actor,
        action=action,
        client_public_id=client.public_id,
        part=part,
        detail=access_detail(code),
    )


def _save(obj: Any) -> Any:
    """full_clean then save; a lost race on a unique constraint comes back as ValidationError."""
    obj.full_clean()
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:  # constraint raced between full_clean and INSERT
        raise ValidationError(str(exc).split("\n")[0], code="integrity") from exc
    return obj


# --- clients -----------------------------------------------------------------------------------

CLIENT_FIELDS = (
    "initials",
    "first_name",
    "name_prefix",
    "last_name",
    "sex",
    "date_of_birth",
    "bsn",
    "street",
    "house_number",
    "postcode",
    "city",
    "phone",
    "key_safe_note",
    "allergies",
    "alarm_note",
    "insurer",
    "policy_number",
    "gp_name",
    "gp_agb",
)


@transaction.atomic
def client_register(
    *,
    actor: User,
    first_name: str,
    last_name: str,
    date_of_birth: dt.date,
    bsn: str,
    street: str,
    house_number: str,
    postcode: str,
    city: str,
    insurer: Insurer,
    policy_number: str,
    admitted_on: dt.date,
    phone: str = "",
    gp_name: str = "",
    gp_agb: str = "",
    key_safe_note: str = "",
    allergies: str = "",
    alarm_note: str = "",
    team: Team | None = None,
    initials: str = "",
    name_prefix: str = "",
    sex: str = Sex.UNKNOWN,
) -> Client | IntakeRequest:
    """Register a client in the actor's own team (a nurse cannot place clients elsewhere).

    A BSN already in care with another team makes no client: it returns the IntakeRequest
    that back office checks (callers tell the nurse only `SENT_TO_BACK_OFFICE`)."""
    _require_nurse(actor)
    own_team = _actor_team(actor)
    if own_team is None or (team is not None and team.pk != own_team.pk):
        raise ValidationError({"team": [NOT_YOUR_TEAM]}, code="not_your_team")
    bsn = (bsn or "").strip()
    # What back office gets if the BSN turns out to be in care elsewhere (as she typed it).
    details = {
        "first_name": first_name.strip(),
        "last_name": last_name.strip(),
        "date_of_birth": date_of_birth.isoformat(),
        "street": street.strip(),
        "house_number": house_number.strip(),
        "postcode": normalise_postcode(postcode),
        "city": city.strip(),
        "phone": phone.strip(),
        "insurer": insurer.name,
        "policy_number": policy_number.strip(),
        "gp_name": gp_name.strip(),
        "gp_agb": gp_agb.strip(),
        "admitted_on": admitted_on.isoformat(),
    }
    holder = _bsn_holder(bsn)
    if holder is not None:
        return _bsn_in_care(actor=actor, team=own_team, bsn=bsn, holder=holder, details=details)
    client = Client(
        initials=normalise_initials(initials, first_name=first_name),
        first_name=first_name.strip(),
        name_prefix=normalise_name_prefix(name_prefix),
        last_name=last_name.strip(),
        sex=sex,
        date_of_birth=date_of_birth,
        bsn=bsn,
        street=street.strip(),
        house_number=house_number.strip(),
        postcode=normalise_postcode(postcode),
        city=city.strip(),
        phone=phone.strip(),
        insurer=insurer,
        policy_number=policy_number.strip(),
        gp_name=gp_name.strip(),
        gp_agb=gp_agb.strip(),
        key_safe_note=key_safe_note.strip(),
        allergies=allergies.strip(),
        alarm_note=alarm_note.strip(),
        team=own_team,
        admitted_on=admitted_on,
    )
    try:
        _save(client)
    except ValidationError:
        # Lost a race: the BSN was registered between the check above and the INSERT. The
        # same answer as when the check had seen it (never the database's own message).
        holder = _bsn_holder(bsn)
        if holder is None:
            raise
        return _bsn_in_care(actor=actor, team=own_team, bsn=bsn, holder=holder, details=details)
    _log(actor, Action.CREATE, client, "registration")
    return client


def client_update(*, client: Client, actor: User, **fields: Any) -> Client:
    """Change the personal and administrative fields (not the team, status or dates).

    A new BSN that is in care with another team changes nothing: back office gets an intake
    request to check, and the nurse gets `BSN_SENT_TO_BACK_OFFICE` at the bsn field, which says
    nothing about where (issue 20, item 10). The request is committed before that refusal is
    raised, so callers must not wrap this in a transaction of their own.
    """
    result = _client_update(client=client, actor=actor, **fields)
    if isinstance(result, IntakeRequest):
        raise ValidationError({"bsn": [BSN_SENT_TO_BACK_OFFICE]}, code="bsn_sent_to_back_office")
    return result


@transaction.atomic
def _client_update(*, client: Client, actor: User, **fields: Any) -> Client | IntakeRequest:
    _require_nurse(actor)
    client = Client.objects.select_for_update().get(pk=client.pk)
    unknown = set(fields) - set(CLIENT_FIELDS)
    if unknown:
        raise ValueError(f"client_update cannot change {sorted(unknown)}")
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        if name == "postcode":
            value = normalise_postcode(value)
        if name == "name_prefix":
            value = normalise_name_prefix(value)
        setattr(client, name, value)
    if "initials" in fields or "first_name" in fields:
        client.initials = normalise_initials(client.initials, first_name=client.first_name)
    bsn = client.bsn or ""
    # Only the client she is editing is named to back office; nothing else of the change is kept.
    details = {
        "change": "bsn",
        "client": str(client.public_id),
        "first_name": client.first_name,
        "last_name": client.last_name,
        "date_of_birth": client.date_of_birth.isoformat() if client.date_of_birth else "",
    }
    team = Team(pk=client.team_id)
    holder = _bsn_holder(bsn, exclude=client)
    if holder is not None:
        return _bsn_in_care(actor=actor, team=team, bsn=bsn, holder=holder, details=details)
    try:
        _save(client)
    except ValidationError:
        holder = _bsn_holder(bsn, exclude=client)  # lost a race for the BSN
        if holder is None:
            raise
        return _bsn_in_care(actor=actor, team=team, bsn=bsn, holder=holder, details=details)
    _log(actor, Action.UPDATE, client, "personal-details")
    return client


def _bsn_holder(bsn: str, *, exclude: Client | None = None) -> Client | None:
    """The client (of any team) who has `bsn`, other than `exclude`; None if nobody has it."""
    if not bsn:
        return None
    holders = Client.objects.filter(bsn=bsn).only("pk", "team_id")
    if exclude is not None:
        holders = holders.exclude(pk=exclude.pk)
    return holders.first()


def _bsn_in_care(
    *, actor: User, team: Team, bsn: str, holder: Client, details: dict[str, Any]
) -> IntakeRequest:
    """`bsn` belongs to `holder`. Her own team's client she may hear about (she sees that
    record anyway); a client of another team becomes an intake request for back office, as
    saying so would tell her who receives care (issue 20, item 10)."""
    if Client.objects.visible_to(actor).filter(pk=holder.pk).exists():
        raise ValidationError({"bsn": [BSN_TAKEN]}, code="bsn_taken")
    return intake_request_create(
        actor=actor, team=team, bsn=bsn, details=details, in_care_with=Team(pk=holder.team_id)
    )


@transaction.atomic
def client_discharge(*, client: Client, actor: User, discharged_on: dt.date, reason: str) -> Client:
    _require_nurse(actor)
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.status == ClientStatus.DISCHARGED:
        raise ValidationError(
            {"discharged_on": [ALREADY_DISCHARGED.format(date=_day(client.discharged_on))]}
        )
    if discharged_on < client.admitted_on:
        raise ValidationError(
            {
                "discharged_on": [
                    DISCHARGE_BEFORE_ADMISSION.format(admitted=_day(client.admitted_on))
                ]
            },
            code="discharge_before_admission",
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": [DISCHARGE_REASON_REQUIRED]})
    # Visits planned after the discharge go first (scheduling's hook): the database refuses
    # a discharge that leaves booked visits after it.
    for path in settings.CLIENT_DISCHARGED_HOOKS:
        import_string(path)(client=client, discharged_on=discharged_on)
    client.status = ClientStatus.DISCHARGED
    client.discharged_on = discharged_on
    client.discharge_reason = reason.strip()
    _save(client)
    _log(actor, Action.UPDATE, client, "discharge")
    return client


def indication_max_hours() -> Decimal:
    """The most hours a week one indication may grant (settings.INDICATION_MAX_HOURS_PER_WEEK).

    The database allows up to 168 (a week); the organisation's lower maximum is a setting, so
    it is the service that refuses more. Older rows above it are reported, not changed (see
    clients/migrations/0007_indication_no_overlap.py) and flagged on the record.
    """
    return Decimal(str(settings.INDICATION_MAX_HOURS_PER_WEEK))


@transaction.atomic
def care_indication_add(
    *,
    client: Client,
    actor: User,
    hours_per_week: Decimal,
    products: str,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
) -> CareIndication:
    """Add an indication. The client row is locked before the overlap check, so two nurses
    cannot both add an overlapping indication for the same products; on PostgreSQL the
    exclusion constraint `careindication_no_overlap` is the backstop for any other path."""
    _require_nurse(actor)
    maximum = indication_max_hours()
    if not (Decimal("0") < Decimal(hours_per_week) <= maximum):
        raise ValidationError(
            {"hours_per_week": [INDICATION_HOURS.format(maximum=_hours(maximum))]},
            code="indication_hours",
        )
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError({"valid_until": [UNTIL_BEFORE_FROM]}, code="until_before_from")
    products = products.strip()
    Client.objects.select_for_update().filter(pk=client.pk).first()
    overlapping = (
        CareIndication.objects.filter(client=client, products__iexact=products)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from))
        .order_by("valid_from")
    )
    if valid_until is not None:
        overlapping = overlapping.filter(valid_from__lte=valid_until)
    clash = overlapping.first()
    if clash is not None:
        raise ValidationError(
            {
                "valid_from": [
                    INDICATION_OVERLAPS.format(
                        products=clash.products,
                        start=_day(clash.valid_from),
                        end=_day(clash.valid_until) if clash.valid_until else _("open"),
                    )
                ]
            },
            code="indication_overlaps",
        )
    indication = _save(
        CareIndication(
            client=client,
            hours_per_week=hours_per_week,
            products=products,
            valid_from=valid_from,
            valid_until=valid_until,
        )
    )
    _log(actor, Action.UPDATE, client, "indication")
    return indication


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}"


@transaction.atomic
def network_contact_add(
    *,
    client: Client,
    actor: User,
    name: str,
    relation: str,
    phone: str = "",
    helps_with: str = "",
    available_when: str = "",
) -> NetworkContact:
    _require_nurse(actor)
    contact = _save(
        NetworkContact(
            client=client,
            name=name.strip(),
            relation=relation.strip(),
            phone=phone.strip(),
            helps_with=helps_with.strip(),
            available_when=available_when.strip(),
        )
    )
    _log(actor, Action.UPDATE, client, "network")
    return contact


@transaction.atomic
def network_contact_remove(*, contact: NetworkContact, actor: User) -> None:
    _require_nurse(actor)
    NetworkContact.objects.filter(pk=contact.pk).delete()
    _log(actor, Action.DELETE, contact.client, "network")


# --- Omaha record ------------------------------------------------------------------------------


def _problem_by_code(code: str) -> Problem:
    problem = Problem.objects.filter(code=str(code).strip()).first()
    if problem is None:
        raise ValidationError({"problem": [PROBLEM_UNKNOWN.format(code=code)]}, code="unknown")
    return problem


def _problem_locked(client_problem: ClientProblem) -> ClientProblem:
    """The problem row and its client's row, locked (the problem's term read along, unlocked)."""
    return (
        ClientProblem.objects.select_for_update(of=("self", "client"))
        .select_related("client", "problem")
        .get(pk=client_problem.pk)
    )


def _resolve_signs(*, problem: Problem, severity: str, signs: list[SignInput]) -> list[Any]:
    """Check the signs against the severity and the problem; return unsaved rows."""
    if severity != Severity.ACTUAL:
        if signs:
            raise ValidationError({"signs": [SIGNS_ONLY_WHEN_ACTUAL]}, code="signs_not_actual")
        return []
    if not signs:
        raise ValidationError({"signs": [SIGNS_REQUIRED_WHEN_ACTUAL]}, code="signs_required")
    by_key = {s.key: s for s in SignSymptom.objects.filter(problem=problem)}
    errors: list[StrOrPromise] = []
    rows = []
    seen: set[str] = set()
    for item in signs:
        sign = by_key.get(item.key.strip())
        if sign is None:
            errors.append(SIGN_UNKNOWN.format(key=item.key, problem=problem.name))
            continue
        if sign.key in seen:
            errors.append(SIGN_TWICE.format(sign=sign.name))
            continue
        seen.add(sign.key)
        text, reason = item.other_text.strip(), item.other_reason.strip()
        if sign.is_other and not (text and reason):
            errors.append(OTHER_NEEDS_REASON)
            continue
        if not sign.is_other and (text or reason):
            errors.append(TEXT_ONLY_FOR_OTHER)
            continue
        rows.append(ClientProblemSign(sign=sign, other_text=text, other_reason=reason))
    if errors:
        raise ValidationError({"signs": errors}, code="invalid_signs")
    return rows


@transaction.atomic
def client_problem_add(
    *,
    client: Client,
    actor: User,
    problem: str,
    scope: str,
    severity: str,
    identified_on: dt.date,
    priority: str = Priority.HIGH,
    signs: list[SignInput] | None = None,
) -> ClientProblem:
    """Add an Omaha problem with its modifiers and (for Actual) its signs/symptoms.

    Locks the client row before checking for an active instance of the same problem, so two
    nurses adding it at once get one success and one message; the partial unique constraint
    is the backstop for any other path. Nothing is saved unless everything is valid.
    """
    _require_nurse(actor)
    client = Client.objects.select_for_update().get(pk=client.pk)
    _require_open(client)
    term = _problem_by_code(problem)
    _choice(scope, Scope, "scope")
    _choice(severity, Severity, "severity")
    _choice(priority, Priority, "priority")
    sign_rows = _resolve_signs(problem=term, severity=severity, signs=list(signs or []))
    if client.problems.filter(problem=term, status=ProblemStatus.ACTIVE).exists():
        raise ValidationError(
            {"problem": [PROBLEM_ALREADY_ACTIVE.format(problem=term.name)]}, code="already_active"
        )
    client_problem = ClientProblem(
        client=client,
        problem=term,
        scope=scope,
        severity=severity,
        priority=priority,
        identified_on=identified_on,
        identified_by=actor,
    )
    try:
        _save(client_problem)
    except ValidationError as exc:
        if client.problems.filter(problem=term, status=ProblemStatus.ACTIVE).exists():
            raise ValidationError(
                {"problem": [PROBLEM_ALREADY_ACTIVE.format(problem=term.name)]},
                code="already_active",
            ) from exc
        raise
    for row in sign_rows:
        row.client_problem = client_problem
        row.full_clean()
    ClientProblemSign.objects.bulk_create(sign_rows)
    _log(actor, Action.CREATE, client, "problem", term.code)
    return client_problem


@transaction.atomic
def client_problem_resolve(
    *, client_problem: ClientProblem, actor: User, resolved_on: dt.date
) -> ClientProblem:
    _require_nurse(actor)
    client_problem = (
        ClientProblem.objects.select_for_update(of=("self",))
        .select_related("client", "problem")
        .get(pk=client_problem.pk)
    )
    if client_problem.status == ProblemStatus.RESOLVED:
        raise ValidationError(
            {
                "resolved_on": [
                    PROBLEM_ALREADY_RESOLVED.format(date=_day(client_problem.resolved_on))
                ]
            }
        )
    if resolved_on < client_problem.identified_on:
        raise ValidationError(
            {
                "resolved_on": [
                    RESOLVED_BEFORE_IDENTIFIED.format(date=_day(client_problem.identified_on))
                ]
            }
        )
    client_problem.status = ProblemStatus.RESOLVED
    client_problem.resolved_on = resolved_on
    client_problem.interventions.filter(is_active=True).update(is_active=False)
    _save(client_problem)
    _log(
        actor, Action.CREATE, client_problem.client, "problem-resolve", client_problem.problem.code
    )
    return client_problem


@transaction.atomic
def intervention_add(
    *,
    client_problem: ClientProblem,
    actor: User,
    category: str,
    target: str,
    description: str,
    frequency: str = "",
    target_other_text: str = "",
) -> Intervention:
    """Add a line to the care plan of an active problem: category + target + description."""
    _require_nurse(actor)
    client_problem = _problem_locked(client_problem)
    _require_open(client_problem.client)
    if client_problem.status != ProblemStatus.ACTIVE:
        raise ValidationError(PROBLEM_NOT_ACTIVE, code="problem_resolved")
    errors: dict[str, list[StrOrPromise]] = {}
    category_term = InterventionCategory.objects.filter(code=str(category).strip()).first()
    if category_term is None:
        errors["category"] = [CATEGORY_UNKNOWN.format(code=category)]
    target_term = InterventionTarget.objects.filter(code=str(target).strip()).first()
    if target_term is None:
        errors["target"] = [TARGET_UNKNOWN.format(code=target)]
    other = target_other_text.strip()
    if target_term is not None and target_term.is_other and not other:
        errors["target_other_text"] = [OTHER_TARGET_NEEDS_TEXT]
    if target_term is not None and not target_term.is_other and other:
        errors["target_other_text"] = [TEXT_ONLY_FOR_OTHER_TARGET]
    if not description.strip():
        errors["description"] = [DESCRIPTION_REQUIRED]
    if errors:
        raise ValidationError(errors)
    intervention = _save(
        Intervention(
            client_problem=client_problem,
            category=category_term,
            target=target_term,
            target_other_text=other,
            description=description.strip(),
            frequency=frequency.strip(),
            created_by=actor,
        )
    )
    code = client_problem.problem.code
    _log(actor, Action.CREATE, client_problem.client, "intervention", code)
    return intervention


@transaction.atomic
def intervention_stop(*, intervention: Intervention, actor: User) -> Intervention:
    _require_nurse(actor)
    intervention = (
        Intervention.objects.select_for_update(of=("self",))
        .select_related("client_problem__client", "client_problem__problem")
        .get(pk=intervention.pk)
    )
    intervention.is_active = False
    intervention.save(update_fields=["is_active", "updated_at"])
    client_problem = intervention.client_problem
    _log(actor, Action.UPDATE, client_problem.client, "intervention", client_problem.problem.code)
    return intervention


def _score(value: Any, field: str, *, optional: bool = False) -> int | None:
    if value in (None, "") and optional:
        return None
    try:
        score = int(value)
    except (TypeError, ValueError):
        score = 0
    if isinstance(value, float | Decimal) and value != score:
        score = 0
    if not 1 <= score <= 5:
        raise ValidationError({field: [RATING_OUT_OF_RANGE]}, code="rating_out_of_range")
    return score


@transaction.atomic
def outcome_rating_append(
    *,
    client_problem: ClientProblem,
    actor: User,
    rated_on: dt.date,
    moment: str,
    knowledge: int,
    behavior: int,
    status: int,
    expected_knowledge: int | None = None,
    expected_behavior: int | None = None,
    expected_status: int | None = None,
    note: str = "",
    today: dt.date | None = None,
) -> OutcomeRating:
    """Append a Knowledge/Behavior/Status rating. History is never overwritten.

    One admission and one discharge rating per problem (a database constraint); any number
    of interim ratings. The problem row is locked so two nurses cannot both add the admission.
    Writes no access row: for a service that logs its own request's one row (a visit's log
    with ratings); everyone else calls `outcome_rating_add`.
    """
    _require_nurse(actor)
    client_problem = _problem_locked(client_problem)
    _choice(moment, RatingMoment, "moment")
    scores: dict[str, int | None] = {}
    errors: dict[str, Sequence[StrOrPromise]] = {}
    for field, value, optional in (
        ("knowledge", knowledge, False),
        ("behavior", behavior, False),
        ("status", status, False),
        ("expected_knowledge", expected_knowledge, True),
        ("expected_behavior", expected_behavior, True),
        ("expected_status", expected_status, True),
    ):
        try:
            scores[field] = _score(value, field, optional=optional)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if rated_on > (today or timezone.localdate()):
        errors["rated_on"] = [RATING_IN_FUTURE]
    elif rated_on < client_problem.identified_on:
        errors["rated_on"] = [
            RATING_BEFORE_IDENTIFIED.format(date=_day(client_problem.identified_on))
        ]
    if errors:
        raise ValidationError(errors)
    if (
        moment in (RatingMoment.ADMISSION, RatingMoment.DISCHARGE)
        and client_problem.ratings.filter(moment=moment).exists()
    ):
        label = RatingMoment(moment).label.lower()
        raise ValidationError({"moment": [RATING_MOMENT_TAKEN.format(moment=label)]})
    return _save(
        OutcomeRating(
            client_problem=client_problem,
            rated_on=rated_on,
            moment=moment,
            rated_by=actor,
            note=note.strip(),
            **scores,
        )
    )


@transaction.atomic
def outcome_rating_add(
    *,
    client_problem: ClientProblem,
    actor: User,
    rated_on: dt.date,
    moment: str,
    knowledge: int,
    behavior: int,
    status: int,
    expected_knowledge: int | None = None,
    expected_behavior: int | None = None,
    expected_status: int | None = None,
    note: str = "",
    today: dt.date | None = None,
) -> OutcomeRating:
    """`outcome_rating_append`, logged as a CREATE of the problem's rating."""
    rating = outcome_rating_append(
        client_problem=client_problem,
        actor=actor,
        rated_on=rated_on,
        moment=moment,
        knowledge=knowledge,
        behavior=behavior,
        status=status,
        expected_knowledge=expected_knowledge,
        expected_behavior=expected_behavior,
        expected_status=expected_status,
        note=note,
        today=today,
    )
    client_problem = rating.client_problem
    _log(actor, Action.CREATE, client_problem.client, "rating", client_problem.problem.code)
    return rating


# --- insurers (back office and administrators) -------------------------------------------------

UZOVI_TAKEN = _("Another insurer already has UZOVI code {uzovi}.")


def _insurer_save(insurer: Insurer, *, name: str, uzovi: str) -> Insurer:
    insurer.name, insurer.uzovi = name.strip(), uzovi.strip()
    if Insurer.objects.filter(uzovi=insurer.uzovi).exclude(pk=insurer.pk).exists():
        raise ValidationError({"uzovi": [UZOVI_TAKEN.format(uzovi=insurer.uzovi)]})
    insurer.full_clean()
    try:
        with transaction.atomic():
            insurer.save()
    except IntegrityError as exc:  # lost a race for the same UZOVI code
        raise ValidationError({"uzovi": [UZOVI_TAKEN.format(uzovi=insurer.uzovi)]}) from exc
    return insurer


@transaction.atomic
def insurer_create(*, name: str, uzovi: str, actor: User) -> Insurer:
    """Register an insurer. The UZOVI code (4 digits) is unique: the database holds it, and a
    lost race gives the same message as a taken code."""
    return _insurer_save(Insurer(), name=name, uzovi=uzovi)


@transaction.atomic
def insurer_update(*, insurer: Insurer, name: str, uzovi: str, actor: User) -> Insurer:
    """Rename an insurer or correct its UZOVI code. Lines already billed keep the code they
    were sent with (files are made from copies), so a correction changes only what comes."""
    insurer = Insurer.objects.select_for_update().get(pk=insurer.pk)
    return _insurer_save(insurer, name=name, uzovi=uzovi)
