"""The release builder: the accepted events of one period as the Information Release.

Python API (used by the CLI and the review UI)::

    from release.builder import build_release, assemble_release
    from release.events import release_events
    from release.summary import summary_sentence, draft_topic_phrases, topic_paragraph
    from release.export import export_events

- ``build_release(session, year, number, formats=("pdf",), edition="en", draft=False, out_dir=None,
  *, actor="system:release") -> list[Path]`` renders ``formats`` (``pdf``, ``docx``, ``html``,
  ``md``; ``"all"`` for every one) and returns the paths written. A final build of an edition
  with gaps raises :class:`release.builder.IncompleteRelease` (a ``UserError``) naming the
  events; ``draft=True`` builds anyway with the gaps marked. The files are recorded on the
  ``Release`` row (created if absent) and an audit entry is written (:func:`desk.record_build`,
  which also freezes the release once a final file is recorded); the caller commits.
- ``assemble_release(session, year, number, edition="en", *, draft=False) -> ReleaseDocument``:
  the layout model (:mod:`release.model`) every renderer reads: sections in order, each entry's
  headline, paragraphs, link and gaps, the summary and topic sentences (``topic_phrases`` as
  printed, ``topic_drafts`` before the editor's overrides). A preview needs no files.
- ``release_events(session, year, number) -> list[Event]``: the period's accepted events in
  section order (country order of ``config/release.toml``, then ``Event.position``, then date).
- ``summary_sentence(period, counts, edition="en", *, markup=False) -> str``: the generated
  summary; ``draft_topic_phrases(topics_by_country, edition)`` and ``topic_paragraph(phrases,
  edition)`` draft the topic sentence.
- ``export_events(session, year, number, edition="en") -> dict``: the ``newsmon.release-events``
  export (``docs/export-format.md``).

Editor overrides live on the ``Release`` row: ``summary_en`` / ``summary_ru`` replace the generated
summary (``*…*`` marks italics) and ``topic_sentences = {"en": {"KZ": "on …"}, "ru": {…}}``
replaces a country's drafted topic phrase (an empty string leaves the country out).

Everything the document prints besides the events (organisation, address, wording of each
edition, country titles and order, topic phrases) is ``config/release.toml``. One set of
templates (``release/templates/``) makes the HTML, which is also what WeasyPrint lays out as the
PDF, and the Markdown; DOCX is built from the same layout model (:mod:`release.word`).
"""
