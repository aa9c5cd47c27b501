"""Every environment variable the code reads is documented: in `.env.example` and in the README's
"Configuration" table."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VARIABLE = re.compile(r"\bNEWSREC_[A-Z][A-Z0-9_]*[A-Z0-9]\b")
CODE = ("*.py", "*.yml", "*.yaml", "*.sql", "*.toml")
ALWAYS = {"DAGSTER_HOME"}
GENERATED = {"target", "logs", "dbt_packages", "__pycache__"}


def used_in_code() -> set[str]:
    """`NEWSREC_*` names in the packages' source, the dbt project, the benchmark and the
    Makefile (tests may name files or fixtures NEWSREC_-something: they are not read here)."""
    files = [ROOT / "Makefile", *ROOT.glob("bench/*.py")]
    for pattern in CODE:
        files += ROOT.glob(f"packages/*/src/**/{pattern}")
    sources = [p for p in files if p.is_file() and not GENERATED & set(p.relative_to(ROOT).parts)]
    return {name for path in sources for name in VARIABLE.findall(path.read_text(encoding="utf-8"))}


def in_env_example() -> set[str]:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def in_readme_table() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", section, flags=re.MULTILINE))


def test_the_code_reads_the_variables_this_test_knows_of() -> None:
    """A sanity check of the scan itself: it finds the data directory and the thresholds."""
    assert {"NEWSREC_DATA_DIR", "NEWSREC_FRESHNESS_AS_OF"} <= used_in_code()


def test_every_variable_is_in_env_example() -> None:
    missing = (used_in_code() | ALWAYS) - in_env_example()
    assert not missing, f"add to .env.example: {sorted(missing)}"


def test_every_variable_is_in_the_readme_configuration_table() -> None:
    missing = (used_in_code() | ALWAYS) - in_readme_table()
    assert not missing, f"add to the README's Configuration table: {sorted(missing)}"


def test_nothing_documented_is_unknown_to_the_code() -> None:
    """A renamed or removed variable leaves no stale line behind."""
    documented = in_env_example() | in_readme_table()
    assert {name for name in documented if name.startswith("NEWSREC_")} <= used_in_code()
