#!/usr/bin/env bash
# Starts a private RabbitMQ node for tests: its own name, ports, cookie and data under DATA_DIR.
#
#   start-node.sh DATA_DIR AMQP_PORT DIST_PORT
#
# Prints on stdout (one KEY=value a line):  NODE=tradenet-test-1234@localhost  AMQP_PORT=25672
#   AMQP_URL=amqp://guest:guest@127.0.0.1:25672/  DATA_DIR=...  ; progress and errors go to stderr.
# Restarting a node that was stopped with `stop-node.sh DATA_DIR --keep` reuses its name, so its
# durable queues and messages come back.
# Environment: RABBITMQ_NODENAME (default tradenet-test-$$@localhost, or the name stored in DATA_DIR),
#   RABBITMQ_START_TIMEOUT seconds (default 60), RABBITMQ_SBIN (directory of rabbitmq-server).
# Exit codes: 0 started; 2 usage; 3 rabbitmq-server not installed; 4 a port is taken;
#   5 the node did not start in time (its log tail is printed, the node is stopped).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=node-env.sh
. "$here/node-env.sh"

[ $# -eq 3 ] || die 2 "usage: $0 DATA_DIR AMQP_PORT DIST_PORT"
[[ $2 =~ ^[0-9]+$ && $3 =~ ^[0-9]+$ ]] || die 2 "AMQP_PORT and DIST_PORT must be numbers"
AMQP_PORT=$2
DIST_PORT=$3
TIMEOUT=${RABBITMQ_START_TIMEOUT:-60}

SBIN=$(find_rabbitmq_bin) || die 3 "rabbitmq-server is not installed. Install it first, e.g. 'sudo apt-get install -y rabbitmq-server' (Debian/Ubuntu), or set RABBITMQ_SBIN to the directory holding rabbitmq-server."
if [ "$(id -u)" = 0 ]; then
    id rabbitmq >/dev/null 2>&1 || die 3 "user 'rabbitmq' does not exist; is the rabbitmq-server package installed?"
fi
# Made only once the node can be started: a refusal above left an empty DATA_DIR behind.
mkdir -p "$1"
DATA_DIR=$(cd "$1" && pwd)

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_taken "$AMQP_PORT" && die 4 "port $AMQP_PORT is already in use"
port_taken "$DIST_PORT" && die 4 "port $DIST_PORT is already in use"

if [ -f "$DATA_DIR/node.env" ]; then
    NODE=$(. "$DATA_DIR/node.env"; echo "$NODE")   # a restart keeps the node's identity and data
else
    NODE=${RABBITMQ_NODENAME:-tradenet-test-$$@localhost}
    [[ $NODE == *@* ]] || NODE="$NODE@localhost"
    head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$DATA_DIR/.erlang.cookie"
    chmod 400 "$DATA_DIR/.erlang.cookie"
    : > "$DATA_DIR/rabbitmq-env.conf"          # keeps /etc/rabbitmq/rabbitmq-env.conf out of this node
    echo '[].' > "$DATA_DIR/enabled_plugins"    # no management plugin: faster start, fewer ports
fi
printf 'NODE=%q\nAMQP_PORT=%q\nDIST_PORT=%q\n' "$NODE" "$AMQP_PORT" "$DIST_PORT" > "$DATA_DIR/node.env"
# At every start, a restart included: the file's port wins over RABBITMQ_NODE_PORT, and written at the first start only, a
# node restarted on another port listened on the old one while this script printed the new one.
printf 'listeners.tcp.default = %s\nloopback_users.guest = true\n' "127.0.0.1:$AMQP_PORT" > "$DATA_DIR/rabbitmq.conf"
mkdir -p "$DATA_DIR/mnesia" "$DATA_DIR/log"
if [ "$(id -u)" = 0 ]; then
    chown -R rabbitmq:rabbitmq "$DATA_DIR"
    chmod 750 "$DATA_DIR"
    runuser -u rabbitmq -- test -w "$DATA_DIR" \
        || die 5 "user rabbitmq cannot write $DATA_DIR; put the data dir under a world-traversable parent such as /tmp"
fi

started=$(date +%s)
echo "starting RabbitMQ node $NODE on 127.0.0.1:$AMQP_PORT (distribution port $DIST_PORT, data $DATA_DIR)" >&2
rm -f "$DATA_DIR/node.pid"
epmd_before=$(live_epmd_pids)
node_run "$SBIN/rabbitmq-server" -detached >&2
# rabbitmqctl's own --timeout bounds only some phases of the wait; `timeout` bounds all of it.
if ! node_run timeout "$TIMEOUT" "$SBIN/rabbitmqctl" -n "$NODE" wait --timeout "$TIMEOUT" "$DATA_DIR/node.pid" >&2; then
    echo "error: node $NODE did not start within ${TIMEOUT}s; last log lines:" >&2
    tail -n 40 "$DATA_DIR/log/"*.log >&2 2>/dev/null || true
    # Bounded: a node too slow to start can be too slow to stop, and an unbounded stop outlived whoever ran this script
    # (the app host kills it at its own bound), leaving the detached VM running; the kill below ends it whatever it says.
    node_run timeout 15 "$SBIN/rabbitmqctl" -n "$NODE" stop >/dev/null 2>&1 || true
    kill_node_processes || echo "warning: could not kill the node's Erlang VM" >&2
    exit 5
fi
remember_epmd_if_started "$epmd_before"
echo "node $NODE is up after $(( $(date +%s) - started ))s" >&2
echo "NODE=$NODE"
echo "AMQP_PORT=$AMQP_PORT"
echo "AMQP_URL=amqp://guest:guest@127.0.0.1:$AMQP_PORT/"
echo "DATA_DIR=$DATA_DIR"
