#!/usr/bin/env bash
# Stops a node started by start-node.sh and removes its data dir.
#
#   stop-node.sh DATA_DIR [--keep]
#
# --keep leaves the data (queues, messages, name, cookie) so start-node.sh DATA_DIR ... restarts
# the same node, e.g. to test that nothing is lost while the broker is down.
# Exit codes: 0 stopped (also when it was not running); 2 usage or not a node dir;
#   3 rabbitmq-server not installed; 6 the node is still running after stop (data kept).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=node-env.sh
. "$here/node-env.sh"

[ $# -ge 1 ] && [ $# -le 2 ] || die 2 "usage: $0 DATA_DIR [--keep]"
[ $# -eq 1 ] || [ "$2" = --keep ] || die 2 "usage: $0 DATA_DIR [--keep]"
[ -d "$1" ] || { echo "nothing to stop: $1 does not exist" >&2; exit 0; }
DATA_DIR=$(cd "$1" && pwd)
KEEP=${2:-}
load_node_settings
SBIN=$(find_rabbitmq_bin) || die 3 "rabbitmq-server is not installed"

# Bounded, as in start-node.sh: a node that does not answer is killed below rather than waited for without end.
if node_run timeout 60 "$SBIN/rabbitmqctl" -n "$NODE" stop >&2 2>/dev/null; then
    echo "node $NODE stopped" >&2
else
    echo "node $NODE did not answer rabbitmqctl stop; looking for its process" >&2
fi
# `rabbitmqctl stop` returns once the node halts; make sure no VM of this node is left behind.
kill_node_processes || die 6 "node $NODE is still running; data left in $DATA_DIR"
rm -f "$DATA_DIR/node.pid"
stop_epmd_if_ours
if [ "$KEEP" != --keep ]; then
    rm -rf "$DATA_DIR"
    echo "removed $DATA_DIR" >&2
fi
