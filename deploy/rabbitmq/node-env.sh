# Sourced by start-node.sh and stop-node.sh: where RabbitMQ lives and how to run its tools
# as the node's user with the node's private environment (cookie, dirs, ports).

die() { code=$1; shift; echo "error: $*" >&2; exit "$code"; }

find_rabbitmq_bin() {
    if [ -n "${RABBITMQ_SBIN:-}" ] && [ -x "$RABBITMQ_SBIN/rabbitmq-server" ]; then echo "$RABBITMQ_SBIN"; return; fi
    # Debian's /usr/sbin wrappers switch to the rabbitmq user and pin HOME; the real scripts are here.
    if [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then echo /usr/lib/rabbitmq/bin; return; fi
    local found; found=$(command -v rabbitmq-server 2>/dev/null) || return 1
    dirname "$(readlink -f "$found")"
}

# Runs a command as the node's owner (user rabbitmq when we are root) with the node's environment.
node_run() {
    local env=(
        HOME="$DATA_DIR"                        # .erlang.cookie lives here: server and CLI share it
        PATH="$PATH"
        LANG=C.UTF-8 LC_ALL=C.UTF-8
        RABBITMQ_NODENAME="$NODE"
        RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
        RABBITMQ_NODE_PORT="$AMQP_PORT"
        RABBITMQ_DIST_PORT="$DIST_PORT"
        RABBITMQ_MNESIA_BASE="$DATA_DIR/mnesia"
        RABBITMQ_LOG_BASE="$DATA_DIR/log"
        RABBITMQ_PID_FILE="$DATA_DIR/node.pid"
        RABBITMQ_CONFIG_FILE="$DATA_DIR/rabbitmq.conf"
        RABBITMQ_CONF_ENV_FILE="$DATA_DIR/rabbitmq-env.conf"
        RABBITMQ_ENABLED_PLUGINS_FILE="$DATA_DIR/enabled_plugins"
        # Erlang distribution on loopback only: a test node is nobody else's business.
        RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    )
    if [ "$(id -u)" = 0 ]; then
        runuser -u rabbitmq -- env -i "${env[@]}" "$@"
    else
        env -i "${env[@]}" "$@"
    fi
}

load_node_settings() {
    [ -f "$DATA_DIR/node.env" ] || die 2 "$DATA_DIR holds no node (no node.env); was it started by start-node.sh?"
    # shellcheck disable=SC1091
    . "$DATA_DIR/node.env"
}

# The node's Erlang VM(s), found by the private pid file path in their environment, so a node
# that never got as far as writing its pid file (or answering rabbitmqctl) can still be stopped.
node_os_pids() {
    local p
    for p in $(pgrep -x beam.smp || true); do
        tr '\0' '\n' 2>/dev/null < "/proc/$p/environ" | grep -qxF "RABBITMQ_PID_FILE=$DATA_DIR/node.pid" && echo "$p"
    done
    return 0
}

# TERM, then KILL after 10 s. Returns 1 if something survives.
kill_node_processes() {
    local pids; pids=$(node_os_pids)
    [ -n "$pids" ] || return 0
    # shellcheck disable=SC2086
    kill $pids 2>/dev/null || true
    for _ in $(seq 1 50); do [ -n "$(node_os_pids)" ] || return 0; sleep 0.2; done
    # shellcheck disable=SC2046
    kill -9 $(node_os_pids) 2>/dev/null || true
    sleep 0.5
    [ -z "$(node_os_pids)" ]
}

# Erlang's name server (epmd) is the machine's, and outlives the node that started it. When a node of these scripts
# starts it, its pid goes here; whichever of these nodes stops last stops it (an epmd that was running before is
# never recorded, so never stopped).
EPMD_MARKER="${TMPDIR:-/tmp}/tradenet-rabbitmq-epmd.pid"

# Running epmd processes (a killed one lingers as a zombie until its parent reaps it, and pgrep still lists it).
live_epmd_pids() { pgrep -x -r R,S,D epmd || true; }

remember_epmd_if_started() {
    [ -z "$1" ] || return 0
    local pid; pid=$(live_epmd_pids | head -n 1)
    [ -z "$pid" ] || echo "$pid" > "$EPMD_MARKER" 2>/dev/null || true
}

# Stops the recorded epmd once no Erlang node is registered with it any more.
stop_epmd_if_ours() {
    [ -f "$EPMD_MARKER" ] || return 0
    local pid; pid=$(cat "$EPMD_MARKER" 2>/dev/null || true)
    if [ -z "$pid" ] || ! live_epmd_pids | grep -qx "$pid"; then
        rm -f "$EPMD_MARKER"; return 0       # gone already (or the pid was reused)
    fi
    local epmd; epmd=$(command -v epmd 2>/dev/null || readlink -f "/proc/$pid/exe" 2>/dev/null) || return 0
    # `epmd -names` lists one "name ... at port ..." line per registered node.
    if "$epmd" -names 2>/dev/null | grep -q '^name '; then return 0; fi
    kill "$pid" 2>/dev/null && echo "stopped epmd ($pid), started by a node of these scripts and used by none now" >&2
    rm -f "$EPMD_MARKER"
    return 0
}
