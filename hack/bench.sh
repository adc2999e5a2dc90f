#!/usr/bin/env bash
# Measures the operator from the outside (README "Performance"): a local control plane (or your kubeconfig's cluster
# with USE_EXISTING_CLUSTER=true), the operator built in Release as its own process, and a direct-apply floor.
#   bash hack/bench.sh [--tenants N] [--workers W]   full run (default 1000 tenants, 4 workers), ~10 min at N=1000
#   bash hack/bench.sh --smoke                       5 tenants, short windows: proves the bench still works (<2 min)
#   bash hack/bench.sh --verification [--tenants 200] [--verification-period 120]   issue 13: one verification cycle, audited
#   bash hack/bench.sh --micro                       BenchmarkDotNet micro-benchmarks of the pure builders (short job)
# Results: bench/results/<timestamp>-<N>.{json,md,png} (micro: bench/results/micro-<timestamp>.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
log() { echo "bench: $*" >&2; }
out="$root/bench/results"
mkdir -p "$out"

if [[ " $* " == *" --micro "* ]]; then
  stamp=$(date -u +%Y%m%d-%H%M%S)
  artifacts=$(mktemp -d /tmp/isolation-microbench-XXXXXX)
  dotnet run -c Release --project bench/IsolationOperator.MicroBench -- --filter '*' --job short --artifacts "$artifacts"
  # The GitHub-flavoured tables of every class, one file.
  cat "$artifacts"/results/*-report-github.md > "$out/micro-$stamp.md"
  rm -rf "$artifacts"
  log "micro-benchmark summary: $out/micro-$stamp.md"
  exit 0
fi

if [[ "${USE_EXISTING_CLUSTER:-}" != "true" ]]; then
  bash hack/install-prerequisites.sh >&2
  export KUBEBUILDER_ASSETS="${KUBEBUILDER_ASSETS:-$(bash hack/provision-control-plane.sh)}"
fi
# The operator is measured as shipped: Release. The bench itself is built the same way.
dotnet build -c Release -v q --nologo src/IsolationOperator >&2
dotnet build -c Release -v q --nologo bench/IsolationOperator.Bench >&2
exec dotnet bench/IsolationOperator.Bench/bin/Release/net10.0/IsolationOperator.Bench.dll \
  --operator-dll "$root/src/IsolationOperator/bin/Release/net10.0/IsolationOperator.dll" \
  --repo "$root" --out "$out" "$@"
