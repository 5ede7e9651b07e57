#!/usr/bin/env bash
# kill -9 at random instants of the Atmosphere steps, then resume (issue 13). Each trial: a fresh demo cloud and an
# Atmosphere install running upstream's scripts (`atmo-connect demo --serve-only`, the generations in turn), an
# unattended `apply`, killed with SIGKILL at a random instant after its first Atmosphere script starts; then:
#   - no script of that install is left running (they die with the wizard);
#   - `apply` again on the same state completes ("All steps done.");
#   - no provider JSON is left, and no temporary folder of the killed run (they live in the state directory's run/,
#     which the resume sweeps); nothing at all is left in TMPDIR (each trial's own, empty at the start);
#   - Atmosphere's database holds exactly one provider, with its admin identity.
# The random instant is uniform over the Atmosphere steps' duration, measured once per generation by an unkilled run.
# Issue 25 widens it (environment):
#   KILL_SPAN=all          the instant is uniform over the whole apply, from its start (default: the Atmosphere steps);
#   KILL_SECRETS=alternate odd trials give the atmoadmin password and provider secret from the environment, even ones
#                          leave them to be generated (default: env; also: generated);
#   KILL_RESUMES=2         plain `apply` re-runs allowed before a trial fails (default: 1).
# Every trial also checks that nothing is left on the demo cloud (it prints what is left as it stops) and that no
# secret given from the environment is in a file of the trial's.
# Usage: scripts/atmosphere-kill-trials.sh PATH/TO/atmo-connect [TRIALS (30)] [SEED]
# Prints one line per trial and "N passed, M failed"; exits 1 if any trial failed.
set -euo pipefail
binary=$(realpath "${1:?usage: scripts/atmosphere-kill-trials.sh PATH/TO/atmo-connect [TRIALS] [SEED]}")
trials=${2:-30}
RANDOM=${3:-$$}
python=$(command -v python3)
span=${KILL_SPAN:-atmosphere}
secrets_mode=${KILL_SECRETS:-env}
resumes=${KILL_RESUMES:-1}
work=$(mktemp -d)
trial_tmp="$work/tmp"
server=""
demo_base=""
stop_server() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    server=""
    # The demo removes its own folder when it stops: nothing is removed for it here.
    demo_base=""
}
cleanup() { stop_server; rm -rf "$work"; }
trap cleanup EXIT

random_secret() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }
now_ms() { date +%s%3N; }

# serve GENERATION DIR [SECRETS]: a fresh demo; writes DIR/answers.yaml (the demo's plus consents) and sets $tree.
# SECRETS is env (the atmoadmin password and provider secret from the environment) or generated (none given).
serve() {
    local generation=$1 dir=$2 secrets=${3:-env}
    mkdir -p "$dir" "$trial_tmp"
    export TMPDIR="$trial_tmp/"
    ATMO_CONNECT_DEMO_PASSWORD="trial-$(random_secret)"
    ATMOADMIN_PASSWORD="atmoadmin-$(random_secret)"
    PROVIDER_SECRET="$(random_secret)$(random_secret)"
    export ATMO_CONNECT_DEMO_PASSWORD ATMOADMIN_PASSWORD PROVIDER_SECRET
    # Made here, not by the background job's redirection: the first read below may come before that job runs.
    : > "$dir/serve.out"
    "$binary" demo --serve-only --atmosphere-generation "$generation" >> "$dir/serve.out" 2>&1 &
    server=$!
    local answers=""
    for _ in $(seq 200); do
        answers=$(sed -n "s/.*the wizard's answers: //p" "$dir/serve.out")
        [ -n "$answers" ] && break
        sleep 0.05
    done
    [ -n "$answers" ] || { echo "the demo did not start: $(cat "$dir/serve.out")" >&2; return 1; }
    demo_base=$(dirname "$answers")
    tree=$(sed -n 's/^atmosphere.venv: \(.*\)\/env\/atmo$/\1/p' "$answers")
    # The trial's own paths replace the demo's (a key appears once in an answers file).
    { grep -v -e '^provider.json_path:' -e '^osa.output_path:' "$answers"; cat; } > "$dir/answers.yaml" <<EOF
atmoadmin.consent: true
osa.output_path: $dir/user_variables.yml
osa.consent: true
smoke.consent: true
smoke.timeout_seconds: 60
provider.name: demo
provider.json_path: $dir/provider.json
provider.consent: true
accounts.consent: true
staff.consent: true
allocation.consent: true
sync.consent: true
inventory.consent: true
EOF
    if [ "$secrets" = env ]; then
        printf '%s\n' 'atmoadmin.password: {from_env: ATMOADMIN_PASSWORD}' 'provider.secret: {from_env: PROVIDER_SECRET}' >> "$dir/answers.yaml"
    fi
}

# scripts_of TREE: pids of the install's Python processes (its virtualenv's launcher).
scripts_of() { pgrep -f "$1/env/atmo/" || true; }

