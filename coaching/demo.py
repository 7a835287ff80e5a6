"""Demo conversation: a coach's question and a nurse's answer in Team Oost, a team decision,
and an answered question in the organisation-wide channel (tagged with an Omaha problem when
the vocabulary is loaded). Idempotent: threads are found by subject before anything is written.
"""

from typing import TextIO

from coaching import services
from coaching.models import Thread
from omaha.models import Problem
from teams.models import Team, User

TEAM_THREAD = "How are the evening rounds going?"
CHANNEL_QUESTION = "Tips for a client who keeps forgetting her medication?"


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
            body="You took on two new clients last week. How are the evening rounds going? "
            "Is the workload still fair for everyone?",
        )
        services.post_reply(
            thread=thread,
            author=nurse,
            body="Busy but fine. We split the evening rounds in two routes and it works.",
        )
        decision = services.post_reply(
            thread=thread,
            author=nurse,
            body="Proposal: from next month we keep two evening routes and rotate who drives "
            "the long one each week. @nurse2 @nurse3 agree?",
        )
        services.post_set_decision(post=decision, actor=nurse)
    channel = services.organisation_space()
    if not Thread.objects.filter(space=channel, subject=CHANNEL_QUESTION).exists():
        question = services.thread_start(
            space=channel,
            author=nurse,
            subject=CHANNEL_QUESTION,
            body="One of our clients keeps forgetting her evening medication. What worked "
            "for your teams?",
            is_question=True,
        )
        _tag_problem(question, "42")  # Omaha "Medication regimen"
        services.post_reply(
            thread=question,
            author=nurse4,
            body="A weekly pill organiser plus a phone alarm, and we check the organiser on "
            "each visit. Her daughter fills it on Sundays.",
        )
    stdout.write("Coaching demo: a Team Oost thread with a decision and an answered question.")
