"""The production deployment folder (deploy/) and nastavnik/settings_production.py.

No container engine runs here, so these tests check the structure: every command the compose
file runs exists in the project, every variable it reads is documented, the proxy routes the
wildcard subdomains with the Host header, and the production settings refuse to start without
their secrets (in a subprocess with a scrubbed environment). No database is used.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

BASE_DIR = Path(__file__).resolve().parent.parent
DEPLOY = BASE_DIR / "deploy"
COMPOSE_FILE = DEPLOY / "docker-compose.yml"
DOCKERFILE = DEPLOY / "Dockerfile"
NGINX_CONF = DEPLOY / "nginx" / "nastavnik.conf"
ENV_EXAMPLE = DEPLOY / ".env.example"
README = DEPLOY / "README.md"
PRODUCTION_SETTINGS_FILE = BASE_DIR / "nastavnik" / "settings_production.py"

APP_SERVICES = ("migrate", "web", "worker", "beat")
ALL_SERVICES = ("postgres", "redis", *APP_SERVICES, "proxy")
PRODUCTION_SETTINGS = "nastavnik.settings_production"
BASE_DOMAIN = "nastavnik.example.ru"
# ${VAR}, ${VAR:-default}, ${VAR:?message}; `$${VAR}` is the container's own variable, not Compose's.
COMPOSE_VARIABLE = re.compile(r"(?<!\$)\$\{([A-Z_][A-Z0-9_]*)")


def module_constant(path: Path, name: str):
    """A literal assigned at module level, read without importing (the module may refuse to load)."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} is not assigned in {path}")


