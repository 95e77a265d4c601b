"""Questionnaires (versioned), waves with per-unit targets, one-time invitations, and responses with their
channel, timing, hashed origin and quality flags."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cycles.models import Cycle
from units.models import Unit

from .questionnaire import Question


class Questionnaire(models.Model):
    code = models.SlugField(_("mã"), max_length=40, unique=True)
    title = models.CharField(_("tên bảng hỏi"), max_length=200)
    # {"A": 1.0, "B": 0.6, …, "5": 1.0}: the weight of an answer in the officials' figures (DOMAIN.md
    # §5.1); empty = the documented default (stats.DEFAULT_OPTION_WEIGHTS, 5-point answers linear).
    option_weights = models.JSONField(_("trọng số phương án"), default=dict, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title

    def latest(self):
        return self.versions.order_by("-number").first()


class QuestionnaireVersion(models.Model):
    """Never edited: a change makes a new version; a wave keeps the version it opened with."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("phiên bản"))
    questions = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="questionnaire_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} (v{self.number})"

    def parsed(self) -> list[Question]:
        return [Question.from_dict(q) for q in self.questions]


class Wave(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="waves")
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="waves"
    )
    title = models.CharField(_("tên đợt khảo sát"), max_length=200)
    opens_at = models.DateTimeField(_("mở lúc"))
    closes_at = models.DateTimeField(_("đóng lúc"))
    # "institute": the survey leaves read the per-unit figures an institute published (PublishedFigure)
    # instead of computing them from the responses (docs/surveys.md, "Số liệu do viện công bố").
    figures_source = models.CharField(
        _("nguồn số liệu tính điểm"),
        max_length=10,
        choices=[
            ("responses", _("Tính từ phiếu trả lời")),
            ("institute", _("Số liệu do đơn vị khảo sát độc lập công bố")),
        ],
        default="responses",
    )
    # Answered with personal codes of the wave's roster only (surveys/roster.py): the public link, the
    # app and unit-wide invitation codes are refused.
    by_roster = models.BooleanField(_("chỉ nhận mã cá nhân theo danh sách"), default=False)

    class Meta:
        ordering = ["-opens_at"]

    def __str__(self) -> str:
        return self.title

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at


class WaveTarget(models.Model):
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    dossiers = models.PositiveIntegerField(_("số hồ sơ trong kỳ"), null=True, blank=True)
    sample = models.PositiveIntegerField(_("số phiếu cần thu"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["wave", "unit"], name="one_target_per_unit")]

    def __str__(self) -> str:
        return f"{self.unit}: {self.sample}"


