#!/bin/bash
# Starts virtlogd and `libvirtd --listen` on 127.0.0.1:16509 (TCP, auth none, no TLS) without
# systemd, for the driver-kvm tests and benchmarks. Its config, pid and log files live under
# the directory given as $1 (default /run/cssdk-libvirt). Idempotent: when 16509 already answers
# it does nothing. Waits until the port answers; fails (printing the daemon log) if it does not
# within about 30 s.
# Stop the daemons with: kill "$(cat <dir>/libvirtd.pid)" "$(cat <dir>/virtlogd.pid)"
set -euo pipefail

dir="${1:-/run/cssdk-libvirt}"
port=16509

# The port opens before the daemon's drivers have initialised (and a driver that fails to
# initialise then stops the daemon), so "answers" means a real RPC round trip when virsh is there.
answers() {
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || return 1
  if command -v virsh >/dev/null; then
    timeout 5 virsh -q -c "test+tcp://127.0.0.1:$port/default" hostname >/dev/null 2>&1
  fi
}

if answers; then
  echo "libvirtd already answers on 127.0.0.1:$port"
  exit 0
fi

for bin in /usr/sbin/libvirtd /usr/sbin/virtlogd; do
  if [ ! -x "$bin" ]; then
    echo "missing $bin: apt-get install -y --no-install-recommends libvirt-daemon libvirt-clients" >&2
    exit 1
  fi
done

# Debian's QEMU driver looks up the user and group 'libvirt-qemu' when it initialises (and a
# driver that fails to initialise stops libvirtd). Only libvirt-daemon-system creates them, so on
# a test host without that package create them here, and run guests as root (no qemu.conf yet).
if compgen -G '/usr/lib/*/libvirt/connection-driver/libvirt_driver_qemu.so' >/dev/null; then
  if ! getent passwd libvirt-qemu >/dev/null; then
    getent group libvirt-qemu >/dev/null || groupadd --system libvirt-qemu
    useradd --system --gid libvirt-qemu --no-create-home --home-dir /var/lib/libvirt --shell /usr/sbin/nologin libvirt-qemu
  fi
  if [ ! -e /etc/libvirt/qemu.conf ]; then
    mkdir -p /etc/libvirt
    printf '# written by cloudstack-sdk start-libvirtd.sh for a throwaway test host\nuser = "root"\ngroup = "root"\n' > /etc/libvirt/qemu.conf
  fi
fi

mkdir -p "$dir" /run/libvirt /var/lib/libvirt /var/cache/libvirt
cat > "$dir/virtlogd.conf" <<CONF
log_outputs="3:file:$dir/virtlogd.log"
CONF
cat > "$dir/libvirtd.conf" <<CONF
listen_tls = 0
listen_tcp = 1
listen_addr = "127.0.0.1"
tcp_port = "$port"
auth_tcp = "none"
log_outputs = "3:file:$dir/libvirtd.log"
CONF

running() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

running "$dir/virtlogd.pid" || /usr/sbin/virtlogd -d -f "$dir/virtlogd.conf" -p "$dir/virtlogd.pid"
running "$dir/libvirtd.pid" || /usr/sbin/libvirtd -d --listen -f "$dir/libvirtd.conf" -p "$dir/libvirtd.pid"

for _ in $(seq 1 300); do
  if answers; then
    echo "libvirtd answers on 127.0.0.1:$port (pid $(cat "$dir/libvirtd.pid"), files in $dir)"
    exit 0
  fi
  sleep 0.1
done
echo "libvirtd did not answer on 127.0.0.1:$port; the end of $dir/libvirtd.log:" >&2
tail -n 20 "$dir/libvirtd.log" >&2 || true
exit 1
