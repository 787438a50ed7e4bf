"""The ground floor: what every other package shares and which imports nothing of ours.

Canonical URLs (:mod:`core.urls`), the errors a user can cause (:mod:`core.errors`), the release
:class:`~core.period.Period`, the typed stage contract (:mod:`core.types`) and the pure story keys
that decide duplicate clustering (:mod:`core.story`).
"""
