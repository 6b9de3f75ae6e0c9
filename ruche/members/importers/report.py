"""What an import tells its operator: counts per kind of record, and every problem met, each
naming the record so it can be fixed upstream."""

from dataclasses import dataclass, field

KINDS = ("organisations", "incubators", "startups", "members")


@dataclass
class KindCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    marked_missing: int = 0
    # The file of this kind could not be read: nothing was compared, nothing marked missing.
    not_read: bool = False

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.marked_missing

    def summary(self) -> str:
        if self.not_read:
            return "not imported (file unusable, see problems)"
        text = (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.skipped} skipped"
        )
        if self.marked_missing:
            text += f", {self.marked_missing} marked missing upstream"
        return text


@dataclass
class ImportReport:
    counts: dict[str, KindCounts] = field(default_factory=lambda: {k: KindCounts() for k in KINDS})
    problems: list[str] = field(default_factory=list)
    dry_run: bool = False
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return any(counts.changed for counts in self.counts.values())

    def problem(self, file: str, subject: str, message: str, consequence: str) -> None:
        prefix = f"{file}: {subject}: " if subject else f"{file}: "
        self.problems.append(f"{prefix}{message} — {consequence}")

    def lines(self) -> list[str]:
        lines = [f"{kind}: {self.counts[kind].summary()}" for kind in KINDS]
        if not self.changed:
            lines.append("Nothing changed: Ruche already matches the source.")
        elif self.dry_run:
            lines.append("Dry run: nothing was saved.")
        if self.problems:
            lines.append(f"{len(self.problems)} problem(s) in the source:")
            lines.extend(f"  {problem}" for problem in self.problems)
        return lines


class Progress:
    """Shows how far each kind has got: a bar redrawn in place on a terminal, else a line at
    each quarter so that logs stay short."""

    WIDTH = 30

    def __init__(self, stream, *, is_tty: bool):
        self.stream = stream
        self.is_tty = is_tty
        self._last: tuple[str, int] | None = None

    def __call__(self, kind: str, done: int, total: int) -> None:
        if total <= 0:
            return
        if self.is_tty:
            step = done * 100 // total
            if (kind, step) == self._last:
                return
            self._last = (kind, step)
            filled = self.WIDTH * done // total
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            end = "\n" if done == total else ""
            self.stream.write(f"\r{kind:<13} [{bar}] {done}/{total}{end}")
        else:
            quarter = done * 4 // total
            if (kind, quarter) == self._last:
                return
            self._last = (kind, quarter)
            if quarter == 0:
                return
            self.stream.write(f"{kind}: {done}/{total}\n")
        self.stream.flush()
