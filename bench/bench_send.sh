#!/usr/bin/env bash
# Sending benchmark: requests per second that `kmtester-cli send` delivers to the built-in endpoint
# (`kmtester-cli serve`) on 127.0.0.1, beside curl sending the very same requests (the URLs that
# `kmtester-cli translate --format url` prints for the same calls, clock and key) with
# `curl --parallel --parallel-max C`, at the same concurrency C, against the same server, in the same
# run. The two alternate ROUNDS times and each figure is the median of its rounds (other work on
# the machine moves single runs a lot).
#
# Times are end to end, process start to exit: for kmtester that includes translating the file and
# writing every request to the outbox (on a thread of their own, a batch at a time, each batch
# fsync'd before it is sent) and a history entry per request, and for curl reading its config. Each
# round checks that the server received every request.
#
# usage: bench/bench_send.sh [BUILD_DIR] [MESSAGES] [CONCURRENCY] [ROUNDS]
#        (defaults: build 10000 6 3)
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

build=${1:-build}
messages=${2:-10000}
concurrency=${3:-6}
rounds=${4:-3}
cli="$build/bin/kmtester-cli"
[[ -x "$cli" ]] || { echo "bench_send: $cli not built" >&2; exit 1; }
command -v curl > /dev/null || { echo "bench_send: curl not found (scripts/deps installs it)" >&2; exit 1; }

work=$(mktemp -d)
serve_pid=
cleanup()
{
    if [[ -n "$serve_pid" ]]; then kill "$serve_pid" 2> /dev/null || true; wait "$serve_pid" 2> /dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

key=bench-key-0123456789
settings="{\"apiKey\":\"$key\"}"
now=1767225600 # a fixed clock, so that both tools send byte-identical requests
python3 bench/gen-segment-corpus.py "$messages" > "$work/calls.ndjson"

# The endpoint; every request it receives is one line in received.ndjson.
"$cli" serve --port 0 > "$work/received.ndjson" 2> "$work/serve.err" &
serve_pid=$!
port=
for _ in $(seq 100); do
    port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$work/serve.err" 2> /dev/null | grep -o '[0-9]*$' || true)
    [[ -n "$port" ]] && break
    sleep 0.1
done
[[ -n "$port" ]] || { echo "bench_send: kmtester-cli serve did not start" >&2; cat "$work/serve.err" >&2; exit 1; }
target="http://127.0.0.1:$port"

# The same requests for curl: one `url = "..."` per request (form bodies never occur for the HTTP
# engines, which send everything as GET).
"$cli" translate --format url --show-key --host "$target" --settings "$settings" --now "$now" "$work/calls.ndjson" \
    | grep '^http' > "$work/urls.txt"
requests=$(wc -l < "$work/urls.txt")
awk '{ printf "url = \"%s\"\noutput = \"/dev/null\"\n", $0 }' "$work/urls.txt" > "$work/curl.config"

received()
{
    wc -l < "$work/received.ndjson"
}

# Waits until the server has written `expected` lines (it prints each request as it arrives).
settle()
{
    local expected=$1
    for _ in $(seq 200); do
        [[ $(received) -ge $expected ]] && return 0
        sleep 0.05
    done
    echo "bench_send: the server received $(received) requests, expected $expected" >&2
    exit 1
}

nanoseconds()
{
    date +%s%N
}

curl_times=()
send_times=()
send_reported=()
total=0
for round in $(seq "$rounds"); do
    rm -rf "$work/outbox" "$work/history"
    start=$(nanoseconds)
    timeout 600 curl --silent --no-progress-meter --show-error --fail --parallel --parallel-immediate --parallel-max "$concurrency" -K "$work/curl.config"
    end=$(nanoseconds)
    total=$((total + requests))
    settle "$total"
    curl_times+=("$((end - start))")

    start=$(nanoseconds)
    summary=$(timeout 600 "$cli" send --target "$target" --settings "$settings" --now "$now" --concurrency "$concurrency" \
        --outbox "$work/outbox" --history "$work/history" "$work/calls.ndjson" 2> /dev/null)
    end=$(nanoseconds)
    total=$((total + requests))
    settle "$total"
    send_times+=("$((end - start))")
    send_reported+=("$(echo "$summary" | grep -o '[0-9]* requests/s' | grep -o '^[0-9]*')")
    echo "round $round: curl $((curl_times[-1] / 1000000)) ms, kmtester-cli send $((send_times[-1] / 1000000)) ms" \
        "(its own count, sending only: ${send_reported[-1]} requests/s)"
done

python3 - "$requests" "$concurrency" "${curl_times[*]}" "${send_times[*]}" "${send_reported[*]}" <<'PY'
import statistics, sys
n, c = int(sys.argv[1]), int(sys.argv[2])
curl = statistics.median(int(t) for t in sys.argv[3].split()) / 1e9
send = statistics.median(int(t) for t in sys.argv[4].split()) / 1e9
own = statistics.median(int(r) for r in sys.argv[5].split())
print(f"{n} requests, concurrency {c}, median of {len(sys.argv[3].split())} rounds, end to end:")
print(f"  curl --parallel --parallel-max {c}: {n / curl:10,.0f} requests/s")
print(f"  kmtester-cli send --concurrency {c}: {n / send:10,.0f} requests/s   ({own:,.0f} requests/s sending only)")
print(f"  kmtester / curl: {curl / send:.2f}x   (target: >= 1.00x)")
PY
