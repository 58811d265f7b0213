"""Checks of the deployment files for scripts/lint-deploy, run with the Python of its tool
cache (PyYAML, jsonschema, kubernetes-validate, check-jsonschema's copy of the Compose
specification's schema).

    python lint-deploy-checks.py compose HORME_BIN
    python lint-deploy-checks.py k8s HORME_BIN K8S_VERSION NAME=RENDERED.yaml …

`compose`: deploy/compose.yaml for two cases, the trial (deploy/trial/trial.env, profile
trial) and an installation (only POSTGRES_PASSWORD set): interpolated as Compose does,
validated against the Compose schema, then the rules below. `k8s`: each kustomize rendering
validated against the Kubernetes schemas (strict: unknown fields fail), then the rules below.
Both end with the bot's own configuration loader: the horme.toml and the HORME__*
environment each case gives the containers are loaded by HORME_BIN (`horme extract` of a
one-line request, no database), so a misspelt key or a wrong type fails here, not at start-up.
Exits non-zero naming every problem.
"""

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
problems = []


def problem(msg):
    problems.append(msg)


# --- Compose -----------------------------------------------------------------------------

VAR = re.compile(r"\$(?:\$|\{(?P<braced>[^}]*)\}|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))")


def interpolate_str(s, env, where):
    def one(m):
        if m.group(0) == "$$":
            return "$"
        if m.group("bare"):
            return env.get(m.group("bare"), "")
        expr = m.group("braced")
        mm = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])(.*))?", expr, re.S)
        if not mm:
            problem(f"compose: {where}: cannot read ${{{expr}}}")
            return ""
        name, op, arg = mm.group(1), mm.group(2), mm.group(3) or ""
        val = env.get(name)
        empty = val is None or (op and op.startswith(":") and val == "")
        if op in (":-", "-"):
            return arg if empty else val
        if op in (":?", "?"):
            if empty:
                raise LookupError(f"{where}: {name}: {arg}")
            return val
        if op in (":+", "+"):
            return "" if empty else arg
        return val or ""

    return VAR.sub(one, s)


def interpolate(node, env, where="compose.yaml"):
    if isinstance(node, dict):
        return {k: interpolate(v, env, f"{where}.{k}") for k, v in node.items()}
    if isinstance(node, list):
        return [interpolate(v, env, f"{where}[{i}]") for i, v in enumerate(node)]
    if isinstance(node, str):
        return interpolate_str(node, env, where)
    return node


def env_file(path):
    env = {}
    for line in Path(path).read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            k, v = line.split("=", 1)
            env[k.strip()] = v.strip()
    return env


def as_dict(env):
    """A service's environment, list or mapping, as a dict of strings."""
    if isinstance(env, list):
        return dict(e.split("=", 1) if "=" in e else (e, "") for e in env)
    return {k: "" if v is None else str(v) for k, v in (env or {}).items()}


def compose_schema():
    from importlib.resources import files
    import json

    text = files("check_jsonschema.builtin_schemas.vendor").joinpath("compose-spec.json").read_text()
    return json.loads(text)


