#!/usr/bin/env bash
# Makes the base images that wandol's Docker tests and benchmarks build on, without any registry:
#   local/busybox:1     busybox-static and its applet links (sh, httpd, nc, sleep...)
#   local/node-base:20  the host's node binary, the libraries `ldd` lists for it, and busybox
# Both are `docker import`ed from a folder. Idempotent: an image that already exists is kept
# (FORCE=1 rebuilds). Needs a running Docker engine, busybox-static (/bin/busybox) and node.
set -euo pipefail

BUSYBOX_IMAGE=local/busybox:1
NODE_IMAGE=local/node-base:20
BUSYBOX=${BUSYBOX:-/bin/busybox}
PATH_ENV='ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

die() {
  echo "docker-base-images: $*" >&2
  exit 1
}

docker info >/dev/null 2>&1 || die "the Docker engine is not reachable: start dockerd or set DOCKER_HOST"
[ -x "$BUSYBOX" ] || die "$BUSYBOX is missing: apt-get install -y busybox-static"

have_image() {
  [ "${FORCE:-0}" != 1 ] && docker image inspect "$1" >/dev/null 2>&1
}

# busybox and one link per applet in <root>/bin, plus the few files programs expect to find.
add_busybox() {
  local root=$1
  mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root" "$root/var/www"
  chmod 1777 "$root/tmp"
  cp "$BUSYBOX" "$root/bin/busybox"
  local applet
  for applet in $("$BUSYBOX" --list); do
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
}

import_dir() {
  local root=$1 tag=$2
  shift 2
  tar --numeric-owner -C "$root" -c . | docker import "$@" --change "$PATH_ENV" - "$tag" >/dev/null
  echo "docker-base-images: built $tag"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if have_image "$BUSYBOX_IMAGE"; then
  echo "docker-base-images: $BUSYBOX_IMAGE exists"
else
  add_busybox "$work/busybox"
  import_dir "$work/busybox" "$BUSYBOX_IMAGE" --change 'CMD ["sh"]'
fi

if have_image "$NODE_IMAGE"; then
  echo "docker-base-images: $NODE_IMAGE exists"
else
  node_bin=$(readlink -f "$(command -v node)") || die "node is not installed"
  root="$work/node"
  add_busybox "$root"
  mkdir -p "$root/usr/local/bin"
  cp "$node_bin" "$root/usr/local/bin/node"
  # Every library the dynamic loader resolves for node, at the same path (the loader included).
  for lib in $(ldd "$node_bin" | grep -o '/[^ ]*'); do
    cp --parents -L "$lib" "$root/"
  done
  import_dir "$root" "$NODE_IMAGE" --change 'CMD ["node"]'
fi
