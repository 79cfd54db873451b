"""./run and ./test: set up .venv once, then pass every argument through; refuse bad input.

Most tests give the scripts a stand-in `.venv/bin/python` that runs the real interpreter but
records pip's and pytest's command lines instead of running them, so they check what the
scripts decide (what to install, when to skip, what to pass on) in milliseconds. One test
creates a real virtual environment and lets pip fail on an unreachable package index.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

SCRIPTS = ("run", "test", "setup-venv")
NEEDED = "hugo-translate needs Python 3.11 or newer"

# Records `python -m pip|pytest ARGS` in $CALLS, one call a line, and exits $PIP_EXIT for pip;
# runs everything else (the scripts' own small Python snippets) with the real interpreter,
# without site-packages (-S), so that the PyTorch of the environment running the tests is not
# mistaken for one in this .venv.
FAKE_PYTHON = """#!/bin/sh
if [ "$1" = -m ] && { [ "$2" = pip ] || [ "$2" = pytest ]; }; then
    shift
    printf '%s\\n' "$*" >> "$CALLS"
    [ "$1" = pip ] && exit "${PIP_EXIT:-0}"
    exit 0
fi
exec PYTHON -S "$@"
"""
# Records its arguments one a line, with the folder it was run in.
FAKE_TRANSLATE = """#!/bin/sh
pwd > "$CALLS"
printf '%s\\n' "$@" >> "$CALLS"
"""


def copy_scripts(folder: Path) -> Path:
    """Copy the scripts and pyproject.toml into `folder`, a stand-in for a fresh clone."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in (*SCRIPTS, "pyproject.toml"):
        shutil.copy2(ROOT / name, folder / name)
    return folder


def executable(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o755)
    return path


@pytest.fixture
def clone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return a copy of the scripts whose .venv holds the stand-in python and translate."""
    root = copy_scripts(tmp_path / "hugo-translate")
    executable(root / ".venv" / "bin" / "python", FAKE_PYTHON.replace("PYTHON", sys.executable))
    executable(root / ".venv" / "bin" / "translate", FAKE_TRANSLATE)
    monkeypatch.setenv("CALLS", str(tmp_path / "calls"))
    monkeypatch.delenv("PIP_EXIT", raising=False)
    monkeypatch.delenv("PYTHONPATH", raising=False)
    return root


def script(
    path: Path, *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run one of the scripts with `args` in `cwd` (default: its folder), `env` added."""
    return subprocess.run(
        [str(path), *args],
        cwd=cwd or path.parent,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
    )


def calls(clone: Path) -> list[str]:
    """Return the recorded command lines and forget them."""
    log = clone.parent / "calls"
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    log.unlink(missing_ok=True)
    return lines


def stamps(clone: Path) -> list[str]:
    return sorted(path.name for path in (clone / ".venv").glob("*.stamp"))


def test_first_setup_installs_cpu_torch_then_the_project_and_stamps_it(clone: Path) -> None:
    result = script(clone / "setup-venv", "test")
    assert result.returncode == 0, result.stderr
    assert calls(clone) == [
        "pip install --quiet torch==2.13.0",
        f"pip install --quiet --editable {clone}[test]",
    ]
    assert stamps(clone) == [".hugo-translate.stamp"]


def test_torch_comes_from_the_index_in_torch_index_url(clone: Path) -> None:
    index = "https://wheels.example/cpu"
    script(clone / "setup-venv", env={"TORCH_INDEX_URL": index})
    assert calls(clone)[0] == f"pip install --quiet --extra-index-url {index} torch==2.13.0"


def test_a_second_setup_installs_nothing_and_says_nothing(clone: Path) -> None:
    script(clone / "setup-venv", "test")
    calls(clone)
    result = script(clone / "setup-venv", "test")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert calls(clone) == []


