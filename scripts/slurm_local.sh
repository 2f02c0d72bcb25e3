#!/usr/bin/env bash
# A one-node SLURM cluster on 127.0.0.1 for simrun's cluster tests (issue 11), on Debian/Ubuntu.
#
#   scripts/slurm_local.sh start    install slurm-wlm and munge when missing (apt-get, root), write
#                                   /etc/slurm/slurm.conf, start munged, slurmctld and slurmd, and
#                                   wait until the node is idle; does nothing more when it runs
#   scripts/slurm_local.sh stop     cancel every job of this cluster, stop the three daemons and
#                                   wait until they (and any job step daemon) are gone
#   scripts/slurm_local.sh status   print what runs; exit 0 when the cluster answers, else 1
#
# Runs as root (SlurmUser=root; CI runs as root). The configuration is the one verified on these
# machines: proctrack/linuxproc and task/none (no cgroups), select/cons_tres with CR_Core,
# NodeName=<hostname> NodeAddr=127.0.0.1 CPUs=<nproc>, SlurmctldHost=<hostname>(127.0.0.1), munged as
# user munge with /etc/munge/munge.key. MaxArraySize is 4, so that a campaign of more than 4 tasks
# exercises simrun's split into several arrays. An /etc/slurm/slurm.conf that this script did
# not write is never touched: then `start` fails.
set -euo pipefail

MARKER="# Written by simrun scripts/slurm_local.sh (one-node test cluster); safe to delete."
CONF=/etc/slurm/slurm.conf
STATE=/var/lib/simrun-slurm
LOGS=/var/log/simrun-slurm
RUN=/run/simrun-slurm
MUNGE_PID=/run/munge/munged.pid
CTLD_PID=$RUN/slurmctld.pid
SLURMD_PID=$RUN/slurmd.pid
HOST=$(hostname -s)

say() { echo "slurm_local: $*"; }
die() {
  echo "slurm_local: $*" >&2
  exit 1
}

# True when the pid file names a live process.
alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# True when slurmctld answers and the node can run jobs.
answers() {
  command -v sinfo >/dev/null 2>&1 || return 1
  local state
  state=$(timeout 10 sinfo -h -n "$HOST" -o %T 2>/dev/null | head -n 1) || return 1
  case "$state" in idle* | mix* | alloc* | completing*) return 0 ;; *) return 1 ;; esac
}

install_packages() {
  command -v slurmctld >/dev/null 2>&1 && command -v slurmd >/dev/null 2>&1 &&
    command -v sbatch >/dev/null 2>&1 && command -v munged >/dev/null 2>&1 && return 0
  command -v apt-get >/dev/null 2>&1 || die "slurm-wlm and munge are missing and apt-get is not available"
  say "installing slurm-wlm and munge with apt-get"
  local try
  for try in 1 2 3 4 5 6; do
    # The dpkg lock may be held by another installer for a while: wait for it, then retry.
    if DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y \
      --no-install-recommends slurm-wlm munge; then
      return 0
    fi
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update || true
    say "apt-get failed (attempt $try), retrying in 10 s"
    sleep 10
  done
  die "could not install slurm-wlm and munge"
}

start_munge() {
  install -d -o munge -g munge -m 0755 /run/munge
  install -d -o munge -g munge -m 0700 /var/lib/munge /var/log/munge
  if [ ! -s /etc/munge/munge.key ]; then
    say "creating /etc/munge/munge.key"
    install -d -o munge -g munge -m 0700 /etc/munge
    mungekey --create --keyfile=/etc/munge/munge.key
  fi
  chown munge:munge /etc/munge/munge.key
  chmod 0400 /etc/munge/munge.key
  if ! alive "$MUNGE_PID"; then
    say "starting munged"
    runuser -u munge -- /usr/sbin/munged --pid-file="$MUNGE_PID"
  fi
  local i
  for i in $(seq 1 50); do
    munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  die "munged does not answer (see /var/log/munge/munged.log)"
}

