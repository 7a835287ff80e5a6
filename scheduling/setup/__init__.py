"""First run: the administrator's set-up checklist (issue 21, item 2).

Not an app of its own (no models): what is done is computed from the data each time, never
stored. It sits in scheduling's layer because it looks at care services (scheduling), insurers
(clients) and teams and accounts (teams).
"""
