"""The abbreviated month names that Dutch writes with a full stop ("2 dec. 2026").

Django's `N` date format reads `pgettext("abbrev. month", "Dec.")`; Django's Dutch catalogue
answers "dec" without the stop. Naming the same messages here lets `make messages` keep them
in our catalogue (locale/nl), whose translations win over Django's: "jan.", "mrt.", "mei".
Nothing imports this module; it exists for the extractor.
"""

from django.utils.translation import pgettext_lazy

ABBREVIATED_MONTHS = (
    pgettext_lazy("abbrev. month", "Jan."),
    pgettext_lazy("abbrev. month", "Feb."),
    pgettext_lazy("abbrev. month", "March"),
    pgettext_lazy("abbrev. month", "April"),
    pgettext_lazy("abbrev. month", "May"),
    pgettext_lazy("abbrev. month", "June"),
    pgettext_lazy("abbrev. month", "July"),
    pgettext_lazy("abbrev. month", "Aug."),
    pgettext_lazy("abbrev. month", "Sept."),
    pgettext_lazy("abbrev. month", "Oct."),
    pgettext_lazy("abbrev. month", "Nov."),
    pgettext_lazy("abbrev. month", "Dec."),
)