REQUIRED_ENVIRONMENT = module_constant(PRODUCTION_SETTINGS_FILE, "REQUIRED_ENVIRONMENT")
GOOD_ENVIRONMENT = {
    "DJANGO_SECRET_KEY": "k" * 20 + "abcdefghijklmnopqrstuvwxyz0123456789ABCD",  # 60 characters
    "DATABASE_URL": "postgresql://u:p@db/x",
    "REDIS_URL": "redis://r:6379/0",
    "NASTAVNIK_BASE_DOMAIN": BASE_DOMAIN,
}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def documented_variables() -> set[str]:
    """Names in .env.example, set (`VAR=`) or shown commented out (`# VAR=`)."""
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    return set(re.findall(r"^(?:#\s*)?([A-Z_][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def scrubbed(tmp_path: Path, environment: dict[str, str]) -> dict[str, str]:
    """Nothing but `environment`, PATH, and private data and static directories (as in the image)."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONDONTWRITEBYTECODE": "1",
        "NASTAVNIK_DATA_DIR": str(tmp_path / "data"),
        "NASTAVNIK_STATIC_ROOT": str(tmp_path / "static"),
        **environment,
    }


def run_python(code: str, tmp_path: Path, environment: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=BASE_DIR,
        env=scrubbed(tmp_path, environment),
        capture_output=True,
        text=True,
        timeout=300,
    )


def import_production_settings(tmp_path: Path, environment: dict[str, str]) -> subprocess.CompletedProcess:
    return run_python(f"import {PRODUCTION_SETTINGS}", tmp_path, environment)


# --- docker-compose.yml -------------------------------------------------------------------------


def test_compose_file_parses_and_has_every_service(compose, services):
    assert isinstance(compose, dict)
    assert set(ALL_SERVICES) <= set(services)
    assert services["postgres"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    assert services["proxy"]["image"].startswith("nginx:")


def test_application_services_share_one_image_and_build(services):
    images = {services[name]["image"] for name in APP_SERVICES}
    builds = {json.dumps(services[name]["build"], sort_keys=True) for name in APP_SERVICES}
    assert len(images) == 1
    assert len(builds) == 1
    build = services["web"]["build"]
    context = (DEPLOY / build["context"]).resolve()
    assert context == BASE_DIR
    assert (context / build["dockerfile"]).resolve() == DOCKERFILE


def test_application_services_run_production_settings_with_secrets_from_env_file(services):
    for name in APP_SERVICES:
        service = services[name]
        assert service["environment"]["DJANGO_SETTINGS_MODULE"] == PRODUCTION_SETTINGS
        env_files = service["env_file"] if isinstance(service["env_file"], list) else [service["env_file"]]
        assert ".env" in env_files
    assert importlib.util.find_spec(PRODUCTION_SETTINGS) is not None


def test_migrate_runs_once_before_web_worker_and_beat(services):
    migrate = services["migrate"]
    assert migrate["command"] == ["python", "manage.py", "migrate_platform"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"


def test_management_commands_used_by_compose_dockerfile_and_readme_exist(services):
    from django.core.management import get_commands

    commands = get_commands()
    used = {services["migrate"]["command"][2]}
    used |= set(re.findall(r"manage\.py (\w+)", DOCKERFILE.read_text(encoding="utf-8")))
    used |= set(re.findall(r"manage\.py (\w+)", README.read_text(encoding="utf-8")))
    assert {"migrate_platform", "collectstatic", "createsuperuser", "onboard_region"} <= used
    missing = sorted(name for name in used if name not in commands)
    assert not missing, f"management commands that do not exist: {missing}"


def test_web_runs_gunicorn_on_the_project_wsgi_module(services):
    from gunicorn.config import Config

    command = services["web"]["command"]
    assert command[:2] == ["gunicorn", "nastavnik.wsgi"]
    parsed = Config().parser().parse_args(command[1:])  # unknown options exit here
    assert parsed.args == ["nastavnik.wsgi"]
    assert parsed.bind == ["0.0.0.0:8000"]
    assert importlib.util.find_spec("nastavnik.wsgi") is not None
    assert (Path(sys.executable).parent / "gunicorn").exists()


def celery_options(subcommand: str) -> set[str]:
    from celery.bin.celery import celery

    group_options = {option for param in celery.params for option in param.opts}
    command = celery.commands[subcommand]
    return group_options | {option for param in command.params for option in param.opts}


def test_worker_and_beat_run_celery_with_options_it_knows(services):
    for name, subcommand in (("worker", "worker"), ("beat", "beat")):
        command = services[name]["command"]
        assert command[:4] == ["celery", "-A", "nastavnik", subcommand]
        options = {arg for arg in command if arg.startswith("-")}
        unknown = options - celery_options(subcommand)
        assert not unknown, f"{name}: celery {subcommand} has no options {unknown}"
    assert importlib.util.find_spec("nastavnik.celery") is not None
    assert (Path(sys.executable).parent / "celery").exists()


def test_wsgi_and_celery_apps_load_with_production_settings(tmp_path):
    code = (
        "import nastavnik.wsgi\n"
        "from celery.app.utils import find_app\n"
        "app = find_app('nastavnik')\n"  # what `celery -A nastavnik` resolves
        "app.loader.import_default_modules()\n"
        "from django.conf import settings\n"
        "assert callable(nastavnik.wsgi.application)\n"
        "print(app.main, settings.SETTINGS_MODULE, app.conf.broker_url)\n"
    )
    result = run_python(code, tmp_path, {**GOOD_ENVIRONMENT, "DJANGO_SETTINGS_MODULE": PRODUCTION_SETTINGS})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["nastavnik", PRODUCTION_SETTINGS, GOOD_ENVIRONMENT["REDIS_URL"]]


def test_services_have_healthchecks(services):
    for name in ("postgres", "redis", "web", "worker", "proxy"):
        assert services[name]["healthcheck"]["test"], name
    web_check = services["web"]["healthcheck"]["test"]
    assert web_check[:3] == ["CMD", "python", "-c"]
    compile(web_check[3], "web-healthcheck", "exec")  # the one-liner is valid Python


def test_volumes_keep_postgres_data_and_media(compose, services):
    declared = set(compose["volumes"])

    def named_volumes(service):
        return {entry.split(":")[0]: entry.split(":")[1] for entry in service.get("volumes", [])}

    postgres = named_volumes(services["postgres"])
    assert postgres[next(v for v in postgres if v in declared)] == "/var/lib/postgresql/data"
    media_volume = next(v for v, target in named_volumes(services["web"]).items() if target.endswith("/media"))
    assert media_volume in declared
    assert media_volume not in named_volumes(services["proxy"]), "uploads hold personal data; only Django serves them"
    for service in services.values():
        for source in named_volumes(service):
            if source.startswith("."):
                continue
            assert source in declared, f"volume {source} is not declared"


def test_proxy_mounts_the_nginx_config_and_publishes_https(services):
    proxy = services["proxy"]
    mounts = dict(entry.split(":")[:2] for entry in proxy["volumes"])
    assert (DEPLOY / "nginx" / "nastavnik.conf").is_file()
    assert mounts["./nginx/nastavnik.conf"].startswith("/etc/nginx/templates/")
    assert "443:443" in proxy["ports"]
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"


def test_every_variable_compose_reads_is_documented_in_env_example():
    referenced = set(COMPOSE_VARIABLE.findall(COMPOSE_FILE.read_text(encoding="utf-8")))
    assert "NASTAVNIK_BASE_DOMAIN" in referenced
    undocumented = sorted(referenced - documented_variables())
    assert not undocumented, f"not documented in deploy/.env.example: {undocumented}"


def test_every_variable_production_settings_read_is_documented_in_env_example():
    source = PRODUCTION_SETTINGS_FILE.read_text(encoding="utf-8")
    read = set(
        re.findall(r"""(?:os\.environ\.get|os\.environ\[|_env_int|env_bool)\(?\s*["']([A-Z_][A-Z0-9_]*)""", source)
    )
    read |= set(REQUIRED_ENVIRONMENT)
    assert {"EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS"} <= read
    undocumented = sorted(read - documented_variables())
    assert not undocumented, f"not documented in deploy/.env.example: {undocumented}"


def test_env_example_sets_the_required_variables_and_no_real_secret():
    values = dict(
        line.split("=", 1)
        for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
        if re.match(r"^[A-Z_]+=", line)
    )
    for name in REQUIRED_ENVIRONMENT:
        assert name in values, name
    assert values["DJANGO_SECRET_KEY"] == ""  # operators must generate their own


# --- Dockerfile ---------------------------------------------------------------------------------


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = DOCKERFILE.read_text(encoding="utf-8")
    lines = [
        line for line in text.replace("\\\n", " ").splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1].strip()) for line in lines]


def final_stage() -> list[tuple[str, str]]:
    instructions = dockerfile_instructions()
    start = max(index for index, (keyword, _) in enumerate(instructions) if keyword == "FROM")
    return instructions[start:]


def test_dockerfile_builds_on_python_slim_installs_the_lockfiles_and_runs_as_non_root():
    stage = final_stage()
    assert stage[0] == ("FROM", "python:3.11-slim")
    runs = " && ".join(argument for keyword, argument in stage if keyword == "RUN")
    assert "pip install -r requirements.lock" in runs
    all_runs = [argument for keyword, argument in dockerfile_instructions() if keyword == "RUN"]
    assert any("npm ci" in run for run in all_runs)
    copies = [argument for keyword, argument in dockerfile_instructions() if keyword == "COPY"]
    assert any("package.json" in copy and "package-lock.json" in copy for copy in copies)
    assert not re.search(r"\b(curl|wget)\b|https?://", " ".join(all_runs)), "assets come from npm, never a CDN"
    users = [argument for keyword, argument in stage if keyword == "USER"]
    assert users and users[-1] not in {"root", "0"}
    envs = " ".join(argument for keyword, argument in stage if keyword == "ENV")
    assert f"DJANGO_SETTINGS_MODULE={PRODUCTION_SETTINGS}" in envs


def assignments(argument: str) -> dict[str, str]:
    return dict(word.split("=", 1) for word in shlex.split(argument) if re.match(r"^[A-Z_][A-Z0-9_]*=", word))


def test_dockerfile_collectstatic_runs_with_production_settings_into_the_runtime_static_root(tmp_path):
    stage = final_stage()
    position = next(
        i for i, (keyword, argument) in enumerate(stage) if keyword == "RUN" and "collectstatic" in argument
    )
    build_environment = {}
    for keyword, argument in stage[:position]:
        if keyword == "ENV":
            build_environment |= assignments(argument)
    build_environment |= assignments(stage[position][1].split("&&")[0])
    runtime_environment = {}
    for keyword, argument in stage:
        if keyword == "ENV":
            runtime_environment |= assignments(argument)
    assert build_environment["DJANGO_SETTINGS_MODULE"] == PRODUCTION_SETTINGS
    # WhiteNoise serves STATIC_ROOT: the files must be collected where the running container reads.
    assert build_environment["NASTAVNIK_STATIC_ROOT"] == runtime_environment["NASTAVNIK_STATIC_ROOT"]
    # The dummy secrets of the build step satisfy the production checks, and are not kept.
    assert set(REQUIRED_ENVIRONMENT) <= set(build_environment)
    assert not set(REQUIRED_ENVIRONMENT) & set(runtime_environment)
    dummy = {name: build_environment[name] for name in REQUIRED_ENVIRONMENT}
    result = import_production_settings(tmp_path, dummy)
    assert result.returncode == 0, result.stderr


def test_build_context_keeps_secrets_and_local_state_out():
    ignored = set((DEPLOY / "Dockerfile.dockerignore").read_text(encoding="utf-8").split())
    assert {".env", ".venv", ".data", "node_modules", "deploy"} <= ignored | {p.removeprefix("**/") for p in ignored}


def test_collectstatic_succeeds_with_production_settings(tmp_path):
    # The manifest pass is the step that fails when a stylesheet references a missing file; the
    # compression WhiteNoise adds on top of it cannot fail and takes much longer, so it is left out.
    code = (
        "import django\n"
        "from django.conf import settings\n"
        "settings.STORAGES = {**settings.STORAGES, 'staticfiles': "
        "{'BACKEND': 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'}}\n"
        "django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('collectstatic', interactive=False, verbosity=0)\n"
    )
    result = run_python(code, tmp_path, {**GOOD_ENVIRONMENT, "DJANGO_SETTINGS_MODULE": PRODUCTION_SETTINGS})
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text(encoding="utf-8"))
    assert "vendor/bootstrap/css/bootstrap.min.css" in manifest["paths"]


