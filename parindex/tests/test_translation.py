"""The English catalogue is complete, and the services' messages (imports, rule checks, commands) come
out in the language of the request: the Vietnamese text is the message id (docs/decisions.md, decision 1).
"""

import ast
import gettext
import tarfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

from assessments.services import AssessmentError, require_window
from assessments.uploads import UploadRefused, check_upload
from core.moments import out_of_range
from core.tabular import ImportFailed, Table, read_table
from cycles.models import Cycle, CycleState, PhaseKind
from frameworks.excel import LEGACY_HEADER, parse_specs
from frameworks.scoring import RULE_LABELS, validate_inputs, validate_params
from frameworks.tree import structure_problems
from ops.backup import RestoreRefused, verify_archive
from ops.backup.checks import refuse_other_vendor
from reporting.services import ReportingError, parse_definition
from results.history import import_history
from results.services import ResultsError, publish, request_job
from surveys.dossiers import parse_count
from surveys.questionnaire import dimension_problem
from surveys.services import SurveyError, create_wave, generate_invitations
from units.importer import parse_units

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"


def po_entries(path: Path) -> list[dict]:
    """Each entry of a .po file: its flags, msgid and msgstr (for plurals, every msgstr[n])."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry = {"flags": set(), "fields": {}}
        field = None
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry["fields"][field] += ast.literal_eval(line)
            else:
                field, _space, value = line.partition(" ")
                entry["fields"][field] = ast.literal_eval(value)
        if entry["fields"].get("msgid"):  # the header's msgid is empty
            entries.append(entry)
    return entries


def translations(entry: dict) -> list[str]:
    return [value for name, value in entry["fields"].items() if name.startswith("msgstr")]


def test_the_english_catalogue_has_no_empty_or_fuzzy_entry():
    entries = po_entries(CATALOGUE / "django.po")
    assert len(entries) > 900
    fuzzy = [e["fields"]["msgid"] for e in entries if "fuzzy" in e["flags"]]
    empty = [e["fields"]["msgid"] for e in entries if not all(translations(e))]
    assert fuzzy == []
    assert empty == []


def test_the_compiled_catalogue_matches_the_po_file():
    with (CATALOGUE / "django.mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog

    def key(fields: dict) -> str:
        # An entry with a context is compiled under "context\x04msgid" (gettext's pgettext key).
        context = fields.get("msgctxt")
        return f"{context}\x04{fields['msgid']}" if context else fields["msgid"]

    stale = [
        e["fields"]["msgid"]
        for e in po_entries(CATALOGUE / "django.po")
        if "msgid_plural" not in e["fields"]
        and catalog.get(key(e["fields"])) != e["fields"]["msgstr"]
    ]
    assert stale == []


def test_a_unit_import_problem_comes_out_in_english():
    table = Table(header=["code", "name"], rows=[])
    with translation.override("en"):
        with pytest.raises(ImportFailed) as failed:
            parse_units(table)
        assert [str(p) for p in failed.value.problems] == [
            "Row 1: required columns are missing: kind (code, name and kind at least are needed)."
        ]
    with translation.override("vi"):
        with pytest.raises(ImportFailed) as failed:
            parse_units(table)
        assert [str(p) for p in failed.value.problems] == [
            "Dòng 1: thiếu cột bắt buộc: kind (cần ít nhất code, name, kind)."
        ]


def test_an_unreadable_file_is_named_in_english():
    with translation.override("en"), pytest.raises(ImportFailed) as failed:
        read_table(b"")
    assert str(failed.value) == "The file is empty: there is nothing to import."


def test_framework_rule_checks_come_out_in_english():
    with translation.override("en"):
        assert validate_params("ratio", {"mode": "proportional", "min": 2}, Decimal(2)) == [
            "“min” must be a number from 0 to 1."
        ]
        assert validate_inputs("manual", {}, Decimal(2), {"points": 3}) == [
            "points must be between 0 and 2.00."
        ]
        assert str(RULE_LABELS["yes_no"]) == "Yes / no"


def test_an_unknown_rule_is_the_rule_columns_fault_in_any_language():
    spec = SimpleNamespace(code="1", max_points=Decimal(5), rule="guess", rule_params={}, row=2)
    with translation.override("en"):
        problems = structure_problems([spec])
    assert [(column, message) for _spec, column, message in problems] == [
        (
            "rule",
            "scoring rule “guess” does not exist; use one of: manual, yes_no, ratio, checklist, "
            "deadline, deduction, survey, automatic, bonus, penalty.",
        )
    ]


def test_survey_import_problems_come_out_in_english():
    with translation.override("en"):
        with pytest.raises(
            ValueError, match=r"^the number of dossiers must not be negative \(-3\)$"
        ):
            parse_count("-3")
        assert dimension_problem("likert5", "public/access") == (
            "group “public” is not valid; use one of: service, policy, criterion."
        )
        assert out_of_range(datetime(1, 1, 1)) == ("The time must fall within the years 2000–2100.")


def test_a_command_error_comes_out_in_english():
    with translation.override("en"), pytest.raises(CommandError) as refused:
        call_command("import_units")
    assert str(refused.value) == "Give a file, or --hanoi to load the Hà Nội catalogue."


def test_an_assessment_refusal_comes_out_in_english():
    draft = Cycle(year=2025, title="2025", state=CycleState.DRAFT)
    with translation.override("en"):
        with pytest.raises(AssessmentError) as refused:
            require_window(draft, CycleState.SELF_ASSESSMENT, PhaseKind.SELF_ASSESSMENT)
        assert str(refused.value) == (
            "The 2025 assessment cycle is in the “Draft” phase: "
            "this action is no longer (or not yet) allowed."
        )
        with pytest.raises(UploadRefused) as refused:
            check_upload(SimpleUploadedFile("minutes.pdf", b""))
        assert str(refused.value) == "The file “minutes.pdf” is empty."
    with translation.override("vi"), pytest.raises(AssessmentError) as refused:
        require_window(draft, CycleState.SELF_ASSESSMENT, PhaseKind.SELF_ASSESSMENT)
    assert str(refused.value) == (
        "Kỳ đánh giá 2025 đang ở giai đoạn “Dự thảo”: thao tác này không còn (hoặc chưa) được phép."
    )


def test_a_report_template_problem_comes_out_in_english():
    with translation.override("en"), pytest.raises(ReportingError) as refused:
        parse_definition("R1; Rate of dossiers on time; rate; %\nR1; Again; number", "S1")
    assert str(refused.value) == (
        "Indicator line 2: the code “R1” is duplicated. Section line 1: expected “code; title”."
    )


def test_framework_import_problems_come_out_in_english():
    with translation.override("en"):
        with pytest.raises(ImportFailed) as failed:
            parse_specs(Table(header=["code", "title"], rows=[]))
        assert [str(p) for p in failed.value.problems] == [
            "Row 1: the header row must be exactly: "
            "code | title | max_points | rule | rule_params | evidence_rule | guidance "
            "(the file has: code | title)."
        ]
        row = ["1", "", "ten", "manual", "{", "maybe", ""]
        with pytest.raises(ImportFailed) as failed:
            # A file of the earlier layout, whose yes/no evidence column has its message translated.
            parse_specs(Table(header=list(LEGACY_HEADER), rows=[(2, row)]))
        assert [str(p) for p in failed.value.problems] == [
            "Row 2, column B (title): the criterion text must not be empty.",
            "Row 2, column C (max_points): the max points “ten” are not a number.",
            "Row 2, column E (rule_params): "
            "Invalid JSON (Expecting property name enclosed in double quotes, character 2).",
            "Row 2, column F (evidence_required): “maybe” is not valid; use 1 (yes) or 0 (no).",
        ]


def test_survey_wave_refusals_come_out_in_english(secretariat, draft_cycle):
    opens = datetime(2025, 3, 1, 8).astimezone()
    with translation.override("en"):
        with pytest.raises(SurveyError) as refused:
            create_wave(secretariat, draft_cycle, None, "Đợt 1", opens, opens)
        assert refused.value.problems == ["The closing time must be after the opening time."]
        with pytest.raises(SurveyError) as refused:
            generate_invitations(secretariat, None, None, 0)
        assert refused.value.problems == ["Between 1 and 5000 codes at a time."]
    with translation.override("vi"), pytest.raises(SurveyError) as refused:
        generate_invitations(secretariat, None, None, 0)
    assert refused.value.problems == ["Số mã mỗi lần từ 1 đến 5000."]


def test_results_refusals_come_out_in_english(secretariat, draft_cycle):
    with translation.override("en"):
        with pytest.raises(ResultsError) as refused:
            request_job(secretariat, draft_cycle, "recompute")
        assert str(refused.value) == (
            "The 2025 assessment cycle has not passed self-assessment: "
            "there are no points to compute results from yet."
        )
        with pytest.raises(ResultsError) as refused:
            publish(secretariat, draft_cycle)
        assert str(refused.value) == (
            "The 2025 assessment cycle has not been approved by the council: "
            "its results cannot be published yet."
        )
        with pytest.raises(ImportFailed) as failed:
            import_history(secretariat, 2019, b"ma_don_vi,khoi\n", "2019.csv")
        assert [str(p) for p in failed.value.problems] == [
            "Row 1: The header row lacks the columns chi_so."
        ]


def test_backup_refusals_come_out_in_english(tmp_path):
    empty = tmp_path / "empty.tar"
    with tarfile.open(empty, "w"):
        pass
    with translation.override("en"):
        with pytest.raises(RestoreRefused) as refused:
            verify_archive(tmp_path / "missing.tar")
        assert refused.value.problems == [f"There is no file {tmp_path / 'missing.tar'}."]
        with pytest.raises(RestoreRefused) as refused:
            verify_archive(empty)
        assert refused.value.problems == [
            "This file has no manifest.json: it is not a parindex backup."
        ]
        with pytest.raises(RestoreRefused) as refused:
            refuse_other_vendor({"database": {"vendor": "sqlite"}}, "postgresql")
        assert str(refused.value) == (
            "The backup is of sqlite and the target database is postgresql: "
            "restore into the same kind of database."
        )
    with translation.override("vi"), pytest.raises(RestoreRefused) as refused:
        verify_archive(empty)
    assert refused.value.problems == [
        "Tệp này không có bảng kê manifest.json: không phải bản sao lưu parindex."
    ]
