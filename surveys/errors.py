"""The survey room's refusals of input: what the services and the intake raise and the views and the API
turn into messages (400, or 404 for an unknown wave or unit)."""

from core.tabular import ImportFailed


class SurveyError(Exception):
    """Refused input; `problems` lists every reason: in the active language for staff (the services),
    in Vietnamese for respondents (the intake, the code entry page, answer checks: decision 19)."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else problems
        super().__init__(" ".join(self.problems))


class UnknownWaveOrUnit(SurveyError):
    """No such wave, or no unit with that code (the API answers 404)."""

    def __init__(self):
        super().__init__("Không tìm thấy đợt khảo sát hoặc đơn vị.")


def attempt(action):
    """An upload's service run for a view: (its result, []) when taken, (None, every problem) when the
    file (ImportFailed) or what it says (SurveyError) is refused; nothing is stored then."""
    try:
        return action(), []
    except (ImportFailed, SurveyError) as refused:
        return None, refused.problems
