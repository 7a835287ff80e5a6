"""Back-office billing pages: runs (start, progress, pre-flight, finalise, download), contracts."""

import datetime as dt
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from buurtzorg.access import role_required
from buurtzorg.forms import add_service_errors
from buurtzorg.paging import page_without_count
from clients import services as clients_services
from scheduling import services as scheduling_services
from scheduling.billing import reads, selectors, services
from scheduling.billing.forms import (
    CareServiceForm,
    ContractForm,
    InsurerForm,
    ReturnFileForm,
    RunStartForm,
    TariffForm,
)
from scheduling.billing.vektis import reads as vektis_reads
from teams.http import AuthenticatedHttpRequest


def _done(request: AuthenticatedHttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _run_list_context(request: AuthenticatedHttpRequest, form: RunStartForm) -> dict:
    runs = selectors.billing_run_list_visible(user=request.user)
    return {"form": form, "page": page_without_count(runs, request.GET.get("page"), 25)}


@require_GET
@role_required(*selectors.BILLING_ROLES)
def run_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The back office's start page: start a run, and the history of runs."""
    template = "billing/run_list.html" + ("#run-rows" if request.htmx else "")
    return render(request, template, _run_list_context(request, RunStartForm()))


@require_POST
@role_required(*selectors.BILLING_ROLES)
def run_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = RunStartForm(request.POST)
    if form.is_valid():
        try:
            result = services.billing_run_request(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if result.started:
                messages.success(
                    request, _("Billing run for %(run)s started.") % {"run": result.run}
                )
            else:
                messages.info(
                    request,
                    _("The billing run for %(run)s is already working.") % {"run": result.run},
                )
            return _done(request, result.run.get_absolute_url())
    return render(request, "billing/run_list.html", _run_list_context(request, form))


@require_GET
@role_required(*selectors.BILLING_ROLES)
def run_detail(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    page = reads.billing_run_open(actor=request.user, public_id=public_id)
    context = {
        "run": page.run,
        "problems": page.problems,
        "blocking": page.blocking,
        "files": page.files,
        "summary": page.summary,
        "can_finalise": page.can_finalise,
        "can_rerun": page.can_rerun,
        "rejections": page.rejections,
        "return_form": ReturnFileForm(),
    }
    return render(request, "billing/run_detail.html", context)


@require_GET
@role_required(*selectors.BILLING_ROLES)
def run_progress(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """Polled by htmx while the run works; asks for a full reload once it is done."""
    run = selectors.billing_run_get_visible(user=request.user, public_id=public_id)
    response = render(request, "billing/run_detail.html#run-progress", {"run": run})
    if not run.is_working and request.GET.get("was") == "working":
        response["HX-Refresh"] = "true"
    return response


@require_POST
@role_required(*selectors.BILLING_ROLES)
def run_rerun(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    run = selectors.billing_run_get_visible(user=request.user, public_id=public_id)
    try:
        services.billing_run_request(period=run.period, insurer=run.insurer, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The run was queued again; it replaces the draft."))
    return _done(request, run.get_absolute_url())


@require_POST
@role_required(*selectors.BILLING_ROLES)
def run_check(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """Check again (after fixing something): the check runs in the worker."""
    run = selectors.billing_run_get_visible(user=request.user, public_id=public_id)
    try:
        services.billing_run_check_request(run=run)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.info(
            request,
            _("Pre-flight check started again: the list below shows its result when it is done."),
        )
    return _done(request, run.get_absolute_url() + "#preflight")


@require_POST
@role_required(*selectors.BILLING_ROLES)
def run_finalise(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    run = selectors.billing_run_get_visible(user=request.user, public_id=public_id)
    try:
        services.billing_run_finalise(run=run, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(run)s is finalised; its visits are now closed.") % {"run": run}
        )
    return _done(request, run.get_absolute_url())


@require_GET
@role_required(*selectors.BILLING_ROLES)
def file_download(request: AuthenticatedHttpRequest, public_id: UUID) -> FileResponse:
    run_file = reads.billing_file_open(actor=request.user, public_id=public_id)
    return FileResponse(
        run_file.file.open("rb"),
        as_attachment=True,
        filename=run_file.filename,
        content_type=run_file.content_type,
    )


# --- contracts and tariffs --------------------------------------------------------------------


@require_GET
@role_required(*selectors.CATALOGUE_ROLES)
def contract_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    contracts = selectors.contract_list_visible(user=request.user)
    return render(request, "billing/contract_list.html", {"contracts": contracts})


@require_http_methods(["GET", "POST"])
@role_required(*selectors.CATALOGUE_ROLES)
def contract_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    initial = {"insurer": request.GET.get("insurer"), "year": request.GET.get("year")}
    form = ContractForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.contract_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Contract %(contract)s added; now set its tariffs.") % {"contract": contract},
            )
            return _done(request, contract.get_absolute_url())
    return render(request, "billing/contract_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@role_required(*selectors.CATALOGUE_ROLES)
def contract_detail(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    contract = selectors.contract_get_visible(user=request.user, public_id=public_id)
    form = TariffForm(request.POST or None, initial={"valid_from": dt.date(contract.year, 1, 1)})
    if request.method == "POST" and form.is_valid():
        try:
            tariff = services.tariff_set(contract=contract, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Tariff %(tariff)s saved.") % {"tariff": tariff})
            return _done(request, contract.get_absolute_url())
    template = "billing/contract_detail.html" + (
        "#tariff-form" if request.htmx and request.method == "POST" else ""
    )
    return render(
        request,
        template,
        {
            "contract": contract,
            "form": form,
            "tariffs": selectors.contract_tariff_history(contract=contract),
        },
    )


# --- return messages (the run page's return section; scheduling.billing.vektis) -------------


@require_POST
@role_required(*selectors.BILLING_ROLES)
def run_return_upload(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """Upload the insurer's return message (AW320); its rejections appear on the run."""
    run = selectors.billing_run_get_visible(user=request.user, public_id=public_id)
    form = ReturnFileForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            stored = vektis_reads.return_file_upload(
                actor=request.user,
                run=run,
                filename=upload.name,
                content=upload.read(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Return message read: %(count)s rejected record(s).")
                % {"count": stored.rejected_count},
            )
            return _done(request, run.get_absolute_url() + "#returns")
    page = reads.billing_run_page(actor=request.user, run=run)
    context = {
        "run": page.run,
        "problems": page.problems,
        "blocking": page.blocking,
        "files": page.files,
        "summary": page.summary,
        "can_finalise": page.can_finalise,
        "can_rerun": page.can_rerun,
        "rejections": page.rejections,
        "return_form": form,
    }
    return render(request, "billing/run_detail.html", context)


@require_POST
@role_required(*selectors.BILLING_ROLES)
def rejection_ready(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """Back office fixed the cause: the next run declares the record again."""
    rejection = vektis_reads.rejection_get_visible(user=request.user, public_id=public_id)
    try:
        vektis_reads.rejection_fixed(actor=request.user, rejection=rejection)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Marked as fixed: the insurer's next run declares it again."))
    return _done(request, rejection.return_file.run.get_absolute_url() + "#returns")


# --- insurers and care services (back office and administrators) ------------------------------


@require_GET
@role_required(*selectors.CATALOGUE_ROLES)
def insurer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    insurers = selectors.insurer_list_visible(user=request.user)
    return render(request, "billing/insurer_list.html", {"insurers": insurers})


@require_http_methods(["GET", "POST"])
@role_required(*selectors.CATALOGUE_ROLES)
def insurer_form(request: AuthenticatedHttpRequest, public_id: UUID | None = None) -> HttpResponse:
    insurer = (
        selectors.insurer_get_visible(user=request.user, public_id=public_id) if public_id else None
    )
    initial = {"name": insurer.name, "uzovi": insurer.uzovi} if insurer else {}
    form = InsurerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if insurer:
                saved = clients_services.insurer_update(
                    insurer=insurer, actor=request.user, **form.cleaned_data
                )
            else:
                saved = clients_services.insurer_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Insurer %(insurer)s saved.") % {"insurer": saved})
            return _done(request, reverse("billing:insurer-list"))
    template = "billing/insurer_form.html" + (
        "#insurer-form" if request.htmx and request.method == "POST" else ""
    )
    return render(request, template, {"form": form, "insurer": insurer})


@require_GET
@role_required(*selectors.CATALOGUE_ROLES)
def care_service_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    rows = selectors.care_service_rows(
        selectors.care_service_list_visible(user=request.user), year=year
    )
    return render(request, "billing/care_service_list.html", {"rows": rows, "year": year})


@require_http_methods(["GET", "POST"])
@role_required(*selectors.CATALOGUE_ROLES)
def care_service_form(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    service = selectors.care_service_get_visible(user=request.user, pk=pk) if pk else None
    initial = (
        {"code": service.code, "name": service.name, "is_billable": service.is_billable}
        if service
        else {}
    )
    form = CareServiceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if service:
                saved = scheduling_services.care_service_update(
                    service=service, actor=request.user, **form.cleaned_data
                )
            else:
                saved = scheduling_services.care_service_create(
                    actor=request.user, **form.cleaned_data
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Care service %(service)s saved.") % {"service": saved})
            return _done(request, reverse("billing:care-service-list"))
    template = "billing/care_service_form.html" + (
        "#care-service-form" if request.htmx and request.method == "POST" else ""
    )
    return render(request, template, {"form": form, "service": service})
