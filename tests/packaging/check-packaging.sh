#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# usage: check-packaging.sh BUILD_DIR APP_ID
set -eu
build=$1
id=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

expected="usr/bin/weewx-mqtt-wizard
usr/share/applications/$id.desktop
usr/share/metainfo/$id.metainfo.xml
usr/share/icons/hicolor/scalable/apps/$id.svg
usr/share/icons/hicolor/16x16/apps/$id.png
usr/share/icons/hicolor/48x48/apps/$id.png
usr/share/icons/hicolor/256x256/apps/$id.png
usr/share/weewx-mqtt-wizard/translations/weewx-mqtt-wizard_de.qm"

# runpath BINARY: its DT_RUNPATH/DT_RPATH, empty when it has none
runpath() {
    readelf -d "$1" | sed -n 's/.*(R\(UN\)\{0,1\}PATH).*\[\(.*\)\]$/\2/p'
}

echo "== library search path"
# The program ships no shared library: its binaries need no RUNPATH. An empty entry in one
# (CMake pads the build tree's with colons to make room for an install RUNPATH) makes the
# loader look for Qt and libssh in whatever folder the program is started from.
rp=$(runpath "$build/app/weewx-mqtt-wizard")
[ -z "$rp" ] || fail "the built binary has the library search path \"$rp\""

echo "== cmake --install"
DESTDIR="$tmp/root" cmake --install "$build" --prefix /usr >/dev/null
for f in $expected; do
    [ -s "$tmp/root/$f" ] || fail "cmake --install did not install $f"
done
"$tmp/root/usr/bin/weewx-mqtt-wizard" --version | grep -q '^weewx-mqtt-wizard ' \
    || fail "the installed binary does not run"
rp=$(runpath "$tmp/root/usr/bin/weewx-mqtt-wizard")
[ -z "$rp" ] || fail "the installed binary has the library search path \"$rp\""

echo "== desktop file and metainfo"
desktop-file-validate "$tmp/root/usr/share/applications/$id.desktop" \
    || fail "desktop-file-validate"
appstreamcli validate --no-net --explain "$tmp/root/usr/share/metainfo/$id.metainfo.xml" \
    || fail "appstreamcli validate"

echo "== cpack -G DEB"
(cd "$tmp" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/deb" >/dev/null) \
    || fail "cpack"
deb=$(ls "$tmp"/deb/*.deb)
[ -n "$deb" ] || fail "no .deb was made"
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./||' > "$tmp/contents"
for f in $expected; do
    grep -qx "$f" "$tmp/contents" || fail "the .deb lacks $f"
done
dpkg-deb -f "$deb" Depends | grep -q 'libqt6widgets6' || fail "the .deb does not depend on Qt"
echo "packaging: all checks passed"
