"""Every setting the environment can override is in the README's table, so
an operator finds it there instead of reading settings.py."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READ = re.compile(r"""(?:os\.environ\.get|env_bool|env_list)\(\s*["']([A-Z][A-Z0-9_]+)["']""")


def test_every_environment_variable_settings_read_is_in_the_readme():
    names = set(READ.findall((ROOT / "mesa_cs" / "settings.py").read_text()))
    assert len(names) > 40  # the pattern still finds settings.py's reads
    readme = (ROOT / "README.md").read_text()
    missing = sorted(name for name in names if f"`{name}`" not in readme)
    assert not missing, f"not in README.md's environment tables: {missing}"
