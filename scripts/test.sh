#!/usr/bin/env bash
# Builds and tests every project that can be restored here, runs the Flask app's pytest suite (app/tests), then
# prints "N passed, N failed, N skipped" over all of them.
# The Pulumi layer (component, program and their tests) needs Pulumi, Pulumi.Aws and Pulumi.Awsx; where the
# package source does not serve them, those projects are skipped with a line saying why, and the last line ends
# ", M projects not built". The app's tests run with Debian's python3 and its python3-flask and python3-pytest
# packages, installed with apt-get when missing (as root). Any other failure fails.
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

# The Flask app (app/): Debian's python3 with python3-flask and python3-pytest, installed when missing.
app_python=/usr/bin/python3
app_ready() { "$app_python" -c "import flask, pytest" >/dev/null 2>&1; }
install_app_packages() {
  echo "== install python3-flask python3-pytest (apt-get; the app's tests need them)"
  if [ "$(id -u)" -ne 0 ]; then
    echo "FAILED: $app_python cannot import flask and pytest, and installing them needs root: apt-get install -y python3-flask python3-pytest"
    return 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "FAILED: $app_python cannot import flask and pytest, and there is no apt-get to install python3-flask and python3-pytest with"
    return 1
  fi
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-flask python3-pytest; } >"$results/apt.log" 2>&1; then
    cat "$results/apt.log"
    echo "FAILED: apt-get could not install python3-flask and python3-pytest (log above)"
    return 1
  fi
  app_ready || { echo "FAILED: python3-flask and python3-pytest are installed, yet $app_python cannot import flask and pytest"; return 1; }
}

echo "== test app (pytest)"
if app_ready || install_app_packages; then
  # No bytecode and no pytest cache in app/: its files decide the image tag (service.build).
  (cd app && PYTHONDONTWRITEBYTECODE=1 "$app_python" -m pytest -q -p no:cacheprovider 2>&1) | tee "$results/pytest.log"
  code=${PIPESTATUS[0]}
  summary=$(grep -E "^=*.*[0-9]+ (passed|failed|skipped|errors?)|no tests ran" "$results/pytest.log" | tail -n 1)
  count() { echo "$summary" | grep -Eo "[0-9]+ $1" | awk '{s += $1} END {print s + 0}'; }
  if [ "$code" -eq 5 ] || [ -z "$summary" ]; then
    echo "FAILED: app/tests ran no test (pytest exit $code)"
    status=1; failed=$((failed + 1))
  else
    passed=$((passed + $(count passed))); skipped=$((skipped + $(count skipped)))
    failed=$((failed + $(count failed) + $(count "errors?")))
    [ "$code" -eq 0 ] || { echo "FAILED: app/tests (pytest exit $code)"; status=1; }
  fi
else
  status=1; failed=$((failed + 1))
fi

if [ ${#skipped_projects[@]} -gt 0 ]; then
  not_built=("${skipped_projects[@]}" "${pulumi_builds[@]}")
  echo "Skipped projects (Pulumi packages not restorable here): ${not_built[*]}"
  echo "$passed passed, $failed failed, $skipped skipped, ${#not_built[@]} projects not built"
else
  echo "$passed passed, $failed failed, $skipped skipped"
fi
exit $status
