#!/usr/bin/env bash
# Validates the deployment files without Docker or a cluster:
#   - compose.yaml renders with `docker-compose config`, and every service in it has a healthcheck
#   - both nginx configurations pass `nginx -t`
#   - prometheus.yml passes `promtool check config`; the dashboard's queries parse
#   - every Kustomize overlay renders with `kubectl kustomize`, into well-formed objects
#
#   bash deploy/check.sh
#   KUBECTL="kubectl /opt/kubectl-1.20" bash deploy/check.sh   # render with several kubectls
#
# Run as root, it first installs what is missing with apt-get (docker-compose, nginx-light or
# nginx, prometheus for promtool, kubernetes-client unless a kubectl exists).
set -euo pipefail

DEPLOY="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KUBECTL="${KUBECTL:-kubectl}"
# Reads YAML; docker-compose's Debian package depends on python3-yaml.
PYTHON="${PYTHON:-/usr/bin/python3}"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

started=$(date +%s%N)
step_started=$started
step() { # <what was checked> [<detail>]
  local now
  now=$(date +%s%N)
  printf '  ok  %-58s %5d ms\n' "$1" $(((now - step_started) / 1000000))
  [ -z "${2:-}" ] || printf '      %s\n' "$2"
  step_started=$now
}
fail() {
  printf 'FAIL  %s\n' "$1" >&2
  exit 1
}

# --- tools ------------------------------------------------------------------------------------
install_missing() {
  local packages=()
  command -v docker-compose >/dev/null || packages+=(docker-compose)
  command -v promtool >/dev/null || packages+=(prometheus)
  command -v kubectl >/dev/null || packages+=(kubernetes-client)
  if ! command -v nginx >/dev/null; then
    # nginx-light is gone from newer Debian releases; plain nginx is the fallback.
    if apt-cache show nginx-light >/dev/null 2>&1; then packages+=(nginx-light); else packages+=(nginx); fi
  fi
  [ -x "$PYTHON" ] && "$PYTHON" -c 'import yaml' 2>/dev/null || packages+=(python3-yaml)
  [ ${#packages[@]} -eq 0 ] && return 0

  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    fail "missing: ${packages[*]} (run as root on Debian/Ubuntu to install them)"
  fi
  echo "installing ${packages[*]}"
  # nginx and prometheus would start as services on install; only their binaries are wanted.
  # A policy-rc.d that says "no" keeps invoke-rc.d (and systemd's deb helper) from starting them.
  local policy=/usr/sbin/policy-rc.d own_policy=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && own_policy=1
  fi
  local rc=0
  {
    apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}"
  } >"$WORK/apt.log" 2>&1 || rc=$?
  [ -n "$own_policy" ] && rm -f "$policy"
  if [ $rc -ne 0 ]; then
    cat "$WORK/apt.log" >&2
    fail "apt-get install ${packages[*]}"
  fi
  step "installed ${packages[*]}"
}
install_missing

# --- compose ----------------------------------------------------------------------------------
docker-compose -f "$DEPLOY/compose.yaml" config >"$WORK/compose.yaml" 2>"$WORK/compose.err" || {
  cat "$WORK/compose.err" >&2
  fail "docker-compose config"
}
step "compose.yaml: docker-compose config"

detail=$("$PYTHON" - "$WORK/compose.yaml" <<'EOF'
import sys, yaml
services = yaml.safe_load(open(sys.argv[1]))["services"]
missing = []
for name, service in sorted(services.items()):
    check = service.get("healthcheck") or {}
    test = check.get("test")
    if check.get("disable") or not test or test in (["NONE"], "NONE"):
        missing.append(name)
if missing:
    sys.exit("services without a healthcheck: " + ", ".join(missing))
print(f"{len(services)} services: {' '.join(sorted(services))}")
EOF
) || fail "compose.yaml: healthchecks"
step "compose.yaml: every service has a healthcheck" "$detail"

# --- nginx ------------------------------------------------------------------------------------
# Tested on copies whose writable paths (logs, pid, temp files) point into a scratch directory,
# so the check needs no root and leaves nothing behind. The compose configuration's upstream
# names only resolve on the compose network; the copy points them at loopback.
nginx_test() { # <config file in a scratch directory>
  local config=$1 dir
  dir="$(dirname "$config")"
  nginx -q -t -e "$dir/error.log" -c "$config" >"$dir/nginx.out" 2>&1 || {
    cat "$dir/nginx.out" >&2
    return 1
  }
}

mkdir -p "$WORK/nginx-compose"
cp "$DEPLOY/nginx/nginx.conf" "$DEPLOY/nginx/agora-proxy.conf" "$WORK/nginx-compose/"
sed -i -E \
  -e 's/server gateway-[0-9]+:/server 127.0.0.1:/' \
  -e "s#/var/log/nginx/#$WORK/nginx-compose/#g" \
  -e "s#^http \\{#pid $WORK/nginx-compose/nginx.pid;\\nhttp {\\n    client_body_temp_path $WORK/nginx-compose/body;\\n    proxy_temp_path $WORK/nginx-compose/proxy;\\n    fastcgi_temp_path $WORK/nginx-compose/fastcgi;\\n    uwsgi_temp_path $WORK/nginx-compose/uwsgi;\\n    scgi_temp_path $WORK/nginx-compose/scgi;#" \
  "$WORK/nginx-compose/nginx.conf"
nginx_test "$WORK/nginx-compose/nginx.conf" || fail "nginx -t nginx.conf"
step "nginx.conf: nginx -t (gateway hosts on loopback)"

mkdir -p "$WORK/nginx-loopback"
cp "$DEPLOY/nginx/nginx.loopback.conf" "$DEPLOY/nginx/agora-proxy.conf" "$WORK/nginx-loopback/"
sed -i "s#/tmp/agora-nginx#$WORK/nginx-loopback/nginx#g" "$WORK/nginx-loopback/nginx.loopback.conf"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
  # It is meant to run unprivileged, so test it that way.
  chmod 755 "$WORK" && chown -R nobody "$WORK/nginx-loopback"
  as_nobody() { setpriv --reuid="$(id -u nobody)" --regid="$(id -g nobody)" --clear-groups "$@"; }
  as_nobody nginx -q -t -e "$WORK/nginx-loopback/error.log" -c "$WORK/nginx-loopback/nginx.loopback.conf" \
    >"$WORK/nginx-loopback.out" 2>&1 || { cat "$WORK/nginx-loopback.out" >&2; fail "nginx -t nginx.loopback.conf"; }
  step "nginx.loopback.conf: nginx -t (as nobody)"
else
  nginx_test "$WORK/nginx-loopback/nginx.loopback.conf" || fail "nginx -t nginx.loopback.conf"
  step "nginx.loopback.conf: nginx -t"
fi

# --- prometheus and grafana ---------------------------------------------------------------------
promtool check config "$DEPLOY/prometheus/prometheus.yml" >"$WORK/promtool.out" 2>&1 || {
  cat "$WORK/promtool.out" >&2
  fail "promtool check config"
}
step "prometheus.yml: promtool check config"

# Every dashboard query, with Grafana's variables filled in, as a recording rule: promtool then
# parses each one.
"$PYTHON" - "$DEPLOY/grafana/dashboards" "$WORK/dashboard-rules.yml" <<'EOF' || fail "dashboard JSON"
import json, pathlib, sys, yaml
rules = []
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.json")):
    dashboard = json.loads(path.read_text())
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            expr = target["expr"].replace("$__rate_interval", "1m").replace("$service", ".*")
            rules.append({"record": f"dashboard:{path.stem}:{panel['id']}:{target['refId']}", "expr": expr})
yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}, open(sys.argv[2], "w"))
EOF
promtool check rules "$WORK/dashboard-rules.yml" >"$WORK/promtool-rules.out" 2>&1 || {
  cat "$WORK/promtool-rules.out" >&2
  fail "dashboard queries"
}
step "grafana dashboards: every query parses"

