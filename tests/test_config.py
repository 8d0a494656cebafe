"""Settings: defaults, the TOML file, BRIEFING_* overrides, and one error listing every problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.config import ConfigError, Settings, load_settings, option_docs

README = Path(__file__).resolve().parent.parent / "README.md"


def test_everything_has_a_working_default() -> None:
    settings = load_settings(env={})
    assert settings.analysis.key_points == 3
    assert settings.analysis.summarizer == "news"
    assert settings.max_file_bytes == 5 * 1024 * 1024
    assert settings.tz is not None


def test_file_then_environment(tmp_path: Path) -> None:
    config = tmp_path / "briefing.toml"
    config.write_text('reports_dir = "out"\ntimezone = "Europe/Paris"\n[analysis]\nkey_points = 4\n', encoding="utf-8")
    settings = load_settings(config, env={"BRIEFING_ANALYSIS__KEY_POINTS": "6", "BRIEFING_SEEDS_DIR": "inbox"})
    assert settings.base_dir == tmp_path
    assert settings.reports_path == tmp_path / "out"
    assert settings.seeds_path == tmp_path / "inbox"
    assert settings.analysis.key_points == 6
    assert settings.timezone == "Europe/Paris"


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    config = tmp_path / "briefing.toml"
    config.write_text(
        'timezone = "Nowhere/Land"\nmax_file_mb = -1\ncolour = "blue"\n[analysis]\nkey_points = 0\nsummarizer = "magic"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(config, env={"BRIEFING_NOPE": "1"})
    problems = "\n".join(caught.value.problems)
    for expected in (
        "timezone",
        "Nowhere/Land",
        "max_file_mb",
        "colour",
        "analysis.key_points",
        "analysis.summarizer",
        "BRIEFING_NOPE",
    ):
        assert expected in problems
    assert len(caught.value.problems) == 6


def test_invalid_toml_is_a_clear_error(tmp_path: Path) -> None:
    config = tmp_path / "briefing.toml"
    config.write_text("this is = = not toml", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(config, env={})


def test_every_option_has_a_docstring_and_is_in_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    for name, doc in option_docs(Settings).items():
        assert doc, f"{name} has no docstring"
        assert f"`{name}`" in readme, f"{name} is not documented in README.md"


def test_schedules_default_and_environment_adjusts_them() -> None:
    settings = load_settings(env={"BRIEFING_SCHEDULES__DAILY__RECIPIENTS": '["desk@example.org"]'})
    assert set(settings.schedules) == {"daily", "weekly"}
    assert settings.schedules["daily"].recipients == ["desk@example.org"]
    assert settings.schedules["weekly"].cron == "0 8 * * mon"


def test_bad_cron_is_reported(tmp_path: Path) -> None:
    config = tmp_path / "briefing.toml"
    config.write_text('[schedules.hourly]\ncron = "61 * * * *"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"schedules\.hourly\.cron"):
        load_settings(config, env={})


def test_a_password_line_does_not_hide_the_other_email_problems(tmp_path: Path) -> None:
    config = tmp_path / "briefing.toml"
    config.write_text(
        '[email]\npassword = "hunter2"\nport = 0\nsecurity = "carrier-pigeon"\nsender = "not an address"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(config, env={})
    problems = "\n".join(caught.value.problems)
    for expected in ("email.password", "email.port", "email.security", "email.sender"):
        assert expected in problems
    assert len(caught.value.problems) == 4
    assert "hunter2" not in str(caught.value)


def test_empty_paths_are_refused_not_taken_for_the_project_folder(tmp_path: Path) -> None:
    config = tmp_path / "briefing.toml"
    config.write_text('reports_dir = ""\nseeds_dir = "  "\nstate_file = ""\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(config, env={"BRIEFING_TEMPLATES_DIR": ""})
    problems = caught.value.problems
    for name in ("reports_dir", "seeds_dir", "state_file", "templates_dir"):
        assert any(p.startswith(f"{name}: ") and "empty" in p for p in problems), (name, problems)
    assert len(problems) == 4


def test_a_cron_that_never_fires_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "briefing.toml"
    config.write_text(
        '[schedules.never]\ncron = "0 7 30 2 *"\n[schedules.april]\ncron = "0 7 31 4 *"\n'
        '[schedules.leap]\ncron = "0 7 29 2 *"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(config, env={})
    problems = caught.value.problems
    assert [p.split(":")[0] for p in problems] == ["schedules.never.cron", "schedules.april.cron"]
    assert all("never" in p for p in problems)
    config.write_text('[schedules.leap]\ncron = "0 7 29 2 *"\n', encoding="utf-8")
    assert load_settings(config, env={}).schedules["leap"].cron == "0 7 29 2 *"  # every four years is fine


def test_a_key_with_control_characters_is_shown_escaped(tmp_path: Path) -> None:
    config = tmp_path / "briefing.toml"
    config.write_text('"colour\\nservice: running" = 1\n"\\u001b[31mred" = 2\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(config, env={})
    message = str(caught.value)
    assert "\x1b" not in message
    assert "  - colour\\nservice: running: unknown setting" in message.splitlines()
    assert not [line for line in message.splitlines() if line.startswith("service:")]
