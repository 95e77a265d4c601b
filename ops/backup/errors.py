"""What a backup or a restore raises: every problem in the active language, one line each."""


class BackupError(Exception):
    """Refused or failed: `problems` says why, in the active language, one line each."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class RestoreRefused(BackupError):
    """Refused before anything was changed (a damaged archive, a database that is not empty, …)."""


class RestoreMismatch(BackupError):
    """Restored, but what the database or the storage now holds differs from the manifest."""
