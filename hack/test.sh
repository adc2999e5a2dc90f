#!/usr/bin/env bash
# Runs every test: fast unit tests, then the integration tests against a real control plane that the suite starts
# itself (or against your current kubeconfig with USE_EXISTING_CLUSTER=true). Ends with "N passed, N failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash hack/install-prerequisites.sh || { echo "prerequisites failed"; echo "0 passed, 1 failed"; exit 1; }
export KUBEBUILDER_ASSETS="${KUBEBUILDER_ASSETS:-$(bash hack/provision-control-plane.sh)}"

results="$root/TestResults"
rm -rf "$results"
dotnet build IsolationOperator.sln -v q --nologo -warnaserror || { echo "0 passed, 1 failed"; exit 1; }
status=0
for project in tests/IsolationOperator.Tests.Unit tests/IsolationOperator.Tests.Integration; do
  dotnet test "$project" --no-build --nologo --logger "trx" --logger "console;verbosity=normal" \
    --results-directory "$results/$(basename "$project")" --blame-hang-timeout 10m || status=1
done

passed=0; failed=0
for trx in $(find "$results" -name '*.trx'); do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
# CI shows only the end of the output: name each failed test and the start of its message here, last.
for trx in $(find "$results" -name '*.trx'); do
  sed -n '/<UnitTestResult [^>]*outcome="Failed"/,/<\/UnitTestResult>/p' "$trx" |
    sed -n -e 's/.*testName="\([^"]*\)".*/FAILED: \1/p' -e '/<Message>/,/<\/Message>/p' |
    sed -e 's/.*<Message>//' -e 's/<\/Message>.*//' -e 's/&quot;/"/g' -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g' | cut -c1-400 | head -60
done
if [[ $status -ne 0 && $failed -eq 0 ]]; then failed=1; fi   # a crashed or hung run counts as a failure
echo "$passed passed, $failed failed"
[[ $failed -eq 0 && $status -eq 0 ]]
