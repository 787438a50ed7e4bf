"""Unattended operation: scheduled crawls (one subprocess each), retries, period-end drafts.

- :mod:`config.schedules` — ``config/schedules.toml``, validated on load.
- :mod:`.crawl` — runs ``newsmon crawl SOURCE`` in its own process with a time limit and makes
  sure its outcome ends up in a crawl-run row.
- :mod:`.jobs` — the module-level job functions the persistent job store refers to.
- :mod:`.service` — the APScheduler scheduler: job store in the database, jobs synchronised from
  the configuration, retries with back-off, clean shutdown.

What they read and write in the database (the job store, the supervised runs' rows) is in
:mod:`storage.schedule_state`.
"""
