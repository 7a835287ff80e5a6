from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from buurtzorg.access import role_required
from scheduling.setup.selectors import setup_checklist, setup_is_complete
from teams.models import Role


@require_GET
@role_required(Role.ADMIN)
def setup_start(request: HttpRequest) -> HttpResponse:
    """An administrator's start page: the checklist until everything on it is done."""
    return redirect("teams:team-list" if setup_is_complete() else "setup:checklist")


@require_GET
@role_required(Role.ADMIN)
def setup_checklist_page(request: HttpRequest) -> HttpResponse:
    items = setup_checklist()
    return render(
        request,
        "scheduling/setup_checklist.html",
        {
            "items": items,
            "done_count": sum(item.done for item in items),
            "complete": all(item.done for item in items),
        },
    )
