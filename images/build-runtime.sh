#!/bin/sh
# Assembles the root filesystem both Sigil images share, without a container engine:
#   /opt/java              a jlink'ed Java 25 runtime (only the modules Sigil uses, JDK class-data
#                          archive included), from the JDK this build runs on
#   /lib*, /usr/lib*       the glibc the runtime links against, copied from this machine (ldd closure)
#   /bin/sh                dash, so the launchers below can be shell scripts
#   /usr/local/bin/sigil, /usr/local/bin/sigil-operator   launchers carrying the JVM flags
#   /etc/passwd, /etc/group, /etc/nsswitch.conf, /tmp
# Usage: build-runtime.sh JAVA_HOME OUT_DIR
set -eu

java_home=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)

# The modules `jdeps --print-module-deps` finds in sigil.jar and sigil-operator.jar, plus
# java.logging, java.management and java.xml, which logback and Micrometer reach by reflection.
# java.desktop is there only for java.beans (SnakeYAML, Micrometer, commons-lang3): its native
# AWT, font, sound and imaging libraries are left out, so no X11 or ALSA libraries follow them.
modules=java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.net.http,\
java.sql,java.xml,jdk.httpserver,jdk.management,jdk.unsupported
gui_libraries='regex:.*/lib(awt|awt_xawt|awt_headless|jawt|splashscreen|jsound|fontmanager|freetype|lcms|javajpeg|mlib_image)\.so'

rm -rf "$out"
mkdir -p "$out"
"$java_home/bin/jlink" \
    --add-modules "$modules" \
    --output "$out/opt/java" \
    --exclude-files="$gui_libraries" \
    --strip-debug --no-man-pages --no-header-files \
    --generate-cds-archive

# jlink keeps the JDK's list of security providers, which names five from modules left out (SunJGSS, XMLDSig,
# SunPCSC, JdkSASL, SunPKCS11). Loading a named provider that is not there (the first TLS handshake loads them all)
# makes the JDK build every java.security.Provider on the class path to look for it, Bouncy Castle's among them:
# about 580 classes and 3-5 MiB in the cluster agent, for a provider it never uses. The list keeps the ones the
# runtime has, in their order.
security="$out/opt/java/conf/security/java.security"
providers=$("$out/opt/java/bin/java" -XshowSettings:security:providers -version 2>&1 | sed -n 's/^ *Provider name: //p')
if [ -z "$providers" ]; then
    echo "build-runtime: the runtime in $out/opt/java listed no security providers" >&2
    exit 1
fi
awk -v providers="$providers" '
    /^security\.provider\.[0-9]+=/ {
        if (!listed) { count = split(providers, name, "\n"); for (i = 1; i <= count; i++) print "security.provider." i "=" name[i] }
        listed = 1
        next
    }
    { print }' "$security" > "$security.trimmed"
mv "$security.trimmed" "$security"

# The system libraries the runtime and the shell need, with the dynamic loader, as real files (the
# runtime's own libraries, found through $ORIGIN, are already in place).
libraries=$( { find "$out/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) ; echo /bin/dash; } \
    | xargs ldd 2>/dev/null | awk '/=>/ { print $3 } /^\t\/lib/ { print $1 }' | grep '^/' | grep -v "^$out/" | sort -u)
for library in $libraries; do
    mkdir -p "$out$(dirname "$library")"
    cp -L "$library" "$out$library"
done

mkdir -p "$out/bin" "$out/usr/local/bin" "$out/etc" "$out/tmp" "$out/app"
cp -L /bin/dash "$out/bin/sh"
chmod 1777 "$out/tmp"
cp "$here/rootfs/etc/passwd" "$here/rootfs/etc/group" "$here/rootfs/etc/nsswitch.conf" "$out/etc/"
cp "$here/rootfs/usr/local/bin/sigil" "$here/rootfs/usr/local/bin/sigil-operator" "$out/usr/local/bin/"
chmod 755 "$out/usr/local/bin/sigil" "$out/usr/local/bin/sigil-operator"
