# copy-jdk.sh, sourced by the container checks: copy_jdk DEST puts this machine's JDK (the one
# `java` runs) at DEST, self-contained for an image. Debian's JDK links into /etc and /usr/share:
# each link is replaced by what it points at; a dangling one (src.zip) is left out.
copy_jdk() {
  local home
  home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  cp -a "$home" "$1"
  find "$1" -type l | while read -r l; do
    t=$(readlink -f "$l" || true)
    rm "$l"
    if [ -e "$t" ]; then cp -aL "$t" "$l"; fi
  done
  echo "$home"
}
