"""Templates: the user's folder overrides the bundled one, everything autoescapes, errors name file and line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefing.cli import main
from briefing.render import TemplateError, render_briefing, render_html
from briefing.render.templating import environment, render_template
from tests.briefings import make_briefing


def user_templates(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "my-templates"
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_user_template_replaces_one_section(tmp_path: Path) -> None:
    folder = user_templates(
        tmp_path,
        {
            "partials/bottom_line.html.j2": "<section id='bottom-line'><h2>In short</h2>{{ report.stories | length }} stories</section>"
        },
    )
    html, _ = render_html(make_briefing(stories=2), folder)
    assert "<h2>In short</h2>2 stories" in html
    assert "<h2>Stories</h2>" in html  # the other sections are still the bundled ones


def test_every_template_autoescapes_whatever_its_extension(tmp_path: Path) -> None:
    folder = user_templates(tmp_path, {"note.txt": "{{ value }}", "style.css": "{{ value }}", "plain": "{{ value }}"})
    env = environment(folder)
    for name in ("note.txt", "style.css", "plain", "briefing.css"):
        assert env.autoescape is True or env.autoescape(name)  # type: ignore[operator]
    assert render_template(env, "note.txt", value="<b>&") == "&lt;b&gt;&amp;"
    assert render_template(env, "plain", value='"x"') == "&#34;x&#34;"


def test_a_syntax_error_names_the_template_and_line(tmp_path: Path) -> None:
    folder = user_templates(
        tmp_path, {"partials/stories.html.j2": "<section>\n<h2>Stories</h2>\n{% for story in %}\n</section>\n"}
    )
    with pytest.raises(TemplateError) as caught:
        render_html(make_briefing(), folder)
    message = str(caught.value)
    assert "partials/stories.html.j2" in message and str(folder) in message and "line 3" in message


def test_an_error_while_rendering_names_the_template_and_line(tmp_path: Path) -> None:
    folder = user_templates(
        tmp_path, {"partials/actors.html.j2": "<section>\n\n{{ report.no_such_field }}\n</section>\n"}
    )
    with pytest.raises(TemplateError) as caught:
        render_briefing(make_briefing(), tmp_path / "reports", folder)
    message = str(caught.value)
    assert "partials/actors.html.j2, line 3" in message and "no_such_field" in message
    assert not (tmp_path / "reports").exists() or not list(
        (tmp_path / "reports").rglob("*.html")
    )  # nothing half-written


def test_a_missing_include_and_a_missing_folder_are_clear(tmp_path: Path) -> None:
    folder = user_templates(tmp_path, {"briefing.html.j2": "{% include 'partials/nowhere.html.j2' %}"})
    with pytest.raises(TemplateError, match=r"nowhere\.html\.j2"):
        render_html(make_briefing(), folder)
    with pytest.raises(TemplateError, match="does not exist"):
        render_html(make_briefing(), tmp_path / "absent")


def test_the_command_reports_a_broken_template_and_exits_2(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    for name in [n for n in os.environ if n.startswith("BRIEFING_")]:
        monkeypatch.delenv(name)
    user_templates(project, {"partials/header.html.j2": "<header>\n{{ report.title | nosuchfilter }}\n</header>"})
    (project / "briefing.toml").write_text('templates_dir = "my-templates"\ntimezone = "UTC"\n', encoding="utf-8")
    assert main(["generate"]) == 2
    err = capsys.readouterr().err
    assert "partials/header.html.j2" in err and "line 2" in err and "nosuchfilter" in err