def check_compose_case(label, raw, env, profiles, schema):
    import jsonschema

    try:
        doc = interpolate(raw, env)
    except LookupError as e:
        problem(f"compose ({label}): a required variable is not set: {e}")
        return []
    validator = jsonschema.validators.validator_for(schema)(schema)  # 2020-12: unevaluatedProperties
    for err in sorted(validator.iter_errors(doc), key=lambda e: list(e.path)):
        path = "/".join(str(p) for p in err.path)
        problem(f"compose ({label}): schema: {path}: {err.message}")
    services = doc.get("services") or {}
    active = {n: s for n, s in services.items() if not s.get("profiles") or set(s["profiles"]) & profiles}
    volumes = set((doc.get("volumes") or {}).keys())
    horme = {}
    for name, s in active.items():
        where = f"compose ({label}): service {name}"
        if not s.get("image") and not s.get("build"):
            problem(f"{where}: neither image nor build")
        deps = s.get("depends_on") or {}
        for dep, cond in (deps.items() if isinstance(deps, dict) else ((d, {}) for d in deps)):
            if dep not in services:
                problem(f"{where}: depends on {dep}, which is not defined")
            elif dep not in active and (cond or {}).get("required", True) is not False:
                problem(f"{where}: depends on {dep}, which this case does not start (add required: false?)")
        for v in s.get("volumes") or []:
            src = (v.split(":", 1)[0] if isinstance(v, str) else v.get("source", "")) or ""
            if src.startswith((".", "/")):
                if not (DEPLOY / src).exists():
                    problem(f"{where}: mounts {src}, which does not exist (relative to deploy/)")
            elif src and src not in volumes:
                problem(f"{where}: volume {src} is not declared under volumes:")
        for f in s.get("env_file") or []:
            f = {"path": f} if isinstance(f, str) else f
            if f.get("required", True) and not (DEPLOY / f["path"]).exists():
                problem(f"{where}: env_file {f['path']} is required but does not exist")
        b = s.get("build")
        if isinstance(b, str):
            b = {"context": b}
        if b:
            ctx = DEPLOY / b.get("context", ".")
            dockerfile = ctx / b.get("dockerfile", "Dockerfile")
            if not dockerfile.is_file():
                problem(f"{where}: no Dockerfile at {dockerfile.relative_to(ROOT)}")
        cmd = s.get("command")
        if str(s.get("image", "")).startswith("horme:"):
            horme[name] = s
            if cmd not in (["serve"], ["worker"], ["migrate"]):
                problem(f"{where}: command {cmd!r} is not serve, worker or migrate")
    by_cmd = {tuple(s.get("command") or ()): n for n, s in horme.items()}
    if set(by_cmd) != {("serve",), ("worker",), ("migrate",)}:
        problem(f"compose ({label}): expected one horme service each for serve, worker and migrate, got {sorted(by_cmd)}")
        return []
    migrate = by_cmd[("migrate",)]
    if str(horme[migrate].get("restart")) != "no":
        problem(f"compose ({label}): service {migrate} must not restart (restart: \"no\")")
    for cmd in (("serve",), ("worker",)):
        n = by_cmd[cmd]
        cond = (horme[n].get("depends_on") or {}).get(migrate) or {}
        if cond.get("condition") != "service_completed_successfully":
            problem(f"compose ({label}): service {n} must wait for {migrate} (service_completed_successfully)")
    for cmd in (("worker",), ("migrate",)):
        n = by_cmd[cmd]
        if not (horme[n].get("healthcheck") or {}).get("disable"):
            problem(f"compose ({label}): service {n} has no HTTP port: disable the image's /healthz healthcheck")
    if not any(str(p).endswith(":8080") for p in horme[by_cmd[("serve",)]].get("ports") or []):
        problem(f"compose ({label}): service {by_cmd[('serve',)]} publishes no port for 8080")
    cases = []
    for n, s in horme.items():
        envs = as_dict(s.get("environment"))
        cfg = envs.get("HORME_CONFIG")
        file = None
        for v in s.get("volumes") or []:
            if isinstance(v, str) and len(v.split(":")) >= 2 and v.split(":")[1] == cfg:
                file = DEPLOY / v.split(":")[0]
        if cfg and file is None:
            problem(f"compose ({label}): service {n}: HORME_CONFIG={cfg} is not a mounted file")
            continue
        cases.append((f"compose ({label}) service {n}", file, envs))
    return cases


def no_literal_secrets(text, where):
    """Secret-looking keys of a compose file take their value from outside."""
    for i, line in enumerate(text.splitlines(), 1):
        m = re.match(r"\s*-?\s*([A-Za-z_]*(?:PASSWORD|TOKEN|SECRET|API_KEY)[A-Za-z_]*)\s*[:=]\s*(\S.*)$", line)
        if m and "${" not in m.group(2):
            problem(f"{where}:{i}: {m.group(1)} has a literal value; take it from the environment or a file")