# --- nginx --------------------------------------------------------------------------------------


def rendered_nginx_config(services) -> str:
    """The config as the nginx image renders it, with the variables the proxy service provides."""
    proxy = services["proxy"]
    entrypoint = proxy["entrypoint"]
    assert entrypoint[:2] == ["/bin/sh", "-c"]
    # Run the proxy's own entrypoint script, with `printenv` in place of the image's entrypoint.
    script = entrypoint[2].replace("$$", "$").replace("exec /docker-entrypoint.sh ", "exec ")
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "NASTAVNIK_BASE_DOMAIN": BASE_DOMAIN}
    result = subprocess.run(
        ["/bin/sh", "-c", script, "proxy-entrypoint", "printenv", "NASTAVNIK_BASE_DOMAIN_REGEX"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    variables = {"NASTAVNIK_BASE_DOMAIN": BASE_DOMAIN, "NASTAVNIK_BASE_DOMAIN_REGEX": result.stdout.strip()}
    template = NGINX_CONF.read_text(encoding="utf-8")
    used = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)\}", template))
    assert used <= set(variables), f"the proxy does not provide {used - set(variables)}"
    envsubst_filter = proxy["environment"]["NGINX_ENVSUBST_FILTER"]
    assert all(re.search(envsubst_filter, name) for name in used)
    assert "NASTAVNIK_BASE_DOMAIN" in proxy["environment"]
    return re.sub(r"\$\{([A-Z_][A-Z0-9_]*)\}", lambda match: variables[match.group(1)], template)


