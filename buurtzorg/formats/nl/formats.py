"""Date, time and number formats for the Dutch interface (FORMAT_MODULE_PATH = "buurtzorg.formats").

Django's own "nl" formats write "2 december 2026" and a short "2-12-2026"; Dutch care records
and letters write "2 dec. 2026" and "02-12-2026". The abbreviated month ("N") comes from
Django's "abbrev. month" translations, which our catalogue gives the Dutch full stop ("dec.",
but "mei"; see buurtzorg/formats/months.py). 24-hour clock, decimal comma, a full stop
between thousands (money: buurtzorg.money).
"""

DATE_FORMAT = "j N Y"  # 2 dec. 2026
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j N Y H:i"  # 2 dec. 2026 14:30
YEAR_MONTH_FORMAT = "F Y"  # december 2026
MONTH_DAY_FORMAT = "j F"  # 2 december
SHORT_DATE_FORMAT = "d-m-Y"  # 02-12-2026
SHORT_DATETIME_FORMAT = "d-m-Y H:i"  # 02-12-2026 14:30
FIRST_DAY_OF_WEEK = 1  # maandag
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3

# Our own names, as in buurtzorg/formats/en/formats.py.
WEEKDAY_DAY_MONTH_FORMAT = "D j N"  # wo 2 dec.
WEEKDAY_DATETIME_FORMAT = "D j N H:i"  # wo 2 dec. 14:30
WEEKDAY_DATE_FORMAT = "l j F"  # woensdag 2 december
SHORT_DATETIME_SECONDS_FORMAT = "d-m-Y H:i:s"  # 02-12-2026 14:30:05

# Inputs: ISO first (what <input type="date"> sends and DateInput renders), then Dutch.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-12-02
    "%d-%m-%Y",  # 02-12-2026
    "%d-%m-%y",  # 02-12-26
    "%d/%m/%Y",  # 02/12/2026
    "%d/%m/%y",  # 02/12/26
]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M:%S.%f", "%H:%M", "%H.%M"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
]
