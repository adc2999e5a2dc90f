#!/usr/bin/env bash
# Everything the operator, its local control plane and the tests need on a fresh Debian machine that has the
# .NET SDK: kubectl (if missing), the control-plane binaries (built once, cached), and Helm (cached).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sudo_() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
if ! command -v kubectl >/dev/null; then
  sudo_ apt-get update -qq && DEBIAN_FRONTEND=noninteractive sudo_ apt-get install -y -qq kubernetes-client >&2
fi
bash "$root/hack/provision-control-plane.sh" >/dev/null
if [[ -f "$root/hack/install-helm.sh" ]]; then bash "$root/hack/install-helm.sh" >/dev/null; fi
