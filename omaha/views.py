"""The Omaha System vocabulary browser (search by word or code)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from buurtzorg.access import role_required
from omaha.models import OMAHA_SYSTEM_URI
from omaha.selectors import (
    category_list,
    modifier_list,
    problem_search,
    rating_scale,
    target_list,
)
from teams.http import AuthenticatedHttpRequest
from teams.models import Role


@require_GET
@role_required(Role.NURSE, Role.COACH, Role.BACK_OFFICE, Role.ADMIN)
def vocabulary_browser(request: AuthenticatedHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:80]
    problems = list(problem_search(query=query))
    domains: dict[str, dict] = {}
    for problem in problems:
        entry = domains.setdefault(problem.domain.code, {"domain": problem.domain, "problems": []})
        entry["problems"].append(problem)
    context = {
        "q": query,
        "domains": list(domains.values()),
        "problem_count": len(problems),
        "targets": list(target_list(query=query)),
        "categories": category_list(),
        "modifiers": modifier_list(),
        "scale": rating_scale(),
        "system_uri": OMAHA_SYSTEM_URI,
    }
    template = "omaha/vocabulary_browser.html" + ("#vocabulary-results" if request.htmx else "")
    return render(request, template, context)
