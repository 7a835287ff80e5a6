"""factory_boy factories, one module per app (tests/factories/<app>.py).

Every public name of every module here is re-exported, so tests write
`from tests.factories import NurseFactory, ClientRecordFactory` whatever module defines it.
"""

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    _loaded = importlib.import_module(f"{__name__}.{_module.name}")
    for _name in dir(_loaded):
        if not _name.startswith("_"):
            globals()[_name] = getattr(_loaded, _name)
