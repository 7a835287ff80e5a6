"""Demo conversation: a coach's question and a nurse's answer in Team Oost, a team decision,
and an answered question in the organisation-wide channel (tagged with an Omaha problem when
the vocabulary is loaded). Idempotent: threads are found by subject before anything is written.
"""

from typing import TextIO

from coaching import services
from coaching.models import Thread
from omaha.models import Problem
from teams.models import Team, User

TEAM_THREAD = "Hoe gaan de avondrondes?"
CHANNEL_QUESTION = "Tips voor een cliënt die haar medicatie steeds vergeet?"


def _tag_problem(thread: Thread, code: str) -> None:
    problem = Problem.objects.filter(code=code).first()
    if problem is not None:
        thread.problems.add(problem)


def load(stdout: TextIO) -> None:
    team = Team.objects.filter(name="Team Oost").first()
    coach = User.objects.filter(username="coach").first()
    nurse = User.objects.filter(username="nurse").first()
    nurse4 = User.objects.filter(username="nurse4").first()
    if not (team and coach and nurse and nurse4):
        stdout.write("Coaching demo skipped: teams demo data missing.")
        return
    space = services.space_for_team(team=team)
    if not Thread.objects.filter(space=space, subject=TEAM_THREAD).exists():
        thread = services.thread_start(
            space=space,
            author=coach,
            subject=TEAM_THREAD,
            body="Jullie hebben vorige week twee nieuwe cliënten erbij gekregen. Hoe gaan de "
            "avondrondes? Is de werkdruk nog voor iedereen eerlijk verdeeld?",
        )
        services.post_reply(
            thread=thread,
            author=nurse,
            body="Druk, maar het gaat goed. We hebben de avondronde in twee routes gesplitst "
            "en dat werkt.",
        )
        decision = services.post_reply(
            thread=thread,
            author=nurse,
            body="Voorstel: vanaf volgende maand houden we twee avondroutes en wisselen we elke "
            "week wie de lange rijdt. @nurse2 @nurse3 akkoord?",
        )
        services.post_set_decision(post=decision, actor=nurse)
    channel = services.organisation_space()
    if not Thread.objects.filter(space=channel, subject=CHANNEL_QUESTION).exists():
        question = services.thread_start(
            space=channel,
            author=nurse,
            subject=CHANNEL_QUESTION,
            body="Een van onze cliënten vergeet steeds haar avondmedicatie. Wat werkte bij "
            "jullie teams?",
            is_question=True,
        )
        _tag_problem(question, "42")  # Omaha "Medication regimen"
        services.post_reply(
            thread=question,
            author=nurse4,
            body="Een weekdoseerdoos plus een wekker op haar telefoon, en bij elk bezoek "
            "controleren wij de doos. Haar dochter vult hem op zondag.",
        )
    stdout.write("Coaching demo: a Team Oost thread with a decision and an answered question.")
