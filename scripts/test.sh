#!/usr/bin/env bash
# Builds and tests every project that can be restored here, then prints "N passed, N failed, N skipped".
# The Pulumi layer (component, program and their tests) needs Pulumi, Pulumi.Aws and Pulumi.Awsx; where the
# package source does not serve them, those projects are skipped with a line saying so. Any other failure fails.
set -uo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

free_tests=(Tests/StepScaling.Tests Tests/StepScale.Tests)
pulumi_tests=(Tests/StepScaledEcs.Tests Tests/StepScaledEcs.ConsumerTests)
pulumi_builds=(Components/StepScaledEcs Components/StepScaledEcs.Provider Infra.csproj)
status=0
to_test=()

for p in "${free_tests[@]}"; do
  echo "== restore $p"
  if ! dotnet restore "$p" >"$results/restore.log" 2>&1; then
    cat "$results/restore.log"
    echo "FAILED: restore of $p (a Pulumi-free project must always restore)"
    status=1
  else
    to_test+=("$p")
  fi
done

skipped_projects=()
for p in "${pulumi_tests[@]}"; do
  echo "== restore $p (needs Pulumi packages)"
  if dotnet restore "$p" >"$results/restore.log" 2>&1; then
    to_test+=("$p")
  elif grep -Eq "NU110[123].*(Pulumi|Pulumi\.Aws|Pulumi\.Awsx|Pulumi\.Protobuf)" "$results/restore.log" \
       && ! grep -E "error NU" "$results/restore.log" | grep -Evq "Pulumi"; then
    missing=$(grep -Eo "Unable to find package [A-Za-z.]+" "$results/restore.log" | awk '{print $5}' | sed 's/[.]$//' | sort -u | tr '\n' ' ')
    skipped_projects+=("$p")
    echo "SKIPPED: $p and ${pulumi_builds[*]}: the package source does not serve ${missing:-the Pulumi packages}(pinned in Directory.Packages.props). They build and test on any machine with nuget.org."
  else
    cat "$results/restore.log"
    echo "FAILED: restore of $p for a reason other than the missing Pulumi packages"
    status=1
  fi
done

passed=0; failed=0; skipped=0
for p in "${to_test[@]}"; do
  echo "== test $p"
  dotnet test "$p" --no-restore -c Release 2>&1 | tee "$results/test.log"
  code=${PIPESTATUS[0]}
  line=$(grep -E "(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+" "$results/test.log" | tail -n 1)
  if [ -z "$line" ]; then
    echo "FAILED: $p did not build or ran no test (exit $code)"
    status=1; failed=$((failed + 1))
    continue
  fi
  f=$(echo "$line" | sed -E 's/.*Failed: +([0-9]+).*/\1/')
  pa=$(echo "$line" | sed -E 's/.*Passed: +([0-9]+).*/\1/')
  s=$(echo "$line" | sed -E 's/.*Skipped: +([0-9]+).*/\1/')
  passed=$((passed + pa)); failed=$((failed + f)); skipped=$((skipped + s))
  [ "$code" -eq 0 ] || status=1
done

if [ ${#skipped_projects[@]} -gt 0 ]; then
  echo "Skipped projects (Pulumi packages not restorable here): ${skipped_projects[*]} ${pulumi_builds[*]}"
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
