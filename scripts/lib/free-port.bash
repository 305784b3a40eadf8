# Sourced by scripts/kafka, scripts/registry and the CLI tests (tests/cli/helpers.bash).
# free_port prints a loopback TCP port that nothing listens on, outside the kernel's ephemeral
# range (net.ipv4.ip_local_port_range, 32768-60999 by default). A port inside that range can be
# taken as the local end of a client's connection between the check and the server's bind, or
# while a server is down for a restart: a client that connects to a port nobody listens on may
# even be given that very port and connect to itself (TCP's simultaneous open). The server then
# fails to start, "Address already in use".

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The first and last port of the range free_port picks from: below the ephemeral range, else
# above it, else (a range that leaves neither 1,000 ports) 20000-59999 as before.
port_range() {
  local low=32768 high=60999
  if [ -r /proc/sys/net/ipv4/ip_local_port_range ]; then
    read -r low high < /proc/sys/net/ipv4/ip_local_port_range
  fi
  if [ "$low" -ge 11024 ]; then echo "10000 $((low - 1))"
  elif [ "$high" -le 64535 ]; then echo "$((high + 1)) 65535"
  else echo "20000 59999"; fi
}

free_port() {
  local first last p
  read -r first last < <(port_range)
  for _ in $(seq 1 200); do
    p=$(( first + (RANDOM * 32768 + RANDOM) % (last - first + 1) ))
    if port_free "$p"; then echo "$p"; return 0; fi
  done
  echo "free_port: no free port found in $first-$last" >&2; return 1
}
