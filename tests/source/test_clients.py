"""A client's details from a clients CSV or the command line (booklet.source.clients):
each problem names its row and column and never repeats what a cell holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from booklet.build.copies import WITHHELD, redact
from booklet.errors import BookletError
from booklet.source.clients import (
    Answer,
    Client,
    Personal,
    client_from_options,
    read_clients,
)

#: A name no booklet, template or message holds.
NAME = "Zephyrine Quillfeather"
SLUGS = frozenset({"partner-pushing-away", "panic"})


def read(tmp_path: Path, text: str | bytes) -> tuple[list[Client], list[str]]:
    path = tmp_path / "clients.csv"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    clients, problems = read_clients(path, SLUGS)
    return clients, [p.message for p in problems]


def test_a_row_gives_the_details_and_answers(tmp_path):
    [client], problems = read(tmp_path, (
        "For,by,note,next,booklets,language,file,field:What I need\n"
        f'{NAME},Dr Lee,"Line one\n\nLine two",Thu 10 Dec,panic,es-MX,zq,Time to talk\n'))
    assert problems == []
    assert client.row == 2
    assert client.personal.name == NAME and client.personal.by == "Dr Lee"
    assert client.personal.paragraphs == (("Line one",), ("Line two",))
    assert client.personal.next == "Thu 10 Dec"
    assert (client.booklets, client.language, client.file) == (("panic",), "es-MX", "zq")
    assert client.fields == (Answer("field:What I need", "What I need", "Time to talk"),)


def test_semicolons_and_a_byte_order_mark_are_read(tmp_path):
    [client], problems = read(tmp_path, f"\ufefffor;next\n{NAME};Monday\n".encode())
    assert problems == [] and client.personal.next == "Monday"


def test_bad_rows_are_named_by_row_and_column_never_by_value(tmp_path):
    clients, problems = read(tmp_path, "\n".join([
        "for,next,booklets,language,file,field:What I need",
        f"{NAME},Monday,,,,",                              # row 2: good
        ",Monday,,,,",                                       # row 3: no name
        f'{NAME},"Monday\nat four",,,,',                     # row 4 (two lines of the file)
        f"{NAME},,{NAME},,,",                                # row 5: a shifted column
        f"{NAME},,,{NAME.split()[0]},,",                     # row 6: not a language tag
        f"{NAME},,,,../{NAME},",                             # row 7: a folder in a file name
        f"{NAME},,,,,{'x' * 601}",                           # row 8: answer too long
        f"{NAME},\x07,,,,",                                  # row 9: a control character
        f"{NAME},,,,,,{NAME}",                               # row 10: one cell too many
        "",                                                  # blank rows are skipped
        f"{NAME},,,,,",                                      # row 12: good
    ]) + "\n")
    assert [c.row for c in clients] == [2, 12]
    assert problems == [
        "row 3, column 'for': the client's name is required",
        "row 4, column 'next': must be one line",
        "row 5, column 'booklets': names a booklet that is not among those given (panic, "
        "partner-pushing-away)",
        "row 6, column 'language': is not a language tag such as en, es or es-MX",
        "row 7, column 'file': must be a plain file name: no folders, no leading dot, none "
        "of / \\ : * ? \" < > |",
        "row 8, column 'field:What I need': longer than 600 characters",
        "row 9, column 'next': holds a control character (U+0007)",
        "row 10: 7 cells, but the header names 6 columns",
    ]
    assert not [p for p in problems if "Zephyrine" in p or "Quillfeather" in p]


def test_a_bad_header_stops_the_batch_naming_every_column(tmp_path):
    with pytest.raises(BookletError) as error:
        read(tmp_path, "for,nxt,by,field:,By\nSam,,,,\n")
    assert [p.message for p in error.value.problems] == [
        "row 1, column 2: unknown column 'nxt' (did you mean 'next'?)",
        "row 1, column 4: 'field:' needs the prompt it fills, e.g. 'field:What I need'",
        "row 1, column 5: 'by' is named twice",
    ]


def test_a_header_without_the_name_column_stops_the_batch(tmp_path):
    with pytest.raises(BookletError) as error:
        read(tmp_path, "by,note\nDr Lee,Hello\n")
    assert [p.message for p in error.value.problems] == [
        "row 1, no 'for' column (the client's name)"]


def test_a_file_that_is_not_utf8_stops_the_batch(tmp_path):
    with pytest.raises(BookletError) as error:
        read(tmp_path, "for\nZo\xeb\n".encode("latin-1"))
    assert str(error.value).endswith("clients.csv: line 2: not UTF-8 text (save the sheet as "
                                     "'CSV UTF-8')")


def test_the_command_line_gives_one_client():
    client = client_from_options(NAME, by="Dr Lee", note="Hello", next="Thu",
                                 fields=["What I need=Time = rest"], file="zq.pdf")
    assert client.row is None and client.file == "zq"
    assert client.fields == (Answer("--field", "What I need", "Time = rest"),)


@pytest.mark.parametrize("kwargs, message", [
    ({"fields": [NAME]}, "--field: --field number 1 must be PROMPT=ANSWER, e.g. --field "
                         "\"What I need=Time to talk\""),
    ({"next": "Monday\nat four"}, "--next: must be one line"),
    ({"by": "x" * 81}, "--by: longer than 80 characters"),
    ({"file": "a/b"}, "--file: must be a plain file name: no folders, no leading dot, none "
                      "of / \\ : * ? \" < > |"),
])
def test_command_line_problems_name_the_option(kwargs, message):
    with pytest.raises(BookletError) as error:
        client_from_options(NAME, **kwargs)
    assert str(error.value) == message


def test_a_note_file_too_long_is_named(tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("word " * 2000, encoding="utf-8")
    with pytest.raises(BookletError) as error:
        client_from_options(NAME, note_file=note)
    assert str(error.value) == "--note-file: longer than 1,500 characters"


def test_records_withhold_their_values():
    personal = Personal(NAME, by="Dr Lee", note="Private")
    client = Client(7, personal, (Answer("field:x", "x", "secret answer"),))
    shown = repr(personal) + repr(client) + repr(client.fields) + str(client.__dict__.keys())
    assert "Zephyrine" not in shown and "Private" not in shown and "secret" not in shown
    assert repr(client) == "Client(row=7, <client details withheld>)"


def test_redact_removes_values_lines_and_name_words():
    personal = Personal(NAME, by="Dr Lee", note="First line\nSecond line",
                        answers=(("p", "Time to talk"),))
    message = ("could not set 'Quillfeather' or 'Zephyrine Quillfeather' by Dr Lee: "
               "Second line; Time to talk")
    assert redact(message, personal) == (f"could not set '{WITHHELD}' or '{WITHHELD}' by "
                                         f"{WITHHELD}: {WITHHELD}; {WITHHELD}")
