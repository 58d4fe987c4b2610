"""What `pip install idemsql` gives: the package from the wheel and the `idemsql` command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig

import idemsql


def test_the_package_is_the_installed_wheel_not_the_source_tree():
    site = sysconfig.get_path("purelib")
    assert os.path.dirname(idemsql.__file__) == os.path.join(site, "idemsql")
    assert os.path.isfile(os.path.join(site, "idemsql", "py.typed"))
    assert os.path.isfile(os.path.join(site, "idemsql", "__init__.pyi"))


def test_no_rust_toolchain_is_needed():
    # scripts/test-python.sh runs these tests with cargo and rustc off PATH.
    assert shutil.which("cargo") is None
    assert shutil.which("rustc") is None


def test_the_command_is_on_path_from_the_environment():
    found = shutil.which("idemsql")
    assert found is not None
    assert os.path.dirname(found) == sysconfig.get_path("scripts")


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["idemsql", *args], input=stdin, capture_output=True, text=True, timeout=60
    )


def test_the_command_rewrites_the_readme_example(repo):
    out = run("rewrite", str(repo / "examples" / "orders.sql"))
    assert out.returncode == 0, out.stderr
    assert "ON CONFLICT (order_id) DO UPDATE SET" in out.stdout
    assert out.stdout.startswith("-- A nightly orders load.")


def test_the_command_and_the_api_are_the_same_version():
    out = run("--version")
    assert out.stdout.strip() == f"idemsql {idemsql.__version__}"


def test_check_exit_codes_and_formats():
    bad = run("check", "--stdin-filename", "load.sql", "-", stdin="INSERT INTO t (a) VALUES (1);")
    assert bad.returncode == 1
    assert "IDEM001" in bad.stdout
    clean = run("check", "-", stdin="SELECT 1;")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    github = run("check", "--format", "github", "--stdin-filename", "a.sql", "-",
                 stdin="INSERT INTO t (a) VALUES (1);")
    assert github.stdout.startswith("::error file=a.sql,line=1,col=1")


def test_python_dash_m_runs_the_same_command(repo):
    out = subprocess.run(
        [sys.executable, "-m", "idemsql", "rewrite", "--dialect", "sqlite",
         str(repo / "examples" / "orders.sql")],
        capture_output=True, text=True, timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert "ON CONFLICT (order_id) DO UPDATE SET" in out.stdout


def test_idemsql_test_looks_for_duckdb_beside_the_command(tmp_path):
    # `idemsql test` runs DuckDB through the `duckdb` package of the environment it is
    # installed in (`pip install 'idemsql[duckdb]'`), activated or not.
    script = tmp_path / "load.sql"
    script.write_text("CREATE TABLE IF NOT EXISTS t (a int);\nINSERT INTO t VALUES (1);\n")
    env = {k: v for k, v in os.environ.items() if k != "IDEMSQL_PYTHON"}
    out = subprocess.run(
        ["idemsql", "test", "--dialect", "duckdb", str(script)],
        capture_output=True, text=True, timeout=60, env=env,
    )
    beside = os.path.join(sysconfig.get_path("scripts"), "python3")
    try:
        import duckdb  # noqa: F401
    except ImportError:
        assert out.returncode == 2, out.stdout + out.stderr
        assert f"{beside}: ModuleNotFoundError" in out.stderr, out.stderr
        assert "pip install 'idemsql[duckdb]'" in out.stderr
    else:
        assert out.returncode == 1, out.stdout + out.stderr
        assert "t: 1 row after one run, 2 rows after two runs" in out.stdout
