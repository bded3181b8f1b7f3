#!/bin/sh
# The socket dataset on loopback (system.socket.include_localhost): a TCP
# listener, a connection to it (the client's socket outbound, the
# accepted one inbound) and a UDP socket on ::1, each with the process
# holding it; closed while the plugin runs, and opened and closed while it
# was stopped, found at the next start.
. "$(dirname "$0")/lib.sh"
sys_init
PEER_PID=""
SYS_CLEANUP=stop_peer
stop_peer() { [ -z "$PEER_PID" ] || { kill "$PEER_PID" 2>/dev/null; wait "$PEER_PID" 2>/dev/null; PEER_PID=""; }; }
# start_peer: a python3 holding the sockets; their ports in $T/ports.
start_peer() {
	rm -f "$T/ports"
	python3 -c '
import socket, sys, time
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen()
c = socket.create_connection(l.getsockname())
a, _ = l.accept()
u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u.bind(("::1", 0))
open(sys.argv[1] + ".tmp", "w").write("%d %d %d\n" % (l.getsockname()[1], c.getsockname()[1], u.getsockname()[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(3600)' "$T/ports" &
	PEER_PID=$!
	n=0
	while [ ! -s "$T/ports" ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
	read -r LPORT CPORT UPORT < "$T/ports" || sys_fail "the peer did not start"
}
ev() { echo "d['event']['dataset'] == 'system.socket' and d['event']['action'] == '$1'"; }
sys_config 'datasets = ["socket"]; socket: { include_localhost = true; };'

sys_start_plugin
sys_expect "$(ev existing_socket) and d['event']['kind'] == 'state'" "no state at the first start"
start_peer
PY="d.get('process', {}).get('pid') == $PEER_PID and d['user']['id'] == '0'"
sys_expect "$(ev socket_opened) and $PY and d['network'] == {'direction': 'listening', 'transport': 'tcp', 'type': 'ipv4'} and d['destination'] == {'ip': '127.0.0.1', 'port': $LPORT} and 'source' not in d and d['event']['category'] == ['network'] and d['event']['type'] == ['connection', 'start'] and d['message'].startswith('Listening socket (127.0.0.1:$LPORT) OPENED by process python3 (PID: $PEER_PID) and user root')" "the listener not seen"
sys_expect "$(ev socket_opened) and $PY and d['network']['direction'] == 'outbound' and d['source']['port'] == $CPORT and d['destination']['port'] == $LPORT" "the client's socket not seen"
sys_expect "$(ev socket_opened) and $PY and d['network']['direction'] == 'inbound' and d['source']['port'] == $CPORT and d['destination']['port'] == $LPORT" "the accepted socket not seen"
sys_expect "$(ev socket_opened) and $PY and d['network'] == {'direction': 'listening', 'transport': 'udp', 'type': 'ipv6'} and d['destination'] == {'ip': '::1', 'port': $UPORT}" "the UDP socket not seen"
old=$PEER_PID
stop_peer
sys_expect "$(ev socket_closed) and d.get('process', {}).get('pid') == $old and d['network']['direction'] == 'inbound'" "a closed socket not seen"
sys_expect "$(ev socket_closed) and d.get('process', {}).get('pid') == $old and d['network']['transport'] == 'udp'" "a closed UDP socket not seen"
sys_stop_plugin
[ "$(sys_count "$(ev socket_opened) and d.get('process', {}).get('pid') == $old")" = 4 ] ||
	sys_fail "a socket reported opened more than once"

# While the plugin was not running.
: > "$T/out.json"
start_peer
sys_start_plugin
sys_expect "$(ev socket_opened) and d.get('process', {}).get('pid') == $PEER_PID and d['network']['direction'] == 'listening' and d['destination']['port'] == $LPORT" "a socket opened while stopped not reported"
sys_stop_plugin
[ "$(sys_count "d['event']['kind'] == 'state'")" = 0 ] || sys_fail "full state sent again before state.period"
: > "$T/out.json"
old=$PEER_PID
stop_peer
sys_start_plugin
sys_expect "$(ev socket_closed) and d.get('process', {}).get('pid') == $old and d['destination']['port'] == $LPORT" "a socket closed while stopped not reported"
kill -0 "$PLUGIN_PID" || sys_fail "plugin died"
sys_stop_plugin
grep -q "exiting:" "$T/plugin.log" || sys_fail "no clean exit"

# Without include_localhost, loopback is left out.
: > "$T/out.json"
rm -f "$T/data/system/socket.json"
sys_config 'datasets = ["socket"];'
start_peer
sys_start_plugin
# Two looks at least: the first writes the state file.
n=0
while [ ! -s "$T/data/system/socket.json" ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
sleep 1.5
sys_stop_plugin
[ "$(sys_count "d.get('process', {}).get('pid') == $PEER_PID")" = 0 ] || sys_fail "a loopback socket reported"
grep -q "exiting:" "$T/plugin.log" || sys_fail "no clean exit"
sys_pass
