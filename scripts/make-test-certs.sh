#!/usr/bin/env bash
# Regenerates the test PKI in tests/data/tls with the openssl CLI:
#   ca.pem                       test CA (its key is thrown away: regenerate everything instead)
#   server.pem, server.key       for localhost and 127.0.0.1, signed by the CA
#   wrong-host.pem, wrong-host.key  for wrong-host.invalid only, signed by the CA (name mismatch tests)
# Validity is ~100 years so tests never expire. Test material only: never deploy it.
set -euo pipefail

out="${1:-$(cd "$(dirname "$0")/.." && pwd)/tests/data/tls}"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
days=36500

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -keyout "$work/ca.key" -out "$out/ca.pem" -days "$days" \
  -subj "/CN=ordergate test CA" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -addext "subjectKeyIdentifier=hash" 2>/dev/null

issue() {
  local name="$1" cn="$2" san="$3"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$out/$name.key" -out "$work/$name.csr" -subj "/CN=$cn" 2>/dev/null
  cat >"$work/$name.ext" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=$san
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EXT
  openssl x509 -req -in "$work/$name.csr" -CA "$out/ca.pem" -CAkey "$work/ca.key" \
    -CAcreateserial -CAserial "$work/ca.srl" -days "$days" -sha256 \
    -extfile "$work/$name.ext" -out "$out/$name.pem" 2>/dev/null
  chmod 644 "$out/$name.key"
}

issue server localhost "DNS:localhost,IP:127.0.0.1"
issue wrong-host wrong-host.invalid "DNS:wrong-host.invalid"

openssl verify -CAfile "$out/ca.pem" "$out/server.pem" "$out/wrong-host.pem" >/dev/null
echo "test certificates written to $out"
