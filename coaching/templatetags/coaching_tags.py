from django import template
from django.db.models import QuerySet

from coaching.models import Thread
from coaching.selectors import answered_questions_for_problem
from omaha.models import Problem

register = template.Library()


@register.simple_tag
def answered_questions(problem: Problem | None, limit: int = 5) -> QuerySet[Thread] | list:
    """For `coaching/_problem_answers.html`: the selector, callable from any client page."""
    if problem is None:
        return []
    return list(answered_questions_for_problem(problem=problem, limit=limit))