def server_blocks(config: str) -> list[str]:
    config = re.sub(r"#.*", "", config)
    blocks = []
    for match in re.finditer(r"\bserver\s*\{", config):
        depth, index = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(config[index], 0)
            index += 1
        blocks.append(config[match.end() : index - 1])
    return blocks


def test_nginx_routes_the_base_domain_and_wildcard_subdomains_to_web(services):
    config = rendered_nginx_config(services)
    assert config.count("{") == config.count("}")
    https = [block for block in server_blocks(config) if "ssl_certificate " in block]
    assert len(https) == 1
    block = https[0]
    names = shlex.split(re.search(r"server_name\s+([^;]+);", block).group(1))
    assert BASE_DOMAIN in names
    regexes = [name[1:] for name in names if name.startswith("~")]
    assert regexes, "no wildcard regex in server_name"
    pattern = re.compile(regexes[0].replace("(?<", "(?P<"))
    assert pattern.match("nsk-berdsk-sch-1.nastavnik.example.ru")
    for foreign in ("nastavnik.example.ru.evil.ru", "a.b.nastavnik.example.ru", "x.nastavnikXexample.ru", "evil.ru"):
        assert not pattern.match(foreign), foreign
    assert re.search(r"proxy_set_header\s+Host\s+\$host;", block)
    assert re.search(r"proxy_set_header\s+X-Forwarded-Proto\s+\$scheme;", block)
    assert re.search(r"client_max_body_size\s+25m;", block)
    assert "web:8000" in block
    assert re.search(r"location\s+/\s*\{[^}]*proxy_pass", block)
    assert re.search(r"location\s+/static/\s*\{[^}]*proxy_pass", block), "static files go to WhiteNoise"