def test_test_after_run_adds_its_extra_without_pytorch_and_run_after_test_installs_nothing(
    clone: Path,
) -> None:
    """One environment that knows its extras: `./test` after `./run`, and back."""
    script(clone / "setup-venv", "ctranslate2")
    calls(clone)
    script(clone / "setup-venv", "test")
    assert calls(clone) == [f"pip install --quiet --editable {clone}[ctranslate2,test]"]
    for extra in ("ctranslate2", "test"):  # test holds ctranslate2's packages
        result = script(clone / "setup-venv", extra)
        assert (result.returncode, result.stdout, calls(clone)) == (0, "", [])
    script(clone / "setup-venv", "dev")
    assert calls(clone) == [f"pip install --quiet --editable {clone}[ctranslate2,dev,test]"]
    assert stamps(clone) == [".hugo-translate.stamp"]


def test_a_changed_pyproject_installs_every_extra_again_but_not_pytorch(clone: Path) -> None:
    script(clone / "setup-venv", "dev")
    calls(clone)
    with (clone / "pyproject.toml").open("a", encoding="utf-8") as pyproject:
        pyproject.write("# a new dependency\n")
    script(clone / "setup-venv", "ctranslate2")
    assert calls(clone) == [f"pip install --quiet --editable {clone}[ctranslate2,dev]"]
    script(clone / "setup-venv", "ctranslate2")
    assert calls(clone) == []


def test_a_new_pytorch_requirement_installs_pytorch_alone(clone: Path) -> None:
    script(clone / "setup-venv", "test")
    calls(clone)
    script(clone / "setup-venv", "test", env={"TORCH_REQUIREMENT": "torch==2.14.0"})
    assert calls(clone) == ["pip install --quiet torch==2.14.0"]


def test_an_unknown_extra_is_refused_naming_the_known_ones(clone: Path) -> None:
    script(clone / "setup-venv", "test")
    calls(clone)
    result = script(clone / "setup-venv", "tests")
    assert result.returncode == 1
    assert result.stderr == "unknown extra 'tests': choose one of ctranslate2, dev, test\n"
    assert calls(clone) == []


def test_the_stamps_per_extra_of_earlier_set_ups_are_removed(clone: Path) -> None:
    (clone / ".venv" / ".hugo-translate-test.stamp").write_text("old key\n", encoding="utf-8")
    script(clone / "setup-venv", "test")
    assert stamps(clone) == [".hugo-translate.stamp"]


def test_a_failed_install_shows_pips_error_and_marks_nothing_done(clone: Path) -> None:
    script(clone / "setup-venv", "test")
    (clone / "pyproject.toml").write_text(
        (ROOT / "pyproject.toml").read_text(encoding="utf-8") + "# changed\n", encoding="utf-8"
    )
    calls(clone)
    result = script(clone / "setup-venv", "test", env={"PIP_EXIT": "1"})
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "Set-up stopped at pip's error above; the next run tries again."
    )
    assert calls(clone) == [f"pip install --quiet --editable {clone}[test]"]  # no PyTorch
    # Tried again: the project, and nothing before it.
    script(clone / "setup-venv", "test")
    assert calls(clone) == [f"pip install --quiet --editable {clone}[test]"]
    script(clone / "setup-venv", "test")
    assert calls(clone) == []


def test_a_gpu_build_of_torch_is_kept(clone: Path, tmp_path: Path) -> None:
    fake = tmp_path / "site-packages" / "torch"
    executable(fake / "__init__.py", "")
    executable(fake / "lib" / "libtorch_cuda.so", "")
    result = script(clone / "setup-venv", "test", env={"PYTHONPATH": str(fake.parent)})
    assert "Keeping the GPU build of PyTorch" in result.stdout
    assert calls(clone) == [f"pip install --quiet --editable {clone}[test]"]


def test_run_translates_the_site_it_is_run_in_with_every_argument(
    clone: Path, tmp_path: Path
) -> None:
    site = tmp_path / "my site"
    site.mkdir()
    result = script(clone / "run", "--dry-run", "content/de/post/a b.md", cwd=site)
    assert result.returncode == 0, result.stderr
    assert calls(clone)[-4:] == [str(site), "run", "--dry-run", "content/de/post/a b.md"]
    assert stamps(clone) == [".hugo-translate.stamp"]


def test_test_passes_every_argument_to_pytest(clone: Path) -> None:
    result = script(clone / "test", "-m", "not slow", "-x")
    assert result.returncode == 0, result.stderr
    assert calls(clone)[-1] == "pytest -m not slow -x"


