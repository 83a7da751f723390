#!/usr/bin/env bash
# Runs rabbitmqctl against a node started by start-node.sh, with that node's cookie and name.
#
#   ctl.sh DATA_DIR COMMAND [ARGS...]      e.g. ctl.sh /tmp/rmq status ; ctl.sh /tmp/rmq list_queues name messages
#
# Exit code: rabbitmqctl's own (0 ok, 69 node unreachable, ...); 2 usage; 3 not installed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=node-env.sh
. "$here/node-env.sh"

[ $# -ge 2 ] || die 2 "usage: $0 DATA_DIR COMMAND [ARGS...]"
[ -d "$1" ] || die 2 "$1 does not exist"
DATA_DIR=$(cd "$1" && pwd)
shift
load_node_settings
SBIN=$(find_rabbitmq_bin) || die 3 "rabbitmq-server is not installed"
node_run "$SBIN/rabbitmqctl" -n "$NODE" "$@"