class Invitation(models.Model):
    """A one-time code; only its keyed hash is kept, the code itself is handed out once."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invitations")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)
    batch = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.unit} {self.batch}"


class Channel(models.TextChoices):
    CODE = "code", _("Mã mời")
    LINK = "link", _("Đường dẫn, mã QR tại bộ phận một cửa")
    DOSSIER = "dossier", _("Mã hồ sơ")
    API = "api", _("Ứng dụng của Thành phố")
    # Microdata of a survey run elsewhere (paper keyed by an institute, another tool), imported by the
    # secretariat from a file (surveys/microdata.py); never accepted from a respondent.
    IMPORT = "import", _("Nhập từ tệp dữ liệu")
    PAPER = "paper", _("Phiếu giấy (nhập bởi cán bộ)")
    ENUMERATOR = "enumerator", _("Điều tra viên (máy tính bảng)")


class Flag(models.TextChoices):
    """Why a kept response is shown for review (stored as the codes, which the exports carry)."""

    SPEEDING = "speeding", _("Trả lời quá nhanh")
    STRAIGHT_LINING = "straight_lining", _("Cùng một mức cho mọi câu")
    BURST = "burst", _("Nhiều phiếu dồn dập")
    REFUSED_CODES = "refused_codes", _("Sau nhiều mã bị từ chối")


class Response(models.Model):
    wave = models.ForeignKey(Wave, on_delete=models.PROTECT, related_name="responses")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="survey_responses")
    # Client-generated: a retried submission finds its first copy instead of making a second.
    submission_id = models.UUIDField(unique=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    answers = models.JSONField()
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    duration_s = models.PositiveIntegerField(null=True, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    device_hash = models.CharField(max_length=64, blank=True)
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.PROTECT, related_name="response"
    )
    dossier_hash = models.CharField(max_length=64, blank=True)
    flags = models.JSONField(default=list, blank=True)
    excluded = models.BooleanField(default=False)
    exclusion_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["wave", "unit"]),
            # The intake limits count an address's or a device's responses of the last hour.
            models.Index(fields=["ip_hash", "submitted_at"], name="response_address_recent"),
            models.Index(fields=["device_hash", "submitted_at"], name="response_device_recent"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "dossier_hash"],
                condition=~models.Q(dossier_hash=""),
                name="one_response_per_dossier",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.submitted_at:%d/%m/%Y %H:%M}"


class CodeRefusal(models.Model):
    """An invitation or dossier code that was refused, kept in place of the response (which is never
    stored): the secretariat sees guessed and passed-on codes per unit, a response that follows several
    refusals from the same address or device is flagged `refused_codes`, and a source that keeps trying
    is stopped (SURVEY_MAX_CODE_REFUSALS_PER_HOUR). Only hashes of the address and device are kept."""

    class Reason(models.TextChoices):
        UNKNOWN = "unknown", _("Mã mời không đúng")
        USED = "used", _("Mã mời đã được dùng")
        DOSSIER_USED = "dossier_used", _("Hồ sơ đã được đánh giá")
        EXPIRED = "expired", _("Mã mời đã hết hạn")

    # Both empty for a code unknown everywhere, typed on the page that asks for the code alone.
    wave = models.ForeignKey(
        Wave, null=True, blank=True, on_delete=models.CASCADE, related_name="code_refusals"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    at = models.DateTimeField(default=timezone.now)
    ip_hash = models.CharField(max_length=64, blank=True)
    device_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["wave", "unit"]),
            models.Index(fields=["ip_hash", "at"], name="code_refusal_address_recent"),
            models.Index(fields=["device_hash", "at"], name="code_refusal_device_recent"),
            models.Index(fields=["at"], name="code_refusal_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.at:%d/%m/%Y %H:%M}"


class PublishedSource(models.Model):
    """The document an institute published a wave's per-unit figures in (name, date, link)."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="published_sources")
    document = models.CharField(_("tên văn bản"), max_length=300)
    issued_on = models.DateField(_("ngày ban hành"))
    url = models.URLField(_("đường dẫn"), max_length=500, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return self.document


class PublishedFigure(models.Model):
    """A unit's published index, part, element or indicator as a share in [0, 1] (the institute's
    percent / 100), with the number of respondents it rests on when the institute gives it."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="published_figures")
    source = models.ForeignKey(PublishedSource, on_delete=models.CASCADE, related_name="figures")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    dimension = models.CharField(max_length=60)
    value = models.DecimalField(max_digits=7, decimal_places=6)
    respondents = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "unit", "dimension"], name="one_published_figure"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.dimension}: {self.value}"


class SampleDraw(models.Model):
    """A stratified random sample of a wave's dossiers (one stratum per unit), drawn from the list the
    one-stop system exported, with n = N / (1 + N·e²) per unit; the seed makes it reproducible. Only the
    drawn dossiers are kept, and of them only what the mailing needs (docs/surveys.md, "Chọn mẫu")."""

    wave = models.OneToOneField(Wave, on_delete=models.CASCADE, related_name="sample_draw")
    seed = models.CharField(_("hạt giống ngẫu nhiên"), max_length=40)
    margin = models.DecimalField(max_digits=6, decimal_places=4)
    # {unit code: {"population": N, "sample": n}}
    strata = models.JSONField(default=dict)
    drawn_at = models.DateTimeField(default=timezone.now)
    contacts_erased_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.wave} ({self.seed})"


class SampledDossier(models.Model):
    draw = models.ForeignKey(SampleDraw, on_delete=models.CASCADE, related_name="dossiers")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    dossier_code = models.CharField(max_length=60)
    received_on = models.DateField(null=True, blank=True)
    # Personal data (an address, a telephone number or an e-mail): shown to the secretariat only,
    # erased once the invitations have gone out (services.erase_sample_contacts).
    contact = models.CharField(max_length=200, blank=True)
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="sampled"
    )

    class Meta:
        ordering = ["unit__code", "dossier_code"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "dossier_code"], name="one_sampled_dossier")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.dossier_code}"


class Official(models.Model):
    """One person of a wave's roster (the officials' survey, DOMAIN.md §5.1): who they are, the group
    they answer for (a value of the questionnaire's `respondent_group`), their own unit when they rate
    it (a unit's own staff), and their personal code, kept only as a keyed hash."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="officials")
    row = models.PositiveIntegerField(_("dòng"))
    name = models.CharField(_("họ và tên"), max_length=200)
    position = models.CharField(_("chức vụ"), max_length=200, blank=True)
    group = models.CharField(_("nhóm"), max_length=40)
    organisation = models.CharField(_("cơ quan"), max_length=300, blank=True)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    code_hash = models.CharField(max_length=64, blank=True, db_index=True)
    code_issued_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["wave", "row"]
        constraints = [
            models.UniqueConstraint(
                fields=["code_hash"], condition=~models.Q(code_hash=""), name="one_personal_code"
            )
        ]

    def __str__(self) -> str:
        return self.name


class RatingRule(models.Model):
    """A row of the matrix of who rates which units: every official of `group` rates every unit of
    the wave of kind `rates`, or only their own unit (`rates` = "own_unit")."""

    OWN_UNIT = "own_unit"

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="rating_rules")
    group = models.CharField(_("nhóm"), max_length=40)
    rates = models.CharField(_("đánh giá"), max_length=30)

    class Meta:
        ordering = ["wave", "group", "rates"]
        constraints = [
            models.UniqueConstraint(fields=["wave", "group", "rates"], name="one_rating_rule")
        ]

    def __str__(self) -> str:
        return f"{self.group} → {self.rates}"


class OfficialRating(models.Model):
    """That an official has answered for a unit (stored with the response, in its transaction); the
    response itself names no one, so the figures stay anonymous while the response rates and the
    reminders know who has not answered."""

    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="ratings")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["official", "unit"], name="one_rating_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.official} → {self.unit}"