# --- kubernetes -------------------------------------------------------------------------------
for kubectl in $KUBECTL; do
  version="$("$kubectl" version --client 2>/dev/null | grep -oE 'v[0-9]+\.[0-9]+\.[0-9]+' | head -1 || true)"
  for overlay in "$DEPLOY"/k8s/overlays/*/; do
    name="$(basename "$overlay")"
    out="$WORK/k8s-$name.yaml"
    if ! "$kubectl" kustomize "$overlay" >"$out" 2>"$WORK/kustomize.err"; then
      cat "$WORK/kustomize.err" >&2
      fail "$kubectl kustomize overlays/$name"
    fi
    # Deprecation notices for bases/patchesStrategicMerge are expected (see the base); anything
    # else is shown.
    grep -v -E "^# Warning: '(bases|patchesStrategicMerge)' is deprecated" "$WORK/kustomize.err" >&2 || true
    detail=$("$PYTHON" - "$out" <<'EOF'
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d is not None]
bad = [d for d in docs if not (d.get("apiVersion") and d.get("kind") and d.get("metadata", {}).get("name"))]
if bad or not docs:
    sys.exit(f"{len(bad)} of {len(docs)} objects lack apiVersion, kind or name")
print(f"{len(docs)} objects")
EOF
    ) || fail "$kubectl kustomize overlays/$name: malformed output"
    step "k8s overlays/$name: kubectl ${version:-?} kustomize" "$detail"
  done
done

printf 'all checks passed in %d ms\n' $((($(date +%s%N) - started) / 1000000))