# The Atmosphere steps' duration per generation, from an unkilled run.
declare -A window
declare -A whole
for generation in guide window final; do
    dir="$work/calibrate-$generation"
    serve "$generation" "$dir"
    started=$(now_ms)
    "$binary" apply --answers "$dir/answers.yaml" --state-dir "$dir/state" > "$dir/apply.out" 2>&1 &
    apply=$!
    first=""
    while kill -0 "$apply" 2>/dev/null; do
        if [ -z "$first" ] && [ -n "$(scripts_of "$tree")" ]; then first=$(now_ms); fi
        sleep 0.01
    done
    wait "$apply" || { echo "calibration on $generation failed:"; cat "$dir/apply.out"; exit 1; }
    window[$generation]=$(( $(now_ms) - ${first:-$(now_ms)} ))
    whole[$generation]=$(( $(now_ms) - started ))
    echo "calibration: $generation's Atmosphere steps take ${window[$generation]} ms of ${whole[$generation]} ms"
    stop_server
done

passed=0
failed=0
generations=(guide window final)
for trial in $(seq "$trials"); do
    generation=${generations[$(( (trial - 1) % 3 ))]}
    case "$secrets_mode" in
        alternate) secrets=$([ $((trial % 2)) -eq 1 ] && echo env || echo generated) ;;
        *) secrets=$secrets_mode ;;
    esac
    dir="$work/trial-$trial"
    serve "$generation" "$dir" "$secrets"
    if [ "$span" = all ]; then
        delay=$(( (RANDOM * 32768 + RANDOM) % (${whole[$generation]} + 1) ))
    else
        delay=$(( (RANDOM * 32768 + RANDOM) % (${window[$generation]} + 1) ))
    fi
    "$binary" apply --answers "$dir/answers.yaml" --state-dir "$dir/state" > "$dir/apply.out" 2>&1 &
    apply=$!
    if [ "$span" != all ]; then
        while [ -z "$(scripts_of "$tree")" ] && kill -0 "$apply" 2>/dev/null; do sleep 0.005; done
    fi
    "$python" -c "import time; time.sleep($delay / 1000)"
    kill -9 "$apply" 2>/dev/null || true
    wait "$apply" 2>/dev/null || true
    running=$("$binary" status --state-dir "$dir/state" 2>/dev/null | awk '$0 ~ /running/ { print $1 }' | head -n 1)
    problems=()
    sleep 0.3
    left=$(scripts_of "$tree")
    [ -z "$left" ] || problems+=("scripts still running after the kill: $left")
    done_after=""
    for attempt in $(seq "$resumes"); do
        if "$binary" apply --answers "$dir/answers.yaml" --state-dir "$dir/state" > "$dir/resume-$attempt.out" 2>&1 \
            && grep -q "All steps done." "$dir/resume-$attempt.out"; then
            done_after=$attempt
            break
        fi
    done
    [ -n "$done_after" ] || problems+=("$resumes resume(s) did not finish: $(tail -n 3 "$dir/resume-$resumes.out" | tr '\n' ' ')")
    # The answer's path, or a run's own name beside it (provider-PID.json).
    jsons=$(find "$dir" -maxdepth 1 -name 'provider*.json')
    [ -z "$jsons" ] || problems+=("a provider JSON is still there: $jsons")
    leftovers=$(find "$dir/state/run" -maxdepth 1 \( -name "shell-$apply-*" -o -name "reach-$apply-*" \) 2>/dev/null)
    [ -z "$leftovers" ] || problems+=("temporary folders of the killed run: $leftovers")
    [ -z "$(scripts_of "$tree")" ] || problems+=("scripts running after the resume")
    count=$("$python" - "$tree/atmosphere.sqlite3" <<'EOF'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
providers = [json.loads(d)["location"] for (d,) in db.execute("SELECT data FROM rows WHERE model = 'Provider'")]
admins = db.execute("SELECT COUNT(*) FROM rows WHERE model = 'AccountProvider'").fetchone()[0]
print("%d %d" % (providers.count("demo"), admins))
EOF
)
    [ "$count" = "1 1" ] || problems+=("providers named demo, admin identities: $count")
    if [ "$secrets" = env ]; then
        holders=$(grep -rlF -e "$ATMOADMIN_PASSWORD" -e "$PROVIDER_SECRET" "$dir" 2>/dev/null | grep -v '/answers.yaml$' || true)
        [ -z "$holders" ] || problems+=("a secret is on disk in: $holders")
    fi
    stop_server
    left=$(sed -n 's/^atmo-connect-demo: left on the cloud: //p' "$dir/serve.out")
    [ "$left" = "0 server(s), 0 floating IP(s), 0 volume(s)" ] || problems+=("left on the cloud: ${left:-(the demo said nothing)}")
    litter=$(find "$trial_tmp" -mindepth 1 -maxdepth 1 2>/dev/null)
    [ -z "$litter" ] || problems+=("left in TMPDIR: $litter")
    if [ ${#problems[@]} -eq 0 ]; then
        passed=$((passed + 1))
        echo "trial $trial ($generation, secrets $secrets): killed ${delay} ms in (${running:+step }${running:-between steps}); resumed to the end, one provider, nothing left (after $done_after apply)"
    else
        failed=$((failed + 1))
        echo "trial $trial ($generation, secrets $secrets): killed ${delay} ms in (${running:+step }${running:-between steps}): ${problems[*]}"
        cp -r "$dir" "$(dirname "$work")/atmo-kill-trial-$trial-kept" 2>/dev/null || true
        rm -rf "${trial_tmp:?}"/*
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
