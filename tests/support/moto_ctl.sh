#!/usr/bin/env bash
# Starts or stops the moto_server that a ctest run shares (a ctest fixture,
# see tests/CMakeLists.txt). Usage: moto_ctl.sh start|stop <state dir>
# `start` writes <state dir>/moto.url ("http://127.0.0.1:<port>") once the
# server accepts connections; without moto_server on PATH it writes nothing
# and the tests that need moto skip, saying why.
set -euo pipefail
cmd="$1"
dir="$2"
mkdir -p "$dir"
case "$cmd" in
  start)
    rm -f "$dir/moto.url"
    if ! command -v moto_server >/dev/null || ! command -v python3 >/dev/null; then
      echo "moto_server not on PATH: tests against moto will skip"
      exit 0
    fi
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    nohup moto_server -H 127.0.0.1 -p "$port" >"$dir/moto.log" 2>&1 &
    echo $! >"$dir/moto.pid"
    for _ in $(seq 1 300); do
      if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$port),0.2)" 2>/dev/null; then
        echo "http://127.0.0.1:$port" >"$dir/moto.url"
        echo "moto_server on port $port (pid $(cat "$dir/moto.pid"))"
        exit 0
      fi
      sleep 0.05
    done
    echo "moto_server did not start; log:" >&2
    cat "$dir/moto.log" >&2
    exit 1
    ;;
  stop)
    if [ -f "$dir/moto.pid" ]; then
      kill "$(cat "$dir/moto.pid")" 2>/dev/null || true
      rm -f "$dir/moto.pid" "$dir/moto.url"
    fi
    ;;
  *)
    echo "usage: $0 start|stop <state dir>" >&2
    exit 2
    ;;
esac