class PaperForm(models.Model):
    """One printed form (its number within the wave and unit), keyed twice by two clerks
    (surveys/services/paper.py): its response is stored only when both entries agree or a supervisor
    has resolved their differences, so it counts once, and only then."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Chờ nhập lần hai")
        AGREED = "agreed", _("Hai lần nhập khớp")
        MISMATCH = "mismatch", _("Hai lần nhập khác nhau")
        RESOLVED = "resolved", _("Đã xử lý chênh lệch")

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="paper_forms")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("số phiếu"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    response = models.OneToOneField(
        Response, null=True, blank=True, on_delete=models.PROTECT, related_name="paper_form"
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["wave", "unit", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "unit", "number"], name="one_paper_form_per_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} – phiếu số {self.number}"


class PaperEntry(models.Model):
    """One clerk's keying of a paper form: the answers as validated, never a response by itself."""

    form = models.ForeignKey(PaperForm, on_delete=models.CASCADE, related_name="entries")
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Made when the entry screen is served: a resent entry finds its first copy.
    submission_id = models.UUIDField(unique=True)
    answers = models.JSONField()
    keyed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["keyed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["form", "clerk"], name="one_paper_entry_per_clerk")
        ]

    def __str__(self) -> str:
        return f"{self.form} ({self.clerk})"