def test_nginx_never_serves_uploads_directly(services):
    config = rendered_nginx_config(services)
    assert re.search(r"location\s+/media/\s*\{\s*return\s+404;\s*\}", config)
    assert "alias /srv/media" not in config


def test_nginx_healthcheck_path_exists(services):
    config = rendered_nginx_config(services)
    check = " ".join(services["proxy"]["healthcheck"]["test"])
    path = re.search(r"http://127\.0\.0\.1(/\S*)", check).group(1)
    assert re.search(rf"location\s+=\s+{re.escape(path)}\s*\{{", config)


# --- README -------------------------------------------------------------------------------------


def test_readme_lists_every_onboarding_column():
    columns = module_constant(BASE_DIR / "tenants" / "onboarding.py", "COLUMNS")
    readme = README.read_text(encoding="utf-8")
    missing = [title for title in columns.values() if f"`{title}`" not in readme]
    assert not missing, f"deploy/README.md does not list the onboarding columns {missing}"


def test_readme_covers_the_operator_topics():
    readme = README.read_text(encoding="utf-8").lower()
    for topic in ("dns", "wildcard", "certificate", "migrate_platform", "createsuperuser", "onboard_region", "pg_dump"):
        assert topic in readme, topic
    assert "session mode" in readme and "transaction mode" in readme


# --- settings_production ------------------------------------------------------------------------


def test_production_settings_refuse_to_start_without_any_variable(tmp_path):
    result = import_production_settings(tmp_path, {})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    for name in REQUIRED_ENVIRONMENT:
        assert name in result.stderr
    # The check runs before the base settings: no private PostgreSQL or broker was started.
    assert not (tmp_path / "data").exists()
    assert "pgserver" not in result.stderr


@pytest.mark.parametrize("missing", REQUIRED_ENVIRONMENT)
def test_production_settings_name_the_missing_variable(tmp_path, missing):
    environment = {name: value for name, value in GOOD_ENVIRONMENT.items() if name != missing}
    result = import_production_settings(tmp_path, environment)
    assert result.returncode != 0
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith("django.core.exceptions.ImproperlyConfigured")
    assert missing in message
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize(
    "secret_key",
    [
        module_constant(PRODUCTION_SETTINGS_FILE, "DEVELOPMENT_SECRET_KEY"),
        "x" * 10 + "abcdefghijklmnopqrstuvwxyz0123456789abc",  # 49 characters
        "",
    ],
    ids=["development-default", "too-short", "empty"],
)
def test_production_settings_refuse_a_weak_secret_key(tmp_path, secret_key):
    result = import_production_settings(tmp_path, {**GOOD_ENVIRONMENT, "DJANGO_SECRET_KEY": secret_key})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr.strip().splitlines()[-1]


