#!/usr/bin/env bash
# Provides etcd, kube-apiserver and kube-controller-manager for the test control plane and prints the folder
# that holds them (envtest's KUBEBUILDER_ASSETS convention). Only the first run on a machine builds: the two
# Kubernetes binaries are cached outside the repo, keyed by version.
#   KUBEBUILDER_ASSETS set     -> used as is (nothing installed)
#   ISOLATION_ASSETS_CACHE     -> cache root (default ~/.cache/isolation-operator)
set -euo pipefail

K8S_VERSION=1.20.2
# Bump when the build recipe changes, so a cache built the old way is not reused.
BUILD_REVISION=2
log() { echo "provision: $*" >&2; }

if [[ -n "${KUBEBUILDER_ASSETS:-}" ]]; then
  for b in etcd kube-apiserver; do
    [[ -x "$KUBEBUILDER_ASSETS/$b" ]] || { log "KUBEBUILDER_ASSETS=$KUBEBUILDER_ASSETS has no executable $b"; exit 1; }
  done
  echo "$KUBEBUILDER_ASSETS"; exit 0
fi

cache_root="${ISOLATION_ASSETS_CACHE:-$HOME/.cache/isolation-operator}"
assets="$cache_root/k8s-$K8S_VERSION-r$BUILD_REVISION"
mkdir -p "$assets"

sudo_() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
apt_updated=""
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  ((${#missing[@]})) || return 0
  [[ -n "$apt_updated" ]] || { sudo_ apt-get update -qq >&2; apt_updated=1; }
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive sudo_ apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# etcd comes from Debian; link it so the folder is a complete asset set.
if [[ ! -x "$assets/etcd" ]]; then
  apt_install etcd-server
  ln -sf "$(command -v etcd || echo /usr/bin/etcd)" "$assets/etcd"
fi

if [[ -x "$assets/kube-apiserver" && -x "$assets/kube-controller-manager" ]]; then
  echo "$assets"; exit 0
fi

# Build from Debian's source package (full Kubernetes $K8S_VERSION tree), under a lock so parallel runs wait.
exec 9>"$cache_root/.build.lock"
flock 9
if [[ -x "$assets/kube-apiserver" && -x "$assets/kube-controller-manager" ]]; then echo "$assets"; exit 0; fi

apt_install golang-go rsync jq dpkg-dev make golang-github-modern-go-reflect2-dev
src_list=/etc/apt/sources.list.d/isolation-operator-src.sources
if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
  log "adding deb-src entries ($src_list)"
  sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources | sudo_ tee "$src_list" >/dev/null
  sudo_ apt-get update -qq >&2
fi

work="$cache_root/src"
rm -rf "$work"; mkdir -p "$work"
( cd "$work" && apt-get source -qq "kubernetes=$K8S_VERSION*" >&2 || apt-get source -qq kubernetes >&2 )
tree=$(find "$work" -maxdepth 1 -mindepth 1 -type d -name 'kubernetes-*' | head -1)
[[ -n "$tree" ]] || { log "apt-get source kubernetes produced no tree"; exit 1; }

# Kubernetes 1.20 vendors reflect2 1.0.1, which faults ("fatal error: fault" in mapiterinit) under Go >= 1.18
# whenever the apiserver encodes a custom resource. reflect2 1.0.2 fixes it and keeps the API: use Debian's copy.
reflect2=/usr/share/gocode/src/github.com/modern-go/reflect2
[[ -f "$reflect2/reflect2.go" ]] || { log "Debian's reflect2 source not found at $reflect2"; exit 1; }
rm -rf "$tree/vendor/github.com/modern-go/reflect2"
mkdir -p "$tree/vendor/github.com/modern-go/reflect2"
cp "$reflect2"/*.go "$tree/vendor/github.com/modern-go/reflect2/"
rm -f "$tree"/vendor/github.com/modern-go/reflect2/*_test.go
sed -i 's|^# github.com/modern-go/reflect2 v1.0.1$|# github.com/modern-go/reflect2 v1.0.2|' "$tree/vendor/modules.txt"
sed -i 's|github.com/modern-go/reflect2 v1.0.1|github.com/modern-go/reflect2 v1.0.2|' "$tree/go.mod"

log "building kube-apiserver and kube-controller-manager from $tree (about 7 minutes on 2 cores)"
mkdir -p "$tree/.go/src/k8s.io"
ln -sfn "$tree" "$tree/.go/src/k8s.io/kubernetes"
(
  cd "$tree/.go/src/k8s.io/kubernetes"
  export GOPATH="$tree/.go" GO111MODULE=off CGO_ENABLED=0 GOFLAGS= GOCACHE="$cache_root/gocache"
  make WHAT="cmd/kube-apiserver cmd/kube-controller-manager" >&2
)
for b in kube-apiserver kube-controller-manager; do
  bin=$(find "$tree/_output" -type f -name "$b" -perm -u+x | head -1)
  [[ -n "$bin" ]] || { log "build produced no $b"; exit 1; }
  install -m 0755 "$bin" "$assets/$b.tmp" && mv "$assets/$b.tmp" "$assets/$b"
done
rm -rf "$work" "$cache_root/gocache"
log "cached in $assets"
echo "$assets"
