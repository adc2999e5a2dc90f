#!/usr/bin/env bash
# The operator's main job, end to end. With a reachable cluster in KUBECONFIG (or ~/.kube/config) it installs
# crds/, runs the operator against it and applies samples/. With none, it first starts a local control plane
# (etcd + kube-apiserver + kube-controller-manager, provisioned on first use). Ctrl-C stops everything it started.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
log() { echo "run-local: $*" >&2; }

bash hack/install-prerequisites.sh
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

if [[ "${USE_EXISTING_CLUSTER:-}" == "true" ]] || kubectl version --request-timeout=5s >/dev/null 2>&1; then
  log "using the cluster in your kubeconfig: $(kubectl config current-context 2>/dev/null || echo '?')"
else
  work=$(mktemp -d /tmp/isolation-local-XXXXXX)
  export KUBECONFIG="$work/kubeconfig"
  log "no cluster configured: starting a local control plane (kubeconfig $KUBECONFIG)"
  dotnet build -v q --nologo src/IsolationOperator.LocalCluster >/dev/null
  dotnet run --no-build --project src/IsolationOperator.LocalCluster -- --kubeconfig "$KUBECONFIG" --work-dir "$work/plane" &
  pids+=($!)
  for _ in $(seq 1 120); do [[ -s "$KUBECONFIG" ]] && kubectl get --raw /readyz >/dev/null 2>&1 && break; sleep 1; done
  kubectl get --raw /readyz >/dev/null
fi

kubectl apply -f crds/
kubectl wait --for condition=established --timeout=60s crd/demotenants.isolation.demo.dev
# The tenant ClusterRoles that demo RoleBindings reference (the chart ships the same file).
kubectl apply -f charts/isolation-operator/files/tenant-clusterroles.yaml
dotnet build -v q --nologo src/IsolationOperator >/dev/null
# Admission too: outside a pod the operator registers its own webhook configurations (https://127.0.0.1:9443/...).
# They stay after Ctrl-C (fail closed): `kubectl delete validatingwebhookconfiguration,mutatingwebhookconfiguration isolation-operator`.
Operator__MetricsPort="${METRICS_PORT:-8080}" Operator__LeaseNamespace=default \
  Operator__Webhook__Enabled="${WEBHOOKS:-true}" Operator__Webhook__Port="${WEBHOOK_PORT:-9443}" \
  Operator__RequirePodSecurity="${WEBHOOKS:-true}" \
  dotnet run --no-build --project src/IsolationOperator &
pids+=($!)
kubectl apply -f samples/
log "waiting for the sample tenants to become Ready"
kubectl wait --for condition=Ready --timeout=120s demotenant --all
kubectl get demotenants
log "operator running; metrics on http://localhost:${METRICS_PORT:-8080}/metrics. Ctrl-C to stop."
log "use it from another terminal (e.g. with kubectl demo, README \"Quick start\"): export KUBECONFIG=${KUBECONFIG:-~/.kube/config}"
wait "${pids[-1]}"