@pytest.mark.parametrize("name", ["run", "test", "setup-venv"])
def test_an_old_python_is_refused_in_one_line(tmp_path: Path, name: str) -> None:
    clone = copy_scripts(tmp_path / "clone")
    old = executable(
        tmp_path / "python3.10",
        '#!/bin/sh\ncase "$*" in *version_info*) exit 1;; *print*) echo 3.10.12;; esac\n',
    )
    result = script(clone / name, env={"PYTHON": str(old)})
    assert result.returncode == 1
    assert (
        result.stderr == f"{NEEDED}: '{old}' is Python 3.10.12 (set PYTHON=/path/to/python3.11)\n"
    )
    assert not (clone / ".venv").exists()


def test_no_python3_is_refused_in_one_line(tmp_path: Path) -> None:
    clone = copy_scripts(tmp_path / "clone")
    bin_dir = tmp_path / "bin"  # what the scripts need from PATH, and no python3
    bin_dir.mkdir()
    for tool in ("bash", "dirname", "cat", "rm"):
        found = shutil.which(tool)
        assert found is not None
        (bin_dir / tool).symlink_to(found)
    environment = {key: value for key, value in os.environ.items() if key != "PYTHON"}
    result = subprocess.run(
        [str(clone / "run")],
        env={**environment, "PATH": str(bin_dir)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr == f"{NEEDED}: 'python3' was not found (set PYTHON=/path/to/python3)\n"


@pytest.mark.slow
def test_an_unreachable_package_index_fails_with_pips_error(tmp_path: Path) -> None:
    clone = copy_scripts(tmp_path / "clone")
    offline = {
        "PYTHON": sys.executable,
        "PIP_CONFIG_FILE": os.devnull,  # no configured mirror or local wheels to fall back on
        "PIP_FIND_LINKS": "",
        "PIP_INDEX_URL": "http://127.0.0.1:9/simple",  # the discard port: nothing listens
        "PIP_RETRIES": "0",
    }
    result = script(clone / "run", env=offline)
    assert result.returncode == 1
    assert "Creating" in result.stdout and "Installing PyTorch" in result.stdout
    assert "ERROR: No matching distribution found for torch==2.13.0" in result.stderr
    assert stamps(clone) == []
    assert (clone / ".venv" / "bin" / "python").exists()  # kept: the next run resumes in it


def fresh_clone(folder: Path) -> Path:
    """Return a git repository of this one's tracked files as they are now: a fresh clone.

    Copied from the working tree rather than cloned, so that what the test proves holds for
    the files about to be committed too.
    """
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    for name in filter(None, tracked):
        if (ROOT / name).is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, folder / name)
    git(folder, "init", "--quiet")
    git(folder, "add", "--all")
    git(folder, "commit", "--quiet", "-m", "fresh clone")
    return folder


def git(folder: Path, *args: str) -> str:
    identity = ["-c", "user.name=test", "-c", "user.email=test@example.org"]
    return subprocess.run(
        ["git", *identity, *args], cwd=folder, capture_output=True, text=True, check=True
    ).stdout


def test_run_in_a_fresh_clone_leaves_git_status_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first `./run` of a new user, in this repository: nothing to commit afterwards.

    The set-up's pip calls are recorded, not run (the stand-in python), and `translate` is
    this environment's: what is proved is that running the tool on the repository's own site,
    twice, changes no tracked file and leaves no file git does not ignore.
    """
    clone = fresh_clone(tmp_path / "hugo-translate")
    executable(clone / ".venv" / "bin" / "python", FAKE_PYTHON.replace("PYTHON", sys.executable))
    executable(
        clone / ".venv" / "bin" / "translate",
        f'#!/bin/sh\nexec "{Path(sys.executable).parent / "translate"}" "$@"\n',
    )
    monkeypatch.setenv("CALLS", str(tmp_path / "calls"))
    for attempt in ("first", "second"):
        result = script(clone / "run", env={"HF_HUB_OFFLINE": "1"})
        assert result.returncode == 0, f"{attempt} run: {result.stdout}{result.stderr}"
        assert "0 failed." in result.stdout, result.stdout
        status = git(clone, "status", "--porcelain", "--untracked-files=all")
        assert status == "", f"after the {attempt} run:\n{status}{git(clone, 'diff')}"
