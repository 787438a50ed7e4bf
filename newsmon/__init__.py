"""newsmon: news monitoring for the Information Release about past events in the anti-drug sphere.

``newsmon.__version__`` is read from the installed package's metadata when first asked for:
``importlib.metadata`` takes longer to import than the rest of ``newsmon --help``.
"""

from __future__ import annotations

from functools import cache


@cache
def _installed_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsmon")
    except PackageNotFoundError:  # running from a checkout that was not installed
        return "0.0.0+unknown"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return _installed_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
