"""Machine-translation drafts from a self-hosted LibreTranslate server (``[translation]`` of
``config/review.toml``; off when no URL is set).

One ``POST /translate`` per field (``q``, ``source``, ``target``, ``format=text`` and the API
key when configured), as the LibreTranslate API documents it. A draft is only ever shown in the
form, marked as a machine draft; the analyst edits and saves it.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request

from config.review import TranslationSettings, load_review_settings
from desk.translation import Draft

TARGET = "en"


class TranslationUnavailable(Exception):
    """The translation server is not configured, did not answer, or answered nonsense."""


def configured(settings: TranslationSettings | None = None) -> bool:
    return bool((settings or load_review_settings().translation).url)


def machine_draft(title: str, text: str, language: str | None,
                  settings: TranslationSettings | None = None) -> Draft:
    """The headline and text translated to English by the configured server."""
    settings = settings or load_review_settings().translation
    if not settings.url:
        raise TranslationUnavailable("no translation server is configured ([translation] url)")
    source = language or "auto"
    return Draft(_translate(title, source, settings), _translate(text, source, settings), "machine")


def _translate(text: str, source: str, settings: TranslationSettings) -> str:
    if not text.strip():
        return ""
    payload: dict[str, str] = {"q": text, "source": source, "target": TARGET, "format": "text"}
    key = os.environ.get(settings.api_key_env, "")
    if key:
        payload["api_key"] = key
    request = urllib.request.Request(
        settings.url.rstrip("/") + "/translate",
        data=json.dumps(payload).encode("utf-8"),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.timeout_s) as answer:
            body = json.load(answer)
    except urllib.error.HTTPError as exc:
        raise TranslationUnavailable(f"the translation server answered HTTP {exc.code}") from exc
    except (OSError, ValueError) as exc:
        raise TranslationUnavailable(f"the translation server did not answer: {exc}") from exc
    translated = body.get("translatedText") if isinstance(body, dict) else None
    if not isinstance(translated, str):
        raise TranslationUnavailable("the translation server's answer has no translatedText")
    return translated
