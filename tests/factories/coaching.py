"""Factories for the messaging space. Spaces are one per team, so use get_or_create."""

import factory
from django.utils import timezone

from coaching.models import Post, Space, SpaceKind, Thread
from tests.factories.teams import NurseFactory, TeamFactory


class TeamSpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Space
        django_get_or_create = ["team"]

    kind = SpaceKind.TEAM
    team = factory.SubFactory(TeamFactory)
    name = factory.LazyAttribute(lambda s: s.team.name)


class OrganisationSpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Space
        django_get_or_create = ["kind"]

    kind = SpaceKind.ORGANISATION
    team = None
    name = "All teams"


class ThreadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Thread

    space = factory.SubFactory(TeamSpaceFactory)
    subject = factory.Sequence(lambda n: f"Subject {n}")
    author = factory.SubFactory(NurseFactory)
    last_post_at = factory.LazyFunction(timezone.now)


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    thread = factory.SubFactory(ThreadFactory)
    author = factory.SelfAttribute("thread.author")
    body = factory.Sequence(lambda n: f"Message {n}")
