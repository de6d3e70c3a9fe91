#!/usr/bin/env bash
# sqsim-server's memory with a million stored messages: wrk sends 100-byte
# messages until the queue holds MESSAGES of them, then the script reads the
# server's resident memory (VmRSS) and its peak (VmHWM), pages through the
# whole queue with the peek endpoint (bounded pages), purges it and reads
# the memory again. A benchmark, not a test: it prints numbers.
#
# Installs nothing: without wrk on PATH it says so and exits 0.
#
# Usage: bench/server_rss_soak.sh [path/to/sqsim-server] [messages]
# Default: build/release/sqsim-server, 1000000.
set -euo pipefail
cd "$(dirname "$0")/.."
server_bin="${1:-build/release/sqsim-server}"
messages="${2:-1000000}"

if ! command -v wrk >/dev/null 2>&1; then
  echo "server_rss_soak: skipped: needs wrk (Debian: apt-get install wrk)"
  exit 0
fi
if [ ! -x "$server_bin" ]; then
  echo "server_rss_soak: no sqsim-server at $server_bin (build it first)" >&2
  exit 1
fi

work="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$server_bin" --port "$port" --time manual --exact --quiet >"$work/server.out" &
server_pid=$!
endpoint="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -s "$endpoint/_sqsim/health" >/dev/null && break; sleep 0.05; done

call() {  # action json
  curl -s -X POST -H 'Content-Type: application/x-amz-json-1.0' \
    -H "X-Amz-Target: AmazonSQS.$1" -d "$2" "$endpoint/"
}
memory() {  # "rss_mib peak_mib"
  awk '/^VmRSS:/ { rss = $2 } /^VmHWM:/ { hwm = $2 } END { printf "%.0f %.0f", rss / 1024, hwm / 1024 }' \
    "/proc/$server_pid/status"
}
stored() {
  call GetQueueAttributes "{\"QueueUrl\":\"$queue\",\"AttributeNames\":[\"ApproximateNumberOfMessages\"]}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["Attributes"]["ApproximateNumberOfMessages"])'
}

queue="$(call CreateQueue '{"QueueName":"soak"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["QueueUrl"])')"
body="$(head -c 100 /dev/zero | tr '\0' 'b')"
cat >"$work/send.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
wrk.headers["X-Amz-Target"] = "AmazonSQS.SendMessage"
wrk.body = '{"QueueUrl":"$queue","MessageBody":"$body"}'
EOF

read -r rss_start _ <<<"$(memory)"
started=$(date +%s.%N)
while [ "$(stored)" -lt "$messages" ]; do
  wrk -t1 -c64 -d5s -s "$work/send.lua" "$endpoint/" >/dev/null
done
sent_seconds=$(python3 -c "import time; print(f'{time.time() - $started:.1f}')")
count="$(stored)"
read -r rss_full peak_full <<<"$(memory)"

# Page through everything with the peek endpoint: the replies stay bounded.
peek_started=$(date +%s.%N)
read -r pages peeked <<<"$(python3 - "$endpoint" <<'PY'
import http.client, json, sys, urllib.parse
host = urllib.parse.urlparse(sys.argv[1]).netloc
conn = http.client.HTTPConnection(host)
pages = peeked = 0
cursor = ""
while True:
    conn.request("GET", "/_sqsim/queues/soak/messages?limit=1000" + cursor)
    page = json.loads(conn.getresponse().read())
    pages += 1
    peeked += len(page["messages"])
    if "next_cursor" not in page:
        break
    cursor = "&cursor=%d" % page["next_cursor"]
print(pages, peeked)
PY
)"
peek_seconds=$(python3 -c "import time; print(f'{time.time() - $peek_started:.1f}')")
read -r rss_peeked peak_peeked <<<"$(memory)"

call PurgeQueue "{\"QueueUrl\":\"$queue\"}" >/dev/null
read -r rss_purged _ <<<"$(memory)"

echo "stored $count messages of 100 bytes in ${sent_seconds}s"
echo "RSS at start          ${rss_start} MiB"
echo "RSS with all stored   ${rss_full} MiB (peak ${peak_full} MiB; $(((rss_full - rss_start) * 1048576 / count)) bytes per message)"
echo "peeked ${peeked} messages in ${pages} pages of up to 1000 (${peek_seconds}s): RSS ${rss_peeked} MiB, peak ${peak_peeked} MiB"
echo "RSS after PurgeQueue  ${rss_purged} MiB"