write_conf() {
  if [ -e "$CONF" ] && ! grep -qxF "$MARKER" "$CONF"; then
    die "$CONF exists and was not written by this script; not touching it"
  fi
  local cpus mem
  cpus=$(nproc)
  # RealMemory as slurmd measures it, less 5 % (a node configured with more than it has is drained).
  mem=$(slurmd -C 2>/dev/null | sed -nE 's/.*RealMemory=([0-9]+).*/\1/p' | head -n 1)
  mem=$((${mem:-1000} * 95 / 100))
  install -d -m 0755 /etc/slurm "$STATE/ctld" "$STATE/d" "$LOGS" "$RUN"
  local tmp
  tmp=$(mktemp)
  cat >"$tmp" <<EOF
$MARKER
ClusterName=simrun-local
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CryptoType=crypto/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
MaxArraySize=4
KillWait=5
MinJobAge=300
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/d
SlurmctldPidFile=$CTLD_PID
SlurmdPidFile=$SLURMD_PID
SlurmctldLogFile=$LOGS/slurmctld.log
SlurmdLogFile=$LOGS/slurmd.log
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
  if ! cmp -s "$tmp" "$CONF" 2>/dev/null; then
    if alive "$CTLD_PID" || alive "$SLURMD_PID"; then
      rm -f "$tmp"
      die "$CONF is out of date while the daemons run: run '$0 stop' first"
    fi
    install -m 0644 "$tmp" "$CONF"
    say "wrote $CONF"
  fi
  rm -f "$tmp"
}

cmd_start() {
  [ "$(id -u)" -eq 0 ] || die "start needs root (SlurmUser=root; apt-get)"
  if alive "$CTLD_PID" && alive "$SLURMD_PID" && answers; then
    say "already running on $HOST (127.0.0.1)"
    return 0
  fi
  install_packages
  write_conf
  start_munge
  install -d -m 0755 "$RUN"
  if ! alive "$CTLD_PID"; then
    say "starting slurmctld"
    slurmctld
  fi
  if ! alive "$SLURMD_PID"; then
    say "starting slurmd"
    slurmd
  fi
  local i
  for i in $(seq 1 60); do
    if answers; then
      say "cluster up: node $HOST, $(nproc) CPUs, partition local"
      return 0
    fi
    # A node left down or drained by an earlier run is returned to service.
    case "$(timeout 10 sinfo -h -n "$HOST" -o %T 2>/dev/null | head -n 1)" in
      down* | drain*) scontrol update NodeName="$HOST" State=RESUME >/dev/null 2>&1 || true ;;
    esac
    sleep 0.5
  done
  die "the cluster does not answer after 30 s (see $LOGS/)"
}

# Sends TERM to the process of a pid file and waits up to 15 s (then KILL).
stop_pid() {
  local name=$1 file=$2 pid i
  alive "$file" || return 0
  pid=$(cat "$file")
  say "stopping $name ($pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 75); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  kill -KILL "$pid" 2>/dev/null || true
}

cmd_stop() {
  if alive "$CTLD_PID"; then
    # Job step daemons outlive slurmd: cancel every job first and let their steps end.
    scancel --quiet --full --user=root 2>/dev/null || true
    local i
    for i in $(seq 1 75); do
      [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break
      sleep 0.2
    done
  fi
  stop_pid slurmd "$SLURMD_PID"
  stop_pid slurmctld "$CTLD_PID"
  stop_pid munged "$MUNGE_PID"
  local left="" name
  for i in $(seq 1 50); do
    left=""
    for name in slurmstepd slurmd slurmctld; do
      left+=$(pgrep -x "$name" | sed "s/^/$name:/" | tr '\n' ' ' || true)
    done
    [ -z "$left" ] && break
    sleep 0.2
  done
  [ -z "$left" ] || die "still running after stop: $left"
  say "stopped"
}

cmd_status() {
  local d
  for d in "munged:$MUNGE_PID" "slurmctld:$CTLD_PID" "slurmd:$SLURMD_PID"; do
    if alive "${d#*:}"; then say "${d%%:*} running ($(cat "${d#*:}"))"; else say "${d%%:*} not running"; fi
  done
  if answers; then
    say "cluster answers: $(sinfo -h -o '%P %D node(s) %C CPUs (A/I/O/T) %T' | head -n 1)"
    return 0
  fi
  say "no cluster answers"
  return 1
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
