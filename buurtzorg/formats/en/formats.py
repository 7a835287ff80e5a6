"""Date, time and number formats for the English interface: British (en-GB) conventions.

FORMAT_MODULE_PATH = "buurtzorg.formats". Django's own "en" formats are American ("Nov. 25,
2026, 2:30 p.m."); the English interface is for teams in the UK (and Dutch teams who prefer
English): day before month, a 24-hour clock, "2 Dec 2026", and the British number format
1,234.56. The language code stays "en" (not "en-gb") so the catalogue, the switch and
User.language keep one English.
Inputs take ISO first (what <input type="date"> sends, and what DateInput renders) and the
Dutch day-month-year; never the American month/day order, which would misread 03/04.
"""

DATE_FORMAT = "j M Y"  # 25 Nov 2026
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j M Y H:i"  # 25 Nov 2026 14:30
YEAR_MONTH_FORMAT = "F Y"  # November 2026
MONTH_DAY_FORMAT = "j F"  # 25 November
SHORT_DATE_FORMAT = "d-m-Y"  # 25-11-2026
SHORT_DATETIME_FORMAT = "d-m-Y H:i"  # 25-11-2026 14:30
FIRST_DAY_OF_WEEK = 1  # Monday
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

# Our own names (Django's `date` filter looks any name up in these modules, so templates
# write `|date:"WEEKDAY_DAY_MONTH_FORMAT"` and each language gets its own). Both languages
# define every one of them; tests/i18n checks that.
WEEKDAY_DAY_MONTH_FORMAT = "D j M"  # Wed 2 Dec
WEEKDAY_DATETIME_FORMAT = "D j M H:i"  # Wed 2 Dec 14:30
WEEKDAY_DATE_FORMAT = "l j F"  # Wednesday 2 December
SHORT_DATETIME_SECONDS_FORMAT = "d-m-Y H:i:s"  # 02-12-2026 14:30:05

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-11-25 (first: DateInput renders values with it)
    "%d-%m-%Y",  # 25-11-2026
    "%d/%m/%Y",  # 25/11/2026
    "%d-%m-%y",  # 25-11-26
    "%d %b %Y",  # 25 Nov 2026
    "%d %B %Y",  # 25 November 2026
]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M:%S.%f", "%H:%M"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
]
