"""CSV and PDF of an outcome report, from its computed result (plain data)."""

from collections.abc import Iterator
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buurtzorg.csvsafe import reader_csv_rows
from omaha.reports.charts import bar_chart
from omaha.reports.models import OutcomeReport
from scheduling.billing.files import render_pdf

# Column names; the rows under them stay keys ("kbs", "share_improved") that a program reads.
CSV_HEADER = [
    gettext_lazy("section"),
    gettext_lazy("group"),
    gettext_lazy("item"),
    gettext_lazy("measure"),
    gettext_lazy("value"),
]


def report_csv_lines(
    report: OutcomeReport, result: dict[str, Any], language: str | None = None
) -> Iterator[str]:
    """The report as a spreadsheet CSV for a reader of `language` (`;` and 0,5 in Dutch)."""
    with translation.override(language or translation.get_language()):
        header = [str(name) for name in CSV_HEADER]

    def rows() -> Iterator[list[Any]]:
        yield header
        yield ["summary", result["scope"], "", "clients", result["clients"]]
        for row in result["clients_by_domain"]:
            yield ["clients_by_domain", row["domain"], "", "clients", row["clients"]]
        for row in result["problems"]:
            item = f"{row['code']} {row['problem']}"
            yield ["problems", row["domain"], item, "clients", row["clients"]]
        for row in result["kbs"]:
            item = f"{row['code']} {row['problem']}"
            for key in ("rated", "k0", "b0", "s0", "k1", "b1", "s1", "share_improved"):
                yield ["kbs", "", item, key, row[key]]
        for row in result["interventions"]:
            yield ["interventions", row["category"], row["target"], "count", row["count"]]
        hours = result["hours"]
        for key in ("clients_with_care", "total_hours", "mean_hours", "median_hours", "max_hours"):
            yield ["hours", "", "", key, hours[key]]
        for bucket in hours["buckets"]:
            yield ["hours_distribution", "", bucket["label"], "clients", bucket["clients"]]
        for row in result.get("per_client", []):
            yield ["per_client", row["client"], "", "hours", row["hours"]]

    return reader_csv_rows(rows(), language=language)


def report_csv_bytes(
    report: OutcomeReport, result: dict[str, Any], language: str | None = None
) -> bytes:
    return "".join(report_csv_lines(report, result, language)).encode("utf-8")


def report_charts(result: dict[str, Any]) -> dict[str, str]:
    top_kbs = sorted(result["kbs"], key=lambda r: -r["rated"])[:12]
    return {
        "domains": bar_chart(
            title=_("Clients per Omaha domain"),
            labels=[r["domain"] for r in result["clients_by_domain"]],
            series=[(_("clients"), [r["clients"] for r in result["clients_by_domain"]])],
        ),
        "kbs": bar_chart(
            title=_("Mean status (S) at admission and latest, per problem"),
            labels=[r["problem"] for r in top_kbs],
            series=[
                (_("admission"), [r["s0"] for r in top_kbs]),
                (_("latest"), [r["s1"] for r in top_kbs]),
            ],
            max_value=5,
        ),
        "hours": bar_chart(
            title=_("Clients by hours of care in the period"),
            labels=[b["label"] for b in result["hours"]["buckets"]],
            series=[(_("clients"), [b["clients"] for b in result["hours"]["buckets"]])],
        ),
    }


def report_pdf_html(
    report: OutcomeReport, result: dict[str, Any], language: str | None = None
) -> str:
    """The PDF's HTML in the reader's `language` (default: the active one)."""
    with translation.override(language or translation.get_language()):
        return render_to_string(
            "reports/outcome_pdf.html",
            {"report": report, "result": result, "charts": report_charts(result)},
        )


def report_pdf_bytes(
    report: OutcomeReport, result: dict[str, Any], language: str | None = None
) -> bytes:
    return render_pdf(report_pdf_html(report, result, language))
