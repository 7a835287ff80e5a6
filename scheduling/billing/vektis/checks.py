"""Pre-flight checks of the declaration file's own rules (called by
`scheduling.billing.selectors.billing_run_preflight`; add more checks here).

- rejections the insurer returned that are still open, with their reason: fix, then mark
  them fixed so the next run declares them again;
- service codes that are not in the code list (`codes.SERVICE_CODES`) for the year of care.
"""

from typing import Any

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext

from scheduling.billing.models import BillingRun, Rejection, RejectionStatus
from scheduling.billing.vektis.codes import return_code_text, service_code_for

EXAMPLES = 20


def _run_link(run: BillingRun, anchor: str) -> str:
    return reverse("billing:run-detail", args=[run.public_id]) + anchor


def rejections_preflight(run: BillingRun, problem: Any) -> list:
    """One problem per open rejection of the run's insurer(s) (at most EXAMPLES, then a
    count). Not blocking: the run may go out, the rejected record follows once fixed."""
    open_ = Rejection.objects.filter(status=RejectionStatus.OPEN)
    if run.insurer_id:
        open_ = open_.filter(line__client__insurer_id=run.insurer_id)
    open_ = open_.select_related("line__client", "return_file__run").order_by("pk")
    total = open_.count()
    problems = []
    for rejection in open_[:EXAMPLES]:
        line = rejection.line
        reasons = "; ".join(f"{c} {return_code_text(c)}" for c in rejection.codes)
        problems.append(
            problem(
                code="rejected_by_insurer",
                message=gettext(
                    "The insurer rejected %(service)s for %(client)s on %(when)s (reference "
                    "%(reference)s): %(reasons)s Fix it, then mark it fixed to declare it again."
                )
                % {
                    "service": line.service_code,
                    "client": line.client.full_name,
                    "when": (
                        formats.date_format(line.service_date)
                        if line.service_date
                        else formats.date_format(line.period, "YEAR_MONTH_FORMAT")
                    ),
                    "reference": rejection.reference,
                    "reasons": reasons,
                },
                link=_run_link(rejection.return_file.run, "#returns"),
                link_label=gettext("Rejections"),
                blocking=False,
            )
        )
    if total > EXAMPLES:
        problems.append(
            problem(
                code="rejected_by_insurer",
                message=gettext("… and %(count)s more rejected records.")
                % {"count": total - EXAMPLES},
                blocking=False,
            )
        )
    return problems


def service_codes_preflight(run: BillingRun, problem: Any) -> list:
    """Service codes of the run's lines that the code list does not have for the year."""
    pairs = run.lines.values_list("service_code", "period__year").distinct()
    unknown = sorted({(code, year) for code, year in pairs if service_code_for(code, year) is None})
    return [
        problem(
            code="service_code_not_listed",
            message=gettext(
                "Service code %(code)s is not in the district-nursing code list for %(year)s; "
                "the insurer will reject its lines. Give the care service its official code."
            )
            % {"code": code, "year": year},
            link=reverse("admin:scheduling_careservice_changelist") if _has_admin() else "",
            link_label=gettext("Care services"),
            # a warning while the code list is unverified (see codes.py)
            blocking=False,
        )
        for code, year in unknown
    ]


def _has_admin() -> bool:
    try:
        reverse("admin:scheduling_careservice_changelist")
    except Exception:  # noqa: BLE001 - the admin may not be installed
        return False
    return True


def vektis_preflight(run: BillingRun, problem: Any) -> list:
    """Every check of this module (the pre-flight calls this one)."""
    return rejections_preflight(run, problem) + service_codes_preflight(run, problem)


def declaration_final_problems(run: BillingRun) -> list[str]:
    """The stored declaration files checked with every mandatory field (before finalising).

    A draft may lack what the pre-flight blocks on (records.DRAFT_TOLERATED); this is the
    last check that what is sent passes its layout. [] when every file may be sent.
    """
    from scheduling.billing.exporters import get_exporter  # cycle: exporters use vektis
    from scheduling.billing.models import FileKind
    from scheduling.billing.vektis.records import AW319_VALIDATOR

    if get_exporter().code != "nl-wv":
        return []  # another country's exporter has its own rules
    problems: list[str] = []
    for row in run.files.filter(kind=FileKind.DECLARATION).order_by("filename"):
        with row.file.open("rb") as handle:  # read in blocks: a national file is ~470 MB
            found = AW319_VALIDATOR.validate_stream(handle)
        problems += [f"{row.filename}: {problem}" for problem in found]
    return problems
