"""Follow-up reports for staff: the chooser, one löfte's report, and cross-kommun overviews.

Every view checks the user's scope (pledges.scoping) before it reads any data, and answers
bad parameters with a Swedish 400 page, never a 500. The scope is the local one
(`local_municipalities_for`): a kommun's reports and drafts need a membership of the kommun
or its police area; the national administrators' group, which manages staff and the
national tables, reads none by itself (a superuser reads every one).
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core.converters import parse_id
from pledges.models import County, FollowUp, Pledge, PoliceRegion
from pledges.scoping import local_municipalities_for, local_police_areas_for
from reports import exports, periods, sections
from reports.document import round_period
from reports.forms import ReportForm

FORMATS = ("html", "pdf", "docx", "xlsx", "csv")


def error_page(request, message, status):
    return render(
        request, "reports/error.html", {"message": message, "status": status}, status=status
    )


def forbidden(request):
    return error_page(request, _("Du har inte behörighet till rapporter för det här området."), 403)


def staff_only(view):
    """Login required (anonymous users go to the login page); logged-in users who are not
    staff get a 403."""

    @login_required
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_staff):
            return forbidden(request)
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def read_format(request):
    fmt = request.GET.get("format", "html") or "html"
    if fmt not in FORMATS:
        raise periods.PeriodError(_("Okänt format. Välj html, pdf, docx, xlsx eller csv."))
    return fmt


def render_report(request, report, fmt, base_query):
    if fmt == "csv":
        key = request.GET.get("tabell", "")
        if key and key not in {section.key for section in report.sections}:
            return error_page(request, _("Okänd tabell. Välj en av rapportens tabeller."), 400)
        return exports.report_csv(report, key)
    if fmt == "xlsx":
        return exports.report_xlsx(report)
    if fmt == "pdf":
        return exports.report_pdf(report, request)
    if fmt == "docx":
        from reports.docx import report_docx

        if report.document is None:
            return error_page(request, _("Word finns bara för ett enskilt löftes rapport."), 400)

        return report_docx(report.document)
    if report.document is not None:
        # The document, then the same tables the XLSX and CSV carry.
        return render(
            request,
            "reports/document.html",
            {
                "doc": report.document,
                "report": report,
                "sections": [s.materialize() for s in report.sections if s.in_html],
                "links": document_links(base_query),
                "table_links": table_links(report, base_query),
            },
        )
    shown = [section.materialize() for section in report.sections if section.in_html]
    links = [
        (label, "?" + urlencode({**base_query, "format": code}))
        for code, label in (
            ("pdf", "PDF"),
            ("xlsx", "Excel (XLSX)"),
            ("csv", _("CSV, en fil per tabell (ZIP)")),
        )
    ]
    return render(
        request,
        "reports/report.html",
        {
            "report": report,
            "sections": shown,
            "links": links,
            "table_links": table_links(report, base_query),
        },
    )


def table_links(report, base_query):
    """One CSV link per table of the report: each table its own file."""
    return [
        (section.title, "?" + urlencode({**base_query, "format": "csv", "tabell": section.key}))
        for section in report.sections
    ]


def read_follow_up(request, pledge):
    """The follow-up round `?uppfoljning=<id>` of this löfte, or None."""
    value = request.GET.get("uppfoljning", "")
    if not value:
        return None
    follow_up = None
    follow_up_id = parse_id(value)
    if follow_up_id is not None:
        follow_up = FollowUp.objects.filter(pledge=pledge, pk=follow_up_id).first()
    if follow_up is None:
        raise periods.PeriodError(_("Uppföljningen finns inte för det här löftet."))
    return follow_up


def document_links(base_query):
    return [
        (label, "?" + urlencode({**base_query, **extra}))
        for label, extra in (
            ("PDF", {"format": "pdf"}),
            (_("PDF med bilaga över insatserna"), {"format": "pdf", "bilaga": "1"}),
            ("Word (DOCX)", {"format": "docx"}),
            (_("Word med bilaga över insatserna"), {"format": "docx", "bilaga": "1"}),
            ("Excel (XLSX)", {"format": "xlsx"}),
            (_("CSV, en fil per tabell (ZIP)"), {"format": "csv"}),
        )
    ]


@require_safe
@staff_only
def index(request):
    form = ReportForm(request.GET or None, user=request.user)
    if request.GET and form.is_valid():
        return redirect(form.target_url())
    return render(request, "reports/index.html", {"form": form}, status=400 if form.errors else 200)


@require_safe
@staff_only
def pledge_report(request, pledge_id):
    # Out of scope answers like missing: the status must not tell that a draft exists.
    pledge = get_object_or_404(
        Pledge.objects.select_related("municipality", "police_area").filter(
            municipality__in=local_municipalities_for(request.user).values("pk")
        ),
        pk=pledge_id,
    )
    try:
        fmt = read_format(request)
        follow_up = read_follow_up(request, pledge)
        # From a follow-up round: that round's period; else the löfte's own period.
        default = (
            round_period(follow_up, pledge)
            if follow_up
            else periods.Period(pledge.start_date, pledge.end_date)
        )
        period = periods.parse_period(
            request.GET.get("fran"),
            request.GET.get("till"),
            default_start=default.start,
            default_end=default.end,
        )
    except periods.PeriodError as error:
        return error_page(request, str(error), 400)
    with_appendix = request.GET.get("bilaga") == "1"
    report = sections.pledge_report(
        pledge, period, follow_up=follow_up, with_appendix=with_appendix
    )
    query = {"fran": period.start.isoformat(), "till": period.end.isoformat()}
    if follow_up is not None:
        query["uppfoljning"] = follow_up.pk
    return render_report(request, report, fmt, query)


LEVEL_LABELS = {
    "kommun": gettext_lazy("Kommun"),
    "lpo": gettext_lazy("Lokalpolisområde"),
    "lan": gettext_lazy("Län"),
    "region": gettext_lazy("Polisregion"),
    "land": gettext_lazy("Hela landet"),
}


def resolve_level(user, level, ident):
    """(label, name, slug, pledges) for a level of the overview, or raises PermissionError
    when the user may not see that level at all. A kommun or area outside the user's scope
    is a 404, the same answer as an unknown one."""
    if level == "kommun":
        municipality = get_object_or_404(local_municipalities_for(user), slug=ident)
        return (
            municipality.name,
            municipality.slug,
            Pledge.objects.filter(municipality=municipality),
        )
    if level == "lpo":
        area = get_object_or_404(local_police_areas_for(user), slug=ident)
        return (
            area.name,
            area.slug,
            Pledge.objects.filter(
                Q(police_area=area) | Q(municipality__police_areas=area)
            ).distinct(),
        )
    if not user.is_superuser:
        raise PermissionError
    if level == "lan":
        county = get_object_or_404(County, code=ident)
        return county.name, f"lan-{county.code}", Pledge.objects.filter(municipality__county=county)
    if level == "region":
        region = get_object_or_404(PoliceRegion, slug=ident)
        return (
            str(region),
            f"region-{region.slug}",
            Pledge.objects.filter(municipality__county__police_region=region),
        )
    return _("Hela landet"), "sverige", Pledge.objects.all()


@require_safe
@staff_only
def overview(request):
    level = request.GET.get("niva", "")
    ident = request.GET.get("id", "")
    if level not in LEVEL_LABELS:
        return error_page(
            request, _("Okänd nivå. Välj niva=kommun, lpo, lan, region eller land."), 400
        )
    if level != "land" and not ident:
        return error_page(request, _("Ange id för kommunen, området, länet eller regionen."), 400)
    try:
        fmt = read_format(request)
        default = periods.half_year(timezone.localdate())
        period = periods.parse_period(
            request.GET.get("fran"),
            request.GET.get("till"),
            default_start=default.start,
            default_end=default.end,
        )
    except periods.PeriodError as error:
        return error_page(request, str(error), 400)
    try:
        name, slug, pledges = resolve_level(request.user, level, ident)
    except PermissionError:
        return forbidden(request)
    # Defence in depth: whatever the level, only the user's own kommuner.
    pledges = pledges.filter(
        start_date__lte=period.end,
        end_date__gte=period.start,
        municipality__in=local_municipalities_for(request.user).values("pk"),
    )
    pledge_ids = Pledge.objects.filter(pk__in=pledges.values("pk"))
    report = sections.overview_report(
        pledges=pledge_ids,
        period=period,
        level_label=str(LEVEL_LABELS[level]),
        name=name,
        slug=slug,
    )
    query = {
        "niva": level,
        **({"id": ident} if ident else {}),
        "fran": period.start.isoformat(),
        "till": period.end.isoformat(),
    }
    return render_report(request, report, fmt, query)