def compose(binary):
    path = DEPLOY / "compose.yaml"
    text = path.read_text()
    raw = yaml.safe_load(text)
    no_literal_secrets(text, "deploy/compose.yaml")
    schema = compose_schema()
    trial_env = env_file(DEPLOY / "trial" / "trial.env")
    cases = check_compose_case("trial", raw, trial_env, {"trial"}, schema)
    cases += check_compose_case("installation", raw, {"POSTGRES_PASSWORD": "lint"}, set(), schema)
    for label, file, envs in cases:
        load_config(binary, label, file.read_text() if file else "", envs)


# --- Kubernetes --------------------------------------------------------------------------


def secret_template_keys():
    doc = yaml.safe_load((DEPLOY / "k8s" / "secret.template.yaml").read_text())
    return doc["metadata"]["name"], set((doc.get("stringData") or {}).keys()) | set((doc.get("data") or {}).keys())


def check_k8s(label, docs, version):
    import kubernetes_validate

    secret_name, secret_keys = secret_template_keys()
    for d in docs:
        ident = f"k8s ({label}): {d.get('kind')}/{(d.get('metadata') or {}).get('name')}"
        try:
            kubernetes_validate.validate(d, version, strict=True)
        except kubernetes_validate.ValidationError as e:
            path = ".".join(str(p) for p in e.path)
            problem(f"{ident}: schema {version}: {path}: {e.message}")
        except (kubernetes_validate.SchemaNotFoundError, kubernetes_validate.InvalidSchemaError) as e:
            problem(f"{ident}: {e.message}")
    configmaps = {d["metadata"]["name"]: d for d in docs if d.get("kind") == "ConfigMap"}
    workloads = [d for d in docs if d.get("kind") in ("Deployment", "Job")]
    by_arg = {}
    cases = []
    for w in workloads:
        ident = f"k8s ({label}): {w['kind']}/{w['metadata']['name']}"
        pod = w["spec"]["template"]["spec"]
        psc = pod.get("securityContext") or {}
        if not psc.get("runAsNonRoot"):
            problem(f"{ident}: pod securityContext.runAsNonRoot is not true")
        if pod.get("automountServiceAccountToken") is not False:
            problem(f"{ident}: automountServiceAccountToken should be false (Horme never calls the API)")
        volumes = {v["name"]: v for v in pod.get("volumes") or []}
        for c in pod["containers"]:
            cid = f"{ident} container {c['name']}"
            args = tuple(c.get("args") or c.get("command") or ())
            by_arg.setdefault(args, []).append(w)
            res = c.get("resources") or {}
            for kind in ("requests", "limits"):
                for r in ("cpu", "memory"):
                    if r not in (res.get(kind) or {}):
                        problem(f"{cid}: no resources.{kind}.{r}")
            sc = c.get("securityContext") or {}
            if sc.get("allowPrivilegeEscalation") is not False or sc.get("readOnlyRootFilesystem") is not True:
                problem(f"{cid}: needs allowPrivilegeEscalation: false and readOnlyRootFilesystem: true")
            if "ALL" not in ((sc.get("capabilities") or {}).get("drop") or []):
                problem(f"{cid}: capabilities.drop should be [ALL]")
            mounts = {m["mountPath"]: m for m in c.get("volumeMounts") or []}
            if args != ("migrate",) and "/tmp" not in mounts:
                problem(f"{cid}: a read-only root needs a writable /tmp (OCR)")
            env = {}
            for e in c.get("env") or []:
                ref = (e.get("valueFrom") or {}).get("secretKeyRef")
                if ref:
                    if ref["name"] != secret_name or ref["key"] not in secret_keys:
                        problem(f"{cid}: env {e['name']} reads {ref['name']}/{ref['key']}, not a key of deploy/k8s/secret.template.yaml")
                    env[e["name"]] = "postgres://horme:lint@127.0.0.1:9/horme" if e["name"] == "DATABASE_URL" else "lint"
                else:
                    env[e["name"]] = str(e.get("value", ""))
            cfg = env.get("HORME_CONFIG")
            m = mounts.get(cfg)
            vol = volumes.get(m["name"]) if m else None
            cm = configmaps.get(((vol or {}).get("configMap") or {}).get("name"))
            if not cm:
                problem(f"{cid}: HORME_CONFIG={cfg} is not mounted from a ConfigMap of this rendering")
                continue
            text = cm["data"][m.get("subPath") or Path(cfg).name]
            cases.append((f"k8s ({label}) {w['metadata']['name']}", text, env))
    for args, kind in ((("serve",), "Deployment"), (("worker",), "Deployment"), (("migrate",), "Job")):
        if not any(w["kind"] == kind for w in by_arg.get(args, [])):
            problem(f"k8s ({label}): no {kind} running `horme {args[0]}`")
    for w in by_arg.get(("serve",), []):
        c = w["spec"]["template"]["spec"]["containers"][0]
        ports = {p.get("name"): p["containerPort"] for p in c.get("ports") or []}
        for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
            get = (c.get(probe) or {}).get("httpGet") or {}
            if get.get("path") != path or (get.get("port") not in ports and get.get("port") not in ports.values()):
                problem(f"k8s ({label}): {w['metadata']['name']}: {probe} must GET {path} on the container's port")
        labels = w["spec"]["template"]["metadata"].get("labels") or {}
        services = [d for d in docs if d.get("kind") == "Service"]
        fronted = [s for s in services if (s["spec"].get("selector") or {}).items() <= labels.items()]
        if not fronted:
            problem(f"k8s ({label}): no Service selects the serve pods")
        for s in fronted:
            for p in s["spec"]["ports"]:
                if p.get("targetPort") not in ports and p.get("targetPort") not in ports.values():
                    problem(f"k8s ({label}): Service {s['metadata']['name']} targets port {p.get('targetPort')}, which the serve container lacks")
    return cases


