#!/usr/bin/env bash
# Makes sure this machine's PostgreSQL, Redis and RabbitMQ answer on their default loopback
# ports, starting any that a previous run (or a test that restarts the broker) left stopped.
set -uo pipefail

answers() { # host port
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

wait_for() { # name host port seconds
  local deadline=$((SECONDS + $4))
  until answers "$2" "$3"; do
    if ((SECONDS >= deadline)); then echo "$1 did not come up on $2:$3" >&2; return 1; fi
    sleep 1
  done
  echo "$1 answers on $2:$3"
}

if ! answers 127.0.0.1 5432; then
  echo "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start || true
fi
if ! answers 127.0.0.1 6379; then
  echo "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
fi
if ! answers 127.0.0.1 5672; then
  echo "starting RabbitMQ"
  # A node whose app was stopped (rabbitmqctl stop_app) only needs start_app.
  rabbitmqctl start_app >/dev/null 2>&1 || rabbitmq-server -detached || true
fi

wait_for PostgreSQL 127.0.0.1 5432 60 &&
  wait_for Redis 127.0.0.1 6379 30 &&
  wait_for RabbitMQ 127.0.0.1 5672 120
