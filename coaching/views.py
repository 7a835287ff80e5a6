"""Messaging pages: spaces, threads, posts, decisions and file downloads.

Every page works without JavaScript (plain forms and links); htmx adds polling for new posts
and in-place form errors. Who sees what is decided only by `coaching.selectors`.
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from html import escape
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from buurtzorg.access import role_required
from buurtzorg.forms import add_service_errors
from coaching import selectors, services
from coaching.figures import (
    DEFAULT_SORT,
    DEFINITIONS,
    TeamFigures,
    all_team_figures,
    dashboard_sort,
    default_period,
    figure_medians,
    sparkline_points,
    team_figures,
)
from coaching.filetypes import served_name
from coaching.forms import PeriodForm, PostForm, ThreadForm
from coaching.incidents.reads import incident_trends_read
from coaching.models import Thread
from omaha.models import Problem
from teams.http import AuthenticatedHttpRequest
from teams.models import Role, Team
from teams.selectors import team_for_nurse

POLL_SECONDS = 4
# each team's row shows the incident counts of this month and the two before (the trend); the
# six-month table is on the incidents page
DASHBOARD_INCIDENT_MONTHS = 3


def _done(request: AuthenticatedHttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_GET
@role_required(Role.NURSE, Role.COACH)
def space_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    # Read only: a team's space is made with the team (teams.services.team_create runs
    # coaching.services.space_for_team) and migration 0005 made those of older teams.
    spaces = selectors.space_list_with_unread(user=request.user)
    mentions = selectors.notification_list_unread(user=request.user)[:20]
    unread_posts = selectors.unread_latest_posts(user=request.user)
    return render(
        request,
        "coaching/space_list.html",
        {"spaces": spaces, "mentions": mentions, "unread_posts": unread_posts},
    )


@require_GET
@role_required(Role.NURSE, Role.COACH)
def thread_list(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """A space's threads; in the channel `?problem=<code>` finds questions about a problem."""
    space = selectors.space_get_visible(user=request.user, public_id=public_id)
    threads = selectors.thread_list_for_space(user=request.user, space=space)
    problem_code = request.GET.get("problem", "")
    problem = None
    if space.is_organisation and problem_code:
        problem = Problem.objects.filter(code=problem_code).first()
        threads = threads.filter(problems=problem) if problem else threads.none()
    context = {
        "space": space,
        "threads": threads[:100],
        "problem": problem,
        "problem_code": problem_code,
        "problems": Problem.objects.order_by("number") if space.is_organisation else [],
    }
    template = "coaching/thread_list.html" + ("#thread-rows" if request.htmx else "")
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE, Role.COACH)
def thread_create(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    space = selectors.space_get_visible(user=request.user, public_id=public_id)
    form = ThreadForm(request.POST or None, request.FILES or None, channel=space.is_organisation)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_start(
                space=space,
                author=request.user,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                is_question=form.cleaned_data.get("is_question", False),
                problems=form.cleaned_data.get("problems") or [],
                files=form.cleaned_data["files"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(request, thread.get_absolute_url())
    template = "coaching/thread_form.html" + ("#thread-form" if request.htmx else "")
    return render(request, template, {"space": space, "form": form})


def _thread_context(
    request: AuthenticatedHttpRequest, thread: Thread, form: PostForm | None
) -> dict:
    posts = list(selectors.post_list_for_thread(thread=thread))
    return {
        "thread": thread,
        "space": thread.space,
        "posts": posts,
        "last_id": posts[-1].pk if posts else 0,
        "form": form or PostForm(),
        "poll_seconds": POLL_SECONDS,
        "can_decide": not thread.space.is_organisation,
    }


@require_GET
@role_required(Role.NURSE, Role.COACH)
def thread_detail(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    thread = selectors.thread_get_visible(user=request.user, public_id=public_id)
    context = _thread_context(request, thread, None)
    services.thread_mark_read(thread=thread, person=request.user)
    return render(request, "coaching/thread_detail.html", context)


@require_GET
@role_required(Role.NURSE, Role.COACH)
def post_poll(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """Posts after `?after=<id>` plus a fresh poller: htmx swaps this over the old poller."""
    thread = selectors.thread_get_visible(user=request.user, public_id=public_id)
    try:
        after = max(int(request.GET.get("after", "0")), 0)
    except ValueError:
        after = 0
    posts = list(selectors.post_list_for_thread(thread=thread, after_id=after))
    if posts:
        services.thread_mark_read(thread=thread, person=request.user)
    context = {
        "thread": thread,
        "new_posts": posts,
        "last_id": posts[-1].pk if posts else after,
        "poll_seconds": POLL_SECONDS,
        "can_decide": not thread.space.is_organisation,
    }
    return render(request, "coaching/thread_detail.html#new-posts", context)


def _reply_posted(request: AuthenticatedHttpRequest, thread: Thread) -> HttpResponse:
    """The answer to a reply sent with htmx: an empty form, and the posts after the page's last
    one (`after`, sent from the poller by static/js/app.js), the new reply among them, so it
    appears at once instead of at the next poll."""
    try:
        after = max(int(request.POST.get("after", "0")), 0)
    except ValueError:
        after = 0
    posts = list(selectors.post_list_for_thread(thread=thread, after_id=after))
    context = {
        "thread": thread,
        "form": PostForm(),
        "new_posts": posts,
        "last_id": posts[-1].pk if posts else after,
        "poll_seconds": POLL_SECONDS,
        "can_decide": not thread.space.is_organisation,
    }
    return render(request, "coaching/thread_detail.html#reply-posted", context)


@require_POST
@role_required(Role.NURSE, Role.COACH)
def post_create(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    thread = selectors.thread_get_visible(user=request.user, public_id=public_id)
    form = PostForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            post = services.post_reply(
                thread=thread,
                author=request.user,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if request.htmx:
                return _reply_posted(request, thread)
            return _done(request, f"{thread.get_absolute_url()}#post-{post.public_id}")
    template = "coaching/thread_detail.html" + ("#reply-form" if request.htmx else "")
    return render(request, template, _thread_context(request, thread, form))


@require_POST
@role_required(Role.NURSE, Role.COACH)
def post_decision(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    post = selectors.post_get_visible(user=request.user, public_id=public_id)
    is_decision = request.POST.get("is_decision") == "1"
    try:
        services.post_set_decision(post=post, actor=request.user, is_decision=is_decision)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Marked as a team decision.") if is_decision else _("No longer a decision.")
        )
    return redirect(f"{post.thread.get_absolute_url()}#post-{post.public_id}")


@require_GET
@role_required(Role.NURSE, Role.COACH)
def decision_list(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    space = selectors.space_get_visible(user=request.user, public_id=public_id)
    decisions = selectors.decision_list_for_space(space=space)[:200]
    return render(request, "coaching/decision_list.html", {"space": space, "decisions": decisions})


@require_GET
@role_required(Role.NURSE, Role.COACH)
def attachment_download(request: AuthenticatedHttpRequest, public_id: UUID) -> FileResponse:
    """Served only to people who can see the post, always as a download of the sniffed type."""
    attachment = selectors.attachment_get_visible(user=request.user, public_id=public_id)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=served_name(attachment.original_name, attachment.content_type),
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"  # (SecurityMiddleware sets it too)
    return response


@require_GET
@role_required(Role.NURSE, Role.COACH)
def problem_questions(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """ "Who solved this before?": answered questions to all teams about one Omaha problem.

    Linked from a client's problem card without any query there (the link needs only the code).
    """
    problem = get_object_or_404(Problem, code=code)
    channel = selectors.organisation_space_get()
    threads = selectors.answered_questions_for_problem(problem=problem, limit=50)
    return render(
        request,
        "coaching/problem_questions.html",
        {"problem": problem, "threads": threads, "channel": channel},
    )


# ---------------------------------------------------------------------------------------------
# dashboards

MEDIANS_CACHE_SECONDS = 15 * 60


def _period(request: AuthenticatedHttpRequest) -> tuple[PeriodForm, dt.date, dt.date]:
    """The period from `?start=&end=`, or the last four weeks; a bad period falls back too."""
    start, end = default_period(timezone.localdate())
    default = {"start": start, "end": end}
    form = PeriodForm(request.GET if "start" in request.GET else None, initial=default)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, default["start"], default["end"]


# the dashboard's columns: sort key (None: not sortable), heading; the first click on a
# column in FIRST_DESCENDING shows the most first (most gaps, most unread)
FIRST_DESCENDING = {"gaps", "late_share", "active_clients", "nurses", "unread"}


def _columns(sort: str, period: dict[str, str]) -> list[dict]:
    labels = {key: label for key, (label, _definition) in DEFINITIONS.items()}
    heads = [
        ("team", _("Team")),
        ("light", _("Status")),
        ("gaps", labels["gaps"]),
        ("productivity", labels["productivity"]),
        (None, _("Trend")),
        ("visits", labels["visits"]),
        ("late_share", labels["late_share"]),
        ("active_clients", labels["active_clients"]),
        ("nurses", labels["nurses"]),
        ("outcomes", labels["outcomes"]),
        ("unread", _("Unread")),
        (None, _("Incidents")),
    ]
    current, descending = sort.removeprefix("-"), sort.startswith("-")
    columns = []
    for key, label in heads:
        column: dict = {"key": key, "label": label, "aria_sort": ""}
        if key is not None:
            if key == current:
                column["aria_sort"] = "descending" if descending else "ascending"
                next_sort = key if descending else f"-{key}"
            else:
                next_sort = f"-{key}" if key in FIRST_DESCENDING else key
            column["url"] = "?" + urlencode({"sort": next_sort, **period})
        columns.append(column)
    return columns


def _url_for_public_id(name: str) -> Callable[[UUID], str]:
    """The URL `name` of any public id, reversed once per page instead of once per row."""
    placeholder = str(UUID(int=0))
    pattern = reverse(name, args=[placeholder])
    return lambda public_id: pattern.replace(placeholder, str(public_id))


def _dashboard_labels() -> dict[str, str]:
    """The words every row repeats (cell labels for the phone cards, the sparkline's title),
    translated and escaped once per page."""
    labels = {key: str(label) for key, (label, _definition) in DEFINITIONS.items()}
    words = {
        "status": _("Status"),
        "gaps": labels["gaps"],
        "productivity": labels["productivity"],
        "trend": _("Trend"),
        "visits": labels["visits"],
        "late_share": labels["late_share"],
        "active_clients": labels["active_clients"],
        "nurses": labels["nurses"],
        "improved": _("Improved"),
        "unread": _("Unread"),
        "incidents": _("Incidents"),
        "none": _("none"),
        "falling": _("productivity falling"),
        "spark": _("Productivity per week, last 12 weeks"),
        "latest_week": _("latest week"),
        "no_visits": _("no visits logged in the last 12 weeks"),
        "messages": _("Messages"),
        "this_month": _("this month"),
    }
    return {key: escape(text) for key, text in words.items()}


# One team's row of the dashboard's table (a card on a phone; CSS decides), written here and
# not in the template: 50 rows of some 40 variables each were the page's largest cost in the
# template engine. Every value is escaped, as the template would (`_dashboard_rows`); `label_*`
# are the per-page words of `_dashboard_labels`.
_ROW = """
    <tr class="team-row light-row-{light_level}">
      <th scope="row" class="dash-team"><a href="{url}">{name}</a></th>
      <td class="dash-status" data-label="{label_status}"><span class="light light-{light_level}" aria-hidden="true"></span> {light_text}</td>
      <td data-label="{label_gaps}">{gaps}</td>
      <td data-label="{label_productivity}">{productivity}</td>
      <td class="dash-trend" data-label="{label_trend}">{trend}
</td>
      <td data-label="{label_visits}">{visits}</td>
      <td data-label="{label_late_share}">{late_share}</td>
      <td data-label="{label_active_clients}">{active_clients}</td>
      <td data-label="{label_nurses}">{nurses}</td>
      <td data-label="{label_improved}">{outcomes}</td>
      <td data-label="{label_unread}">{unread}</td>
      <td class="dash-incidents" data-label="{label_incidents}">{incidents}</td>
    </tr>
    {split_nudge}
  """  # noqa: E501 - the row's markup, one line per cell
_SPARK = """<p class="sparkline-row"><svg class="sparkline" viewBox="-2 0 124 32" width="88" height="32" role="img" aria-label="{label_spark}">
  <title>{label_spark}</title>
  <polyline points="{points}" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>
</svg>{last}</p>"""  # noqa: E501
_SPLIT_NUDGE = (
    '<tr class="dash-note"><td colspan="{colspan}"><p class="msg msg-warning">{name}: {nudge}'
    "</p></td></tr>"
)


def _dashboard_rows(
    figures: list[TeamFigures],
    incidents: dict[int, dict],
    spaces: dict[int, UUID],
    *,
    period_query: str,
    incidents_url: str,
    colspan: int,
) -> list[SafeString]:
    """The table's rows, one per team (and a note under a team that should split), as HTML.

    Why not the template: with 50 teams, the template engine resolving, escaping and
    formatting every cell was the largest part of the page's time; here each row is one
    `str.format` of values escaped as the template escapes them (`html.escape`, which
    Django's `escape` calls, without its check for lazy strings: these are all `str`), and
    numbers localized as the template does, once per distinct number.
    """
    team_url = _url_for_public_id("coaching:team-figures")
    space_url = _url_for_public_id("coaching:thread-list")
    labels = {f"label_{key}": text for key, text in _dashboard_labels().items()}
    month_names: dict[dt.date, str] = {}  # the same three months in every row: named once
    incidents_href = escape(incidents_url)
    numbers: dict[int, str] = {}

    def number(n: int) -> str:
        if n not in numbers:
            numbers[n] = localize(n)
        return numbers[n]

    rows = []
    for f in figures:
        light = f.light
        name = escape(f.team.name)
        gaps = (
            '<span class="pill bad">{}</span>'.format(
                escape(
                    ngettext("%(counter)s rota gap", "%(counter)s rota gaps", f.gap_count)
                    % {"counter": f.gap_count}
                )
            )
            if f.gap_count
            else labels["label_none"]
        )
        productivity = escape(f.text("productivity"))
        if f.productivity_light:
            productivity = (
                f'<span class="light light-{f.productivity_light}" aria-hidden="true"></span> '
                + productivity
            )
        if f.productivity_falling:
            productivity += f' <span class="pill warn">{labels["label_falling"]}</span>'
        points = sparkline_points(f.weekly_productivity)
        if points:
            spark_last = f.spark_last
            trend = _SPARK.format(
                label_spark=labels["label_spark"],
                points=points,
                last=(
                    ' <span class="sparkline-last"><span class="sr-only">'
                    f"{labels['label_latest_week']} </span>{escape(spark_last)}</span>"
                    if spark_last
                    else ""
                ),
            )
        else:
            trend = f'<span class="muted small">{labels["label_no_visits"]}</span>'
        space = spaces.get(f.team.pk)
        unread = f'<a href="{space_url(space)}">{labels["label_messages"]}</a>' if space else ""
        if f.unread:
            unread += ' <span class="pill">{}</span>'.format(
                escape(
                    ngettext("%(counter)s unread", "%(counter)s unread", f.unread)
                    % {"counter": f.unread}
                )
            )
        split_nudge = f.split_nudge
        rows.append(
            SafeString(
                _ROW.format(
                    **labels,
                    light_level=light.level,
                    url=escape(team_url(f.team.public_id) + period_query),
                    name=name,
                    light_text=escape(light.text),
                    gaps=gaps,
                    productivity=productivity,
                    trend=trend,
                    visits=escape(f.text("visits")),
                    late_share=escape(f.text("late_share")),
                    active_clients=number(f.active_clients),
                    nurses=number(f.nurses),
                    outcomes=escape(_pct_text(f.improved_share)),
                    unread=unread,
                    incidents=_incidents_cell(
                        incidents.get(f.team.pk), month_names, incidents_href, labels
                    ),
                    split_nudge=(
                        _SPLIT_NUDGE.format(colspan=colspan, name=name, nudge=escape(split_nudge))
                        if split_nudge
                        else ""
                    ),
                )
            )
        )
    return rows


def _incidents_cell(
    inc: dict | None, month_names: dict[dt.date, str], href: str, labels: dict[str, str]
) -> str:
    """The team's incident counts (open, and per month with this month's kinds), as HTML: no
    client details."""
    if inc is None:
        return ""
    months = []
    for m in inc["months"]:
        if m["month"] not in month_names:
            month_names[m["month"]] = date_format(m["month"], "M")
        months.append(
            f'<span class="incident-month">{escape(month_names[m["month"]])} {m["total"]}</span>'
        )
    cell = f'<a href="{href}">{" · ".join(months)}</a>'
    if inc["open"]:
        open_text = ngettext("%(counter)s open", "%(counter)s open", inc["open"]) % {
            "counter": inc["open"]
        }
        cell += f' <span class="pill warn">{escape(open_text)}</span>'
    kinds = ", ".join(f"{label}: {n}" for label, n in inc["months"][-1]["kind_counts"])
    if kinds:
        cell += f' <span class="small muted">({labels["label_this_month"]}: {escape(kinds)})</span>'
    return cell


def _pct_text(value: Decimal | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


@require_GET
@role_required(Role.COACH)
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The coach's start page: one row per team (a card on a phone), what needs attention
    first, or sorted by a column (`?sort=`, server-side, works without JavaScript)."""
    form, start, end = _period(request)
    today = timezone.localdate()
    teams = selectors.figures_teams_visible(user=request.user)
    figures = team_figures(teams=teams, start=start, end=end, today=today, cached=True)
    spaces = selectors.unread_per_space(user=request.user)
    unread = {team_id: n for team_id, _space, n in spaces if team_id}
    for f in figures:
        f.unread = unread.get(f.team.pk, 0)
    figures, sort = dashboard_sort(figures, request.GET.get("sort", DEFAULT_SORT))
    period = {"start": start.isoformat(), "end": end.isoformat()}
    incidents = {
        t["team"].pk: t
        for t in incident_trends_read(
            actor=request.user, months=DASHBOARD_INCIDENT_MONTHS, today=today, teams=teams
        )
    }
    columns = _columns(sort, period)
    context = {
        "rows": _dashboard_rows(
            figures,
            incidents,
            {team_id: space for team_id, space, _n in spaces if team_id},
            period_query="?" + urlencode(period),
            incidents_url=reverse("incidents:trends"),
            colspan=len(columns),
        ),
        "columns": columns,
        "sort": "" if sort == DEFAULT_SORT else sort,
        "definitions": [{"label": lb, "definition": d} for lb, d in DEFINITIONS.values()],
        "as_of": _as_of(figures),
        "form": form,
        "start": start,
        "end": end,
        # the same numbers as the Messages badge, so the context processor need not count
        "nav_unread": sum(n for _team, _space, n in spaces),
    }
    return render(request, "coaching/dashboard.html", context)


def _as_of(figures: list[TeamFigures]) -> dt.datetime | None:
    """The oldest summary refresh behind the figures (None: all computed live)."""
    stamps = [f.as_of for f in figures if f.as_of is not None]
    return timezone.localtime(min(stamps)) if stamps else None


def _all_team_medians(start: dt.date, end: dt.date) -> dict:
    """Median of every active team, cached: it is the same for every nurse who asks."""
    key = f"coaching:medians:{start}:{end}:{timezone.localdate()}"
    medians = cache.get(key)
    if medians is None:
        medians = figure_medians(all_team_figures(start=start, end=end))
        cache.set(key, medians, MEDIANS_CACHE_SECONDS)
    return medians


def _team_page(request: AuthenticatedHttpRequest, team: Team) -> HttpResponse:
    form, start, end = _period(request)
    (figures,) = team_figures(teams=[team], start=start, end=end)
    medians = _all_team_medians(start, end)
    return render(
        request,
        "coaching/team_dashboard.html",
        {
            "team": team,
            "f": figures,
            "rows": figures.rows(medians),
            "spark": sparkline_points(figures.weekly_productivity),
            "as_of": _as_of([figures]),
            "form": form,
            "start": start,
            "end": end,
        },
    )


@require_GET
@role_required(Role.NURSE)
def team_dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Our figures": the nurse's own team next to the (anonymous) median of all teams."""
    team = team_for_nurse(nurse=request.user)
    if team is None:
        return render(request, "coaching/team_dashboard.html", {"team": None})
    return _team_page(request, team)


@require_GET
@role_required(Role.NURSE, Role.COACH)
def team_figures_page(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    team = selectors.figures_team_get_visible(user=request.user, public_id=public_id)
    return _team_page(request, team)
