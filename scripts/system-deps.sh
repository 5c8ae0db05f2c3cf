#!/usr/bin/env bash
# Install the Debian tools used by the DXF read-back tests, if missing and if we are allowed to.
set -u
need=()
command -v ogrinfo >/dev/null 2>&1 || need+=(gdal-bin)
command -v librecad >/dev/null 2>&1 || need+=(librecad)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${need[*]} (Debian) for the DXF read-back tests"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}") >/dev/null 2>&1 \
    || echo "could not install ${need[*]}; the tests that need them will be skipped"
else
  echo "missing ${need[*]}; the tests that need them will be skipped (install them with apt-get)"
fi
exit 0
