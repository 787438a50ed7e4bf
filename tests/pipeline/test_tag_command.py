"""``newsmon tag``: one output line per input line; a bad line becomes an error object."""

from __future__ import annotations

import json
from pathlib import Path

from newsmon.cli import main

GOOD = {
    "id": "a1",
    "url": "https://polisia.kz/ru/a/",
    "title": "В Караганде задержан закладчик",
    "text": "У задержанного изъято 18 свёртков мефедрона общей массой 14 граммов.",
    "published": "2025-01-15T19:30:00Z",
}
OTHER = {
    "id": "a3",
    "url": "https://мвд.рф/news/item/2",
    "title": "Пьяные водители",
    "text": "За выходные задержаны 35 водителей в состоянии алкогольного опьянения.",
    "published": "2025-02-01",
    "source": "mvd_ru",
}


def run(tmp_path: Path, lines: list[str], capsys) -> tuple[int, list[dict]]:
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = main(["tag", str(source)])
    out = capsys.readouterr().out
    return code, [json.loads(line) for line in out.splitlines()]


def test_a_bad_line_in_the_middle_does_not_stop_the_rest(tmp_path, capsys) -> None:
    _, out = run(tmp_path, [json.dumps(GOOD), '{"id": "a2", "url": ', json.dumps(OTHER)], capsys)
    assert [o["id"] for o in out] == ["a1", "a2", "a3"]
    assert "error" in out[1] and "error" not in out[0] and "error" not in out[2]


def test_a_line_with_an_error_makes_the_command_exit_non_zero(tmp_path, capsys) -> None:
    code, out = run(tmp_path, [json.dumps(GOOD), '{"id": "a2", "url": ', json.dumps(OTHER)], capsys)
    assert code == 1
    assert len(out) == 3


def test_every_line_tagged_exits_zero(tmp_path, capsys) -> None:
    code, _ = run(tmp_path, [json.dumps(GOOD), json.dumps(OTHER)], capsys)
    assert code == 0


def test_a_date_in_the_url_is_read_when_the_line_states_none(tmp_path, capsys) -> None:
    line = {
        "id": "t1",
        "url": "https://akn.tj/ru/2025/01/10/vstrecha-s-roditelyami/",
        "title": "Встреча с родителями",
        "text": "Сотрудники Агентства по контролю за наркотиками провели встречу с родителями учащихся.",
    }
    _, out = run(tmp_path, [json.dumps(line, ensure_ascii=False)], capsys)
    assert out[0]["published"].startswith("2025-01-10") and out[0]["date_uncertain"] is False
    assert out[0]["period"]["text"] == "1-15.01.2025"


def test_output_carries_the_tags(tmp_path, capsys) -> None:
    _, out = run(tmp_path, [json.dumps(GOOD)], capsys)
    tagged = out[0]
    assert (
        tagged["language"] == "ru" and tagged["country"] == "KZ" and tagged["countries_mentioned"] == ["KZ"]
    )
    assert tagged["period"] == {"year": 2025, "number": 2, "text": "16-31.01.2025"}
    assert tagged["relevance"]["label"] == "relevant" and tagged["relevance"]["evidence"]
    assert tagged["topic"] == "seizure_arrest"


def test_a_missing_text_is_an_error_with_the_id(tmp_path, capsys) -> None:
    _, out = run(tmp_path, [json.dumps({"id": 5, "url": "https://a.kz/x", "title": "t"})], capsys)
    assert out == [{"id": 5, "error": "line 1: text: missing (give text or html)"}]


def test_a_bad_date_is_an_error(tmp_path, capsys) -> None:
    _, out = run(tmp_path, [json.dumps(dict(GOOD, published="вчера"))], capsys)
    assert out[0]["id"] == "a1" and "published" in out[0]["error"]


def test_an_unknown_source_is_an_error(tmp_path, capsys) -> None:
    _, out = run(tmp_path, [json.dumps(dict(GOOD, source="nope"))], capsys)
    assert "source" in out[0]["error"]


def test_an_unreadable_file_is_a_user_error(tmp_path, capsys) -> None:
    assert main(["tag", str(tmp_path / "missing.jsonl")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_standard_input_is_read_with_a_dash(monkeypatch, capsys) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(GOOD) + "\n"))
    assert main(["tag", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "a1"


def test_an_unreadable_input_leaves_an_existing_output_as_it_was(tmp_path, capsys) -> None:
    existing = tmp_path / "existing.jsonl"
    existing.write_text('{"id": "kept"}\n', encoding="utf-8")
    assert main(["tag", str(tmp_path / "missing.jsonl"), "-o", str(existing)]) == 2
    assert existing.read_text(encoding="utf-8") == '{"id": "kept"}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["existing.jsonl"]


def test_the_output_file_gets_every_line(tmp_path, capsys) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(GOOD) + "\n" + json.dumps(OTHER) + "\n", encoding="utf-8")
    target = tmp_path / "out.jsonl"
    assert main(["tag", str(source), "-o", str(target)]) == 0
    lines = target.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["a1", "a3"]


def test_an_oversized_record_is_an_error_line_not_minutes_of_work(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setattr("newsmon.cli.tag.MAX_RECORD_CHARS", 10_000)
    huge = dict(GOOD, id="big", text="наркотики " * 5_000)
    code, out = run(tmp_path, [json.dumps(huge, ensure_ascii=False), json.dumps(OTHER)], capsys)
    assert code == 1
    assert out[0]["id"] == "big" and "over the 10,000-character limit" in out[0]["error"]
    assert out[1]["id"] == "a3" and "error" not in out[1]
