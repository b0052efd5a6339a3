"""Reads for micro-renovation pages."""

from django.db.models import Count

from linli.renovation.models import Project, Response, Vote


def project_for_source(kind, id):
    return Project.objects.filter(source_kind=kind, source_id=str(id)).first()


def projects(actor):
    return Project.objects.visible_to(actor).select_related("estate")


def votes(actor, project):
    return Vote.objects.visible_to(actor, "renovation.view_vote").filter(project=project)


def survey_results(survey):
    """Support per item and the response rate by building."""
    from linli.org.models import Household

    project = survey.project
    items = (
        project.items.annotate(support=Count("response"))
        .values("pk", "title", "support")
        .order_by("-support")
    )
    households = Household.objects.filter(building__estate=project.estate)
    by_building = dict(
        households.values("building__name")
        .annotate(n=Count("id"))
        .values_list("building__name", "n")
    )
    answered = dict(
        Response.objects.filter(survey=survey)
        .values("household__building__name")
        .annotate(n=Count("id"))
        .values_list("household__building__name", "n")
    )
    rates = [
        (name, answered.get(name, 0), total, round(answered.get(name, 0) * 100 / total, 1))
        for name, total in sorted(by_building.items())
    ]
    return list(items), rates