def test_the_development_default_key_is_the_one_settings_py_uses():
    tree = ast.parse((BASE_DIR / "nastavnik" / "settings.py").read_text(encoding="utf-8"))
    defaults = [
        node.args[1].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and len(node.args) == 2
        and isinstance(node.args[0], ast.Constant)
        and node.args[0].value == "DJANGO_SECRET_KEY"
    ]
    assert defaults == [module_constant(PRODUCTION_SETTINGS_FILE, "DEVELOPMENT_SECRET_KEY")]


def test_production_settings_load_with_every_variable_set(tmp_path):
    code = (
        "import json\n"
        "import nastavnik.settings_production as s\n"
        "print(json.dumps({name: getattr(s, name) for name in ("
        "'DEBUG', 'ALLOWED_HOSTS', 'PUBLIC_HOSTS', 'CSRF_TRUSTED_ORIGINS', 'SECURE_PROXY_SSL_HEADER', "
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
        "'STORAGES', 'WHITENOISE_USE_FINDERS', 'EMAIL_BACKEND', 'CELERY_BROKER_URL', 'SECRET_KEY')}"
        " | {'DATABASE': s.DATABASES['default']['HOST'], 'ENGINE': s.DATABASES['default']['ENGINE']}))\n"
    )
    result = run_python(code, tmp_path, GOOD_ENVIRONMENT)
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["DEBUG"] is False
    assert loaded["ALLOWED_HOSTS"] == [BASE_DOMAIN, f".{BASE_DOMAIN}"]
    assert loaded["PUBLIC_HOSTS"] == [BASE_DOMAIN]
    assert f"https://*.{BASE_DOMAIN}" in loaded["CSRF_TRUSTED_ORIGINS"]
    assert loaded["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert loaded["SESSION_COOKIE_SECURE"] is True
    assert loaded["CSRF_COOKIE_SECURE"] is True
    assert loaded["SECURE_HSTS_SECONDS"] >= 60 * 60 * 24 * 365
    assert loaded["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert loaded["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert loaded["WHITENOISE_USE_FINDERS"] is False
    assert loaded["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert loaded["CELERY_BROKER_URL"] == GOOD_ENVIRONMENT["REDIS_URL"]
    assert loaded["SECRET_KEY"] == GOOD_ENVIRONMENT["DJANGO_SECRET_KEY"]
    assert loaded["DATABASE"] == "db"
    assert loaded["ENGINE"] == "django_tenants.postgresql_backend"
    assert not (tmp_path / "data").exists(), "no local database or broker directories"


def test_production_settings_refuse_a_base_domain_with_a_scheme(tmp_path):
    environment = {**GOOD_ENVIRONMENT, "NASTAVNIK_BASE_DOMAIN": f"https://{BASE_DOMAIN}/"}
    result = import_production_settings(tmp_path, environment)
    assert result.returncode != 0
    assert "NASTAVNIK_BASE_DOMAIN" in result.stderr.strip().splitlines()[-1]


def test_production_settings_pass_djangos_deployment_checks(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=scrubbed(tmp_path, {**GOOD_ENVIRONMENT, "DJANGO_SETTINGS_MODULE": PRODUCTION_SETTINGS}),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_access_log_records_query_strings(services):
    """Query strings carry search terms such as people's names; logs must not hold personal data."""
    config = rendered_nginx_config(services)
    log_format = re.search(r"log_format\s+nastavnik\s+'([^']*)'", config).group(1)
    assert "$request " not in log_format and "$request_uri" not in log_format and "$args" not in log_format
    assert re.search(r"access_log\s+\S+\s+nastavnik;", config)
    command = services["web"]["command"]
    log_format = command[command.index("--access-logformat") + 1]
    assert "%(r)s" not in log_format and "%(q)s" not in log_format and "%(f)s" not in log_format
