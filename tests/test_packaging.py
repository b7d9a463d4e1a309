"""The package as people get it: a wheel and an sdist with the licence and the manual, one
version, completions and a man page generated from the parser, and a wheel that works when
installed into a fresh virtual environment and run from another folder."""

from __future__ import annotations

import email.parser
import os
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import facilitate

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The wheel and the sdist, built as a release would build them (isolated, from the tree)."""
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    yield out


def _wheel(dist: Path) -> Path:
    (wheel,) = dist.glob("facilitate-*.whl")
    return wheel


def _metadata(dist: Path) -> email.message.Message:
    with zipfile.ZipFile(_wheel(dist)) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        return email.parser.Parser().parsestr(zf.read(name).decode())


@pytest.mark.slow
def test_the_wheel_and_sdist_carry_the_licence_and_the_manual(dist: Path) -> None:
    with zipfile.ZipFile(_wheel(dist)) as zf:
        names = zf.namelist()
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names), names
    assert any(n.endswith(".data/data/share/man/man1/facilitate.1") for n in names)
    assert "facilitate/_data/themes/facilitate-dark.json" in names
    (sdist,) = dist.glob("facilitate-*.tar.gz")
    with tarfile.open(sdist) as tf:
        members = {m.name.split("/", 1)[1] for m in tf.getmembers() if "/" in m.name}
    assert {"LICENSE", "man/facilitate.1", "README.md", "pyproject.toml"} <= members


@pytest.mark.slow
def test_metadata_has_one_version_the_licence_and_classifiers(dist: Path) -> None:
    meta = _metadata(dist)
    assert meta["Version"] == facilitate.__version__
    assert meta["License-Expression"] == "MIT"
    assert meta["License-File"] == "LICENSE"
    classifiers = meta.get_all("Classifier") or []
    for version in ("3.11", "3.12", "3.13"):
        assert f"Programming Language :: Python :: {version}" in classifiers
    assert "Environment :: Console" in classifiers
    assert any(c.startswith("Topic :: ") for c in classifiers)


def test_the_version_is_written_once() -> None:
    """pyproject.toml reads the version from the package; it is not written there a second time."""
    text = (ROOT / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in text
    assert "\nversion =" not in text
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")


def test_the_textual_pin_says_why() -> None:
    lines = (ROOT / "pyproject.toml").read_text().splitlines()
    pin = next(i for i, line in enumerate(lines) if '"textual==' in line)
    comment = " ".join(lines[pin - 8 : pin])
    assert "snapshot" in comment and "private" in comment


@pytest.mark.slow
def test_an_installed_wheel_works_from_another_folder(dist: Path, tmp_path: Path) -> None:
    """Install into a fresh venv (no source tree on the path); use it from an unrelated folder."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(_wheel(dist))],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert pip.returncode == 0, pip.stderr[-2000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "FACILITATE_DATA")}
    env["HOME"] = str(tmp_path / "home")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(venv / "bin" / "facilitate"), *args],
            cwd=elsewhere,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env=env,
        )

    version = run("--version")
    assert (
        version.returncode == 0 and version.stdout.strip() == f"facilitate {facilitate.__version__}"
    )
    ws = str(tmp_path / "ws")
    init = run("--data", ws, "init", "--sample")
    assert init.returncode == 0, init.stderr
    check = run("--data", ws, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    meetings = run("--data", ws, "meetings")
    assert meetings.returncode == 0 and "mtg-" in meetings.stdout
    report = run("--data", ws, "report", "--year", "2026", "--format", "html", "-o", "r.html")
    assert report.returncode == 0, report.stderr
    assert (elsewhere / "r.html").read_text().count("<svg") == 5
    completion = run("completion", "bash")
    assert completion.returncode == 0 and "_shtab_facilitate" in completion.stdout
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import facilitate; print(facilitate.__file__)"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env=env,
    )
    assert str(venv) in where.stdout  # the installed copy, not the source tree


def test_the_man_page_is_up_to_date() -> None:
    """man/facilitate.1 is generated from the parser: a new option cannot be left out of it.
    The bytes are compared on Python 3.11, which makes the committed page (argparse wraps usage
    lines differently in 3.12 and 3.13); every Python checks that each command is in it."""
    page = (ROOT / "man" / "facilitate.1").read_text()
    assert page.startswith('.TH FACILITATE "1"')
    for command in ("agenda", "minutes", "actions", "completion", "check", "report", "backups"):
        assert f"facilitate\\fR \\fI\\,{command}\\/" in page
    if sys.version_info[:2] != (3, 11):
        return
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_manpage.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "facilitate", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_dash_v_prints_the_version() -> None:
    proc = _cli("-V")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"facilitate {facilitate.__version__}"


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "-F _shtab_facilitate facilitate"),
        ("zsh", "#compdef facilitate"),
        ("fish", "complete -c facilitate"),
        ("tcsh", "complete facilitate"),
    ],
)
def test_completion_scripts_are_generated_for_each_shell(shell: str, marker: str) -> None:
    proc = _cli("completion", shell)
    assert proc.returncode == 0, proc.stderr
    assert marker in proc.stdout
    assert "minutes" in proc.stdout and "roster" in proc.stdout


def test_bash_completion_completes_commands_and_subcommands(tmp_path: Path) -> None:
    script = tmp_path / "facilitate.bash"
    script.write_text(_cli("completion", "bash").stdout)
    probe = (
        f"source {script};"
        "COMP_WORDS=(facilitate ag); COMP_CWORD=1; _shtab_facilitate; echo ${COMPREPLY[@]};"
        'COMP_WORDS=(facilitate agenda ""); COMP_CWORD=2; _shtab_facilitate; echo ${COMPREPLY[@]}'
    )
    proc = subprocess.run(
        ["bash", "-c", probe], capture_output=True, text=True, timeout=30, check=False
    )
    first, second = proc.stdout.splitlines()[:2]
    assert first.split() == ["agenda"]
    assert {"show", "submit", "import", "proposals"} <= set(second.split())


def test_completion_of_an_unknown_shell_is_a_usage_error() -> None:
    proc = _cli("completion", "powershell")
    assert proc.returncode == 2
    assert "invalid choice" in proc.stderr
