#!/bin/bash
# curl contender (Debian's curl 7.88): `bash curl.sh <download|upload|files|pool> ...` against
# FTP_HOST/FTP_PORT as FTP_USER/FTP_PASS (plain FTP, passive: curl's default EPSV, then PASV).
# Prints one JSON line: {"workMs", "ops", "bytes"}; the time is taken around the curl process(es).
#   download <remote> <local>      one curl -o
#   upload <local> <remote>        one curl -T
#   files <remoteDir> <localDir>   one curl for the listing (LIST), then ONE curl process with every file's
#                                  URL in a config file: curl reuses its connection from one URL to the next
#   pool <remoteDir> <localDir> N  the same with --parallel --parallel-max N (N connections)
set -euo pipefail
mode=$1 first=$2 second=$3 connections=${4:-4}
base="ftp://${FTP_HOST:-127.0.0.1}:${FTP_PORT}"
auth=(--user "${FTP_USER:-anonymous}:${FTP_PASS:-}")
started=$EPOCHREALTIME
ops=0 bytes=0 slow=0

many() { # many <remoteDir> <localDir> [curl options...]: list, then fetch every regular file in one process
  local dir=$1 out=$2
  shift 2
  local config
  config=$(mktemp)
  curl -sS --fail "${auth[@]}" "$base/$dir/" |
    awk -v base="$base/$dir/" -v out="$out/" '/^-/ { name = $0; for (i = 0; i < 8; i++) sub(/^[^ ]+ +/, "", name); sub(/\r$/, "", name); printf "url = \"%s%s\"\noutput = \"%s%s\"\n", base, name, out, name }' >"$config"
  local sizes
  sizes=$(curl -sS --no-progress-meter --fail "${auth[@]}" "$@" -K "$config" -w '%{size_download} %{time_total}\n')
  rm -f "$config"
  # slow: transfers of over half a second (curl 7.88 sometimes waits a whole second before it opens a
  # data connection on a reused control connection; see apps/bench/README.md)
  read -r ops bytes slow < <(awk '{ n++; s += $1; if ($2 > 0.5) slow++ } END { print n + 0, s + 0, slow + 0 }' <<<"$sizes")
}

case $mode in
download)
  bytes=$(curl -sS --fail "${auth[@]}" -o "$second" -w '%{size_download}' "$base/$first")
  ops=1
  ;;
upload)
  bytes=$(curl -sS --fail "${auth[@]}" -T "$first" -w '%{size_upload}' "$base/$second")
  ops=1
  ;;
files) many "$first" "$second" ;;
pool) many "$first" "$second" --parallel --parallel-max "$connections" ;;
*)
  echo "unknown mode $mode" >&2
  exit 2
  ;;
esac
ended=$EPOCHREALTIME
awk -v a="$started" -v b="$ended" -v ops="$ops" -v bytes="$bytes" -v slow="$slow" 'BEGIN { printf "{\"workMs\":%.3f,\"ops\":%d,\"bytes\":%d,\"slowTransfers\":%d}\n", (b - a) * 1000, ops, bytes, slow }'
