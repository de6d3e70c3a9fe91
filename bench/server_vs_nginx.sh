#!/usr/bin/env bash
# sqsim-server's requests per second next to the HTTP floor: nginx with one
# worker answering a fixed JSON body, measured in the same run with the same
# load generator (wrk, one thread, 64 connections, keep-alive). The server
# under test runs pinned to one core and wrk to the other. Printed: requests/s
# of nginx, of sqsim-server's SendMessage and of its ReceiveMessage on an
# empty queue (a short poll), and each as a share of nginx's.
#
# Installs nothing: without nginx or wrk on PATH it says so and exits 0
# (`apt-get install nginx wrk` on Debian). Needs a built sqsim-server.
#
# Usage: bench/server_vs_nginx.sh [path/to/sqsim-server] [seconds per run]
# Default: build/release/sqsim-server, 10 s.
set -euo pipefail
cd "$(dirname "$0")/.."
server_bin="${1:-build/release/sqsim-server}"
seconds="${2:-10}"

nginx_bin="$(command -v nginx || true)"
[ -z "$nginx_bin" ] && [ -x /usr/sbin/nginx ] && nginx_bin=/usr/sbin/nginx
if [ -z "$nginx_bin" ] || ! command -v wrk >/dev/null 2>&1; then
  echo "server_vs_nginx: skipped: needs nginx and wrk (Debian: apt-get install nginx wrk)"
  exit 0
fi
if [ ! -x "$server_bin" ]; then
  echo "server_vs_nginx: no sqsim-server at $server_bin (build it first)" >&2
  exit 1
fi

# Two cores: the server on one, wrk on the other. With one core both share it.
cores="$(nproc)"
server_cpu=0
load_cpu=$((cores > 1 ? 1 : 0))

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits until something answers HTTP on the port.
await_port() {
  for _ in $(seq 1 100); do
    if python3 -c "import socket,sys; s=socket.create_connection(('127.0.0.1', $1), 0.2)" 2>/dev/null; then
      return 0
    fi
    sleep 0.05
  done
  echo "server_vs_nginx: nothing listens on port $1" >&2
  exit 1
}

# A wrk script that POSTs one SQS JSON request again and again.
wrk_script() {  # action body
  cat >"$work/$1.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
wrk.headers["X-Amz-Target"] = "AmazonSQS.$1"
wrk.body = '$2'
EOF
  echo "$work/$1.lua"
}

# Requests per second of one wrk run; fails on socket errors or non-2xx.
measure() {  # url script
  local out
  out="$(taskset -c "$load_cpu" wrk -t1 -c64 -d"${seconds}s" -s "$2" "$1")"
  if grep -q "Non-2xx\|Socket errors" <<<"$out"; then
    echo "server_vs_nginx: errors during the run:" >&2
    echo "$out" >&2
    exit 1
  fi
  awk '/^Requests\/sec:/ { print $2 }' <<<"$out"
}

# --- nginx: one worker, a fixed JSON answer, no logging --------------------
nginx_port="$(free_port)"
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log crit;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  keepalive_requests 100000000;
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      default_type application/x-amz-json-1.0;
      return 200 '{"MD5OfMessageBody":"5d41402abc4b2a76b9719d911017c592","MessageId":"0e4a9f4c-6d2b-4a56-9b0a-6f1d2b8e4c11"}';
    }
  }
}
EOF
taskset -c "$server_cpu" "$nginx_bin" -c "$work/nginx/nginx.conf" -p "$work/nginx" &
pids+=($!)
await_port "$nginx_port"

# --- sqsim-server: manual time, exact mode, quiet ---------------------------
server_port="$(free_port)"
taskset -c "$server_cpu" "$server_bin" --port "$server_port" --time manual --exact --quiet \
  >"$work/server.out" &
pids+=($!)
await_port "$server_port"
endpoint="http://127.0.0.1:$server_port"
curl -s -X POST -H 'Content-Type: application/x-amz-json-1.0' \
  -H 'X-Amz-Target: AmazonSQS.CreateQueue' -d '{"QueueName":"bench"}' "$endpoint/" >/dev/null
curl -s -X POST -H 'Content-Type: application/x-amz-json-1.0' \
  -H 'X-Amz-Target: AmazonSQS.CreateQueue' -d '{"QueueName":"empty"}' "$endpoint/" >/dev/null
queue="$endpoint/000000000000"

send="$(wrk_script SendMessage "{\"QueueUrl\":\"$queue/bench\",\"MessageBody\":\"hello\"}")"
receive="$(wrk_script ReceiveMessage "{\"QueueUrl\":\"$queue/empty\"}")"

nginx_rps="$(measure "http://127.0.0.1:$nginx_port/" "$send")"
send_rps="$(measure "$endpoint/" "$send")"
receive_rps="$(measure "$endpoint/" "$receive")"

awk -v n="$nginx_rps" -v s="$send_rps" -v r="$receive_rps" 'BEGIN {
  printf "nginx (1 worker, fixed body)    %10.0f requests/s\n", n
  printf "sqsim-server SendMessage        %10.0f requests/s  %5.1f%% of nginx\n", s, 100 * s / n
  printf "sqsim-server ReceiveMessage     %10.0f requests/s  %5.1f%% of nginx\n", r, 100 * r / n
}'