def k8s(binary, version, renderings):
    for item in renderings:
        label, path = item.split("=", 1)
        docs = [d for d in yaml.safe_load_all(Path(path).read_text()) if d]
        for name, text, env in check_k8s(label, docs, version):
            load_config(binary, name, text, env)
    _, keys = secret_template_keys()
    tmpl = yaml.safe_load((DEPLOY / "k8s" / "secret.template.yaml").read_text())
    import kubernetes_validate

    try:
        kubernetes_validate.validate(tmpl, version, strict=True)
    except kubernetes_validate.ValidationError as e:
        problem(f"k8s: deploy/k8s/secret.template.yaml: {e.message}")
    if "database-url" not in keys:
        problem("k8s: deploy/k8s/secret.template.yaml has no database-url")


# --- the bot's configuration loader --------------------------------------------------------

seen = set()


def load_config(binary, label, toml_text, env):
    key = (toml_text, tuple(sorted(env.items())))
    if key in seen:
        return
    seen.add(key)
    with tempfile.TemporaryDirectory() as d:
        cfg = Path(d) / "horme.toml"
        cfg.write_text(toml_text)
        rfq = Path(d) / "rfq.txt"
        rfq.write_text("Please quote:\n10 x nitrile gloves\n")
        run_env = {k: v for k, v in os.environ.items() if not k.startswith("HORME") and k != "DATABASE_URL"}
        run_env.update({k: v for k, v in env.items() if k.startswith("HORME__") or k == "DATABASE_URL"})
        run_env["HORME_CONFIG"] = str(cfg)
        r = subprocess.run([binary, "extract", str(rfq), "--json"], env=run_env, cwd=d,
                           capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            err = (r.stderr.strip().splitlines() or ["(no message)"])[-1]
            problem(f"{label}: the bot does not accept this configuration: {err}")


def main():
    what, binary = sys.argv[1], sys.argv[2]
    if what == "compose":
        compose(binary)
    elif what == "k8s":
        k8s(binary, sys.argv[3], sys.argv[4:])
    else:
        sys.exit(f"unknown check {what}")
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
