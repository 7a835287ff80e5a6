"""Date and time formats for the English interface (FORMAT_MODULE_PATH = "buurtzorg.formats").

Django's own "en" formats are American ("Nov. 25, 2026, 2:30 p.m."). Our users are Dutch:
day before month and a 24-hour clock, as in the Dutch locale, with English month names.
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
