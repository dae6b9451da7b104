"""The import contracts of pyproject.toml ([tool.importlinter]): `articles` below `annotator`,
and no import cycle among the modules of either, inside functions too."""

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_hold(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0
