"""The README is the newcomer's way in: its quick start and configuration table must match the
code."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
READ_FROM_ENVIRONMENT = re.compile(
    r"""(?:env_str|env_bool|env_int|env_list)\(\s*"([A-Z_]+)"|os\.environ\.get\(\s*"([A-Z_]+)\""""
)


def _section(title: str) -> str:
    return README.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def _documented_variables() -> dict[str, str]:
    """variable → its default, from the rows of the configuration table."""
    documented = {}
    for row in _section("Configuration").splitlines():
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`"):
            for name in re.findall(r"`([A-Z_]+)`", cells[0]):
                documented[name] = cells[1]
    return documented


def test_every_variable_the_code_reads_is_documented_with_its_default():
    read = set()
    for path in [*ROOT.glob("config/*.py"), *ROOT.glob("ruche/**/*.py")]:
        for match in READ_FROM_ENVIRONMENT.finditer(path.read_text()):
            read.add(match[1] or match[2])
    documented = _documented_variables()

    assert "DEBUG" in read
    assert read - documented.keys() == set()
    assert all(documented.values()), "every variable needs a default, even « none »"


def test_the_quick_start_is_make_run_then_make_test():
    block = re.search(r"```sh\n(.*?)```", _section("Quick start"), re.S)[1]
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]

    assert commands == ["make run", "make test"]


def test_the_readme_says_what_ruche_is_in_french_and_in_english():
    introduction = README.split("## ", 1)[0]

    assert "**Français.** Ruche est la plateforme" in introduction
    assert "**English.** Ruche is the engagement platform" in introduction


def test_the_readme_speaks_of_this_repository_to_its_users_and_operators():
    assert "../" not in README, "the README points at files outside the repository"
    assert "issue" not in README.lower(), "readers do not know the project's issues"
    named = re.findall(r"^\| `([^`]+)`", _section("Code"), re.M)
    assert "ruche/core/" in named
    assert [path for path in named if not (ROOT / path).exists()] == []


def test_every_chat_variable_says_what_it_does():
    documented = {
        row.split("|")[1]: row.split("|")[3]
        for row in _section("Configuration").splitlines()
        if row.startswith("| `")
    }
    chat = [
        meaning for names, meaning in documented.items() if "CHAT_" in names or "MATRIX" in names
    ]
    assert len(chat) == 2
    assert all("announce" in meaning for meaning in chat)
