"""The structured editor of a leaf's scoring rule: fields and rows per rule kind -> rule parameters.

One form holds the scalar fields of every kind and four row tables (deadline tiers, rate tiers,
weighted parts, checklist items); only the chosen kind's fields are read. The parameters are then
checked by scoring.validate_params, the same check as an Excel import. Keys this editor does not manage
(a survey leaf's "group_question", a data source's name it does not show) are kept from the leaf's
current parameters when the kind does not change.
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core import formats
from core.fields import DecimalField

from .scoring import to_points, validate_params
from .survey_binding import dimension_choices, source_of

HUNDRED = Decimal(100)
POINTS = {"max_digits": 7, "decimal_places": 2}


def json_number(value: Decimal):
    """A Decimal as the JSON number an imported file would hold (1 rather than 1.00)."""
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def _decimal(value) -> Decimal:
    return Decimal(str(value))


def _points(value) -> Decimal:
    """Points as shown in a field: two places (0,50), as everywhere else."""
    return to_points(_decimal(value))


class _Rows(forms.BaseFormSet):
    """Rows where a blank row is ignored (every row may be blank) and one blank row is offered."""

    def initial_form_count(self):
        return 0

    def total_form_count(self):
        if self.is_bound:
            return super().total_form_count()
        return len(self.initial or []) + self.extra

    def rows(self) -> list[dict]:
        if not self.is_bound:
            return []
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


class DeadlineRow(forms.Form):
    day = forms.DateField(
        label=_("Đến ngày"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    points = DecimalField(label=_("Điểm"), min_value=0, **POINTS)


class ThresholdRow(forms.Form):
    threshold = DecimalField(
        label=_("Tỷ lệ từ (%)"),
        min_value=0,
        max_value=100,
        max_digits=6,
        decimal_places=2,
    )
    points = DecimalField(label=_("Điểm"), min_value=0, **POINTS)


class PartRow(forms.Form):
    name = forms.SlugField(
        label=_("Tên phần (không dấu)"), max_length=40, help_text=_("ví dụ: resolved")
    )
    weight = DecimalField(label=_("Trọng số"), min_value=0, **POINTS)


class ItemRow(forms.Form):
    text = forms.CharField(label=_("Nội dung cần có"), max_length=500)


ROWS = {
    "deadline_tiers": DeadlineRow,
    "ratio_tiers": ThresholdRow,
    "parts": PartRow,
    "items": ItemRow,
}
FORMSETS = {
    name: forms.formset_factory(row, formset=_Rows, extra=1, can_delete=True)
    for name, row in ROWS.items()
}
# Which row tables and scalar fields each kind reads (the template shows the same groups).
KIND_FIELDS = {
    "manual": ({"step", "allow_na"}, ()),
    "bonus": ({"step", "allow_na"}, ()),
    "penalty": ({"step", "allow_na"}, ()),
    "yes_no": ({"allow_na"}, ()),
    "deadline": ({"allow_na"}, ("deadline_tiers",)),
    "checklist": ({"checklist_per_item", "allow_na"}, ("items",)),
    "deduction": ({"deduction_per_item", "allow_na"}, ()),
    "ratio": ({"mode", "floor", "allow_na"}, ("ratio_tiers", "parts")),
    "automatic": ({"mode", "floor", "source", "allow_na"}, ("ratio_tiers",)),
    "survey": ({"source", "dimension", "groups", "allow_na"}, ()),
}
# The parameter keys each kind's fields write: others are kept from the current parameters.
MANAGED_KEYS = {
    "manual": {"step", "allow_na"},
    "bonus": {"step", "allow_na"},
    "penalty": {"step", "allow_na"},
    "yes_no": {"allow_na"},
    "deadline": {"tiers", "allow_na"},
    "checklist": {"items", "per_item", "allow_na"},
    "deduction": {"per_item", "allow_na"},
    "ratio": {"mode", "tiers", "min", "parts", "allow_na"},
    "automatic": {"mode", "tiers", "min", "source", "allow_na"},
    "survey": {"source", "dimension", "groups", "allow_na"},
}


class RuleFieldsForm(forms.Form):
    allow_na = forms.BooleanField(label=_("Đơn vị được chọn “Không áp dụng”"), required=False)
    step = DecimalField(
        label=_("Bước điểm"),
        required=False,
        min_value=0,
        help_text=_("Điểm chấm là bội số của bước, ví dụ 0,25; để trống: điểm bất kỳ."),
        **POINTS,
    )
    checklist_per_item = DecimalField(
        label=_("Điểm mỗi nội dung"), required=False, min_value=0, **POINTS
    )
    deduction_per_item = DecimalField(
        label=_("Điểm trừ mỗi lần"), required=False, min_value=0, **POINTS
    )
    mode = forms.ChoiceField(
        label=_("Cách tính"),
        choices=[
            ("tiers", _("Theo mức (bảng tỷ lệ và điểm)")),
            ("proportional", _("Theo tỷ lệ (tối đa × tỷ lệ đạt được)")),
        ],
        initial="tiers",
        required=False,
        widget=forms.RadioSelect,
    )
    floor = DecimalField(
        label=_("Tỷ lệ tối thiểu (%)"),
        required=False,
        min_value=0,
        max_value=100,
        max_digits=6,
        decimal_places=2,
        help_text=_("Dưới tỷ lệ này: 0 điểm (chỉ khi tính theo tỷ lệ)."),
    )
    source = forms.CharField(label=_("Nguồn dữ liệu (mã)"), required=False, max_length=60)
    dimension = forms.ChoiceField(
        label=_("Thành phần đo của khảo sát"),
        required=False,
        choices=dimension_choices,
        help_text=_(
            "Chỉ số, phần, yếu tố (SIPAS) hoặc lĩnh vực (điều tra xã hội học) mà tiêu chí "
            "lấy điểm; để trống nguồn dữ liệu thì nguồn theo thành phần đo đã chọn."
        ),
    )
    groups = forms.CharField(
        label=_("Nhóm đối tượng khảo sát (mã, cách nhau bởi dấu phẩy)"),
        required=False,
        max_length=500,
    )


class RuleEditor:
    """The scalar form and the row tables of the rule editor, bound to a POST or filled from params."""

    def __init__(self, data=None, *, params: dict | None = None, rule: str = ""):
        self.rule = rule
        self.current = dict(params or {})
        if data is not None:
            self.fields = RuleFieldsForm(data, prefix="rp")
            # A table the request did not send (a client posting only its kind's fields) is empty.
            self.rows = {
                name: FORMSETS[name](data, prefix=name)
                if f"{name}-TOTAL_FORMS" in data
                else FORMSETS[name](prefix=name)
                for name in ROWS
            }
        else:
            self.fields = RuleFieldsForm(initial=initial_fields(rule, self.current), prefix="rp")
            self.rows = {
                name: FORMSETS[name](initial=rows, prefix=name)
                for name, rows in initial_rows(rule, self.current).items()
            }
        self.problems: list[str] = []

    def params(self, rule: str, max_points: Decimal) -> dict | None:
        """The parameters of `rule` built from the fields, or None with the problems attached."""
        scalars, tables = KIND_FIELDS.get(rule, (set(), ()))
        valid = self.fields.is_valid()
        for name in tables:
            valid = (not self.rows[name].is_bound or self.rows[name].is_valid()) and valid
        if not valid:
            return None
        data = self.fields.cleaned_data
        if not self._field_checks(rule, data, tables, max_points):
            return None
        built = build(rule, data, {name: self.rows[name].rows() for name in tables})
        if rule == self.rule:
            kept = {k: v for k, v in self.current.items() if k not in MANAGED_KEYS.get(rule, ())}
            built = {**kept, **built}
        self.problems = validate_params(rule, built, max_points)
        return None if self.problems else built

    def _field_checks(self, rule, data, tables, max_points) -> bool:
        """Faults a user fixes in one field, shown on that field rather than as a rule problem."""
        ok = True
        for name in REQUIRED.get(rule, ()):
            if data.get(name) is None:
                self.fields.add_error(name, _("Hãy nhập giá trị này."))
                ok = False
        for table in tables:
            formset = self.rows[table]
            if table == "parts" or (table == "ratio_tiers" and data.get("mode") == "proportional"):
                continue
            if not formset.rows():
                formset._non_form_errors = formset.error_class(
                    [_("Hãy nhập ít nhất một dòng.")], renderer=formset.renderer
                )
                ok = False
            for form in formset.forms if formset.is_bound else ():
                points = (form.cleaned_data or {}).get("points")
                if (
                    points is not None
                    and points > max_points
                    and not form.cleaned_data.get("DELETE")
                ):
                    form.add_error(
                        "points",
                        _("Điểm không được lớn hơn điểm tối đa %(max)s.")
                        % {"max": formats.points(max_points)},
                    )
                    ok = False
        return ok


# Fields a kind cannot do without.
REQUIRED = {"checklist": ("checklist_per_item",), "deduction": ("deduction_per_item",)}


def build(rule: str, data: dict, rows: dict[str, list[dict]]) -> dict:
    """Rule parameters from cleaned field values and row tables (no check beyond the fields')."""
    params: dict = {}
    if rule in ("manual", "bonus", "penalty") and data.get("step") is not None:
        params["step"] = json_number(data["step"])
    elif rule == "deadline":
        tiers = sorted(rows["deadline_tiers"], key=lambda row: row["day"])
        params["tiers"] = [[r["day"].isoformat(), json_number(r["points"])] for r in tiers]
    elif rule == "checklist":
        params["items"] = [r["text"].strip() for r in rows["items"]]
        if data.get("checklist_per_item") is not None:
            params["per_item"] = json_number(data["checklist_per_item"])
    elif rule == "deduction" and data.get("deduction_per_item") is not None:
        params["per_item"] = json_number(data["deduction_per_item"])
    elif rule in ("ratio", "automatic"):
        if data.get("mode") == "proportional":
            params["mode"] = "proportional"
            if data.get("floor") is not None:
                params["min"] = json_number(data["floor"] / HUNDRED)
        else:
            tiers = sorted(rows["ratio_tiers"], key=lambda row: row["threshold"], reverse=True)
            params["tiers"] = [
                [json_number(r["threshold"] / HUNDRED), json_number(r["points"])] for r in tiers
            ]
        if rule == "ratio" and rows.get("parts"):
            params["parts"] = {r["name"]: json_number(r["weight"]) for r in rows["parts"]}
    if rule in ("automatic", "survey") and data.get("source"):
        params["source"] = data["source"].strip()
    if rule == "survey" and data.get("dimension"):
        params["dimension"] = data["dimension"]
        params.setdefault("source", source_of(data["dimension"]))
    if rule == "survey" and (data.get("groups") or "").strip():
        params["groups"] = [g.strip() for g in data["groups"].split(",") if g.strip()]
    if data.get("allow_na"):
        params["allow_na"] = True
    return params


def initial_fields(rule: str, params: dict) -> dict:
    """The scalar fields' values for existing parameters (the inverse of build)."""
    values = {"allow_na": bool(params.get("allow_na")), "mode": "tiers"}
    if "step" in params:
        values["step"] = _points(params["step"])
    if "per_item" in params:
        key = "deduction_per_item" if rule == "deduction" else "checklist_per_item"
        values[key] = _points(params["per_item"])
    if params.get("mode") == "proportional":
        values["mode"] = "proportional"
    if "min" in params:
        values["floor"] = _decimal(params["min"]) * HUNDRED
    values["source"] = params.get("source", "")
    if rule == "survey" and isinstance(params.get("dimension"), str):
        values["dimension"] = params["dimension"]
    if isinstance(params.get("groups"), list):
        values["groups"] = ", ".join(params["groups"])
    return values


def initial_rows(rule: str, params: dict) -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {name: [] for name in ROWS}
    tiers = params.get("tiers") if isinstance(params.get("tiers"), list) else []
    if rule == "deadline":
        rows["deadline_tiers"] = [{"day": day, "points": _points(pts)} for day, pts in tiers]
    elif rule in ("ratio", "automatic"):
        rows["ratio_tiers"] = [
            {"threshold": _decimal(t) * HUNDRED, "points": _points(pts)} for t, pts in tiers
        ]
    if isinstance(params.get("parts"), dict):
        rows["parts"] = [{"name": n, "weight": _points(w)} for n, w in params["parts"].items()]
    if isinstance(params.get("items"), list):
        rows["items"] = [{"text": text} for text in params["items"]]
    return rows


def add_row(data, table: str):
    """A copy of the POST with one more blank row in `table` (the "add a row" button)."""
    if table not in ROWS:
        return data
    data = data.copy()
    key = f"{table}-TOTAL_FORMS"
    try:
        data[key] = str(int(data.get(key, 0)) + 1)
    except ValueError:
        data[key] = "1"
    return data
