#!/usr/bin/env bash
# bench.sh measures this client against the official one: it runs every
# benchmark of compare/ in COUNT rounds (default 10), each round running
# every benchmark once, so that the two clients alternate through the run
# and share whatever the machine is doing. It then prints the benchstat
# tables and the ratios the README quotes. BENCHTIME sets the time per
# benchmark per round (default 1s); OUT keeps the raw results (default: a
# temporary file).
set -euo pipefail
cd "$(dirname "$0")"

count=${COUNT:-10}
benchtime=${BENCHTIME:-1s}
benchstat_version=v0.0.0-20260908200009-22c9c6c9d4da

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=${OUT:-$work/bench.txt}

benchstat() {
	if command -v benchstat >/dev/null; then
		command benchstat "$@"
	elif [ -x "$(go env GOPATH)/bin/benchstat" ]; then
		"$(go env GOPATH)/bin/benchstat" "$@"
	else
		go run "golang.org/x/perf/cmd/benchstat@$benchstat_version" "$@"
	fi
}

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)"
echo "go: $(go version)"
echo "rounds: $count, benchtime: $benchtime"

(cd compare && go test -c -o "$work/compare.test" .)
: >"$out"
for i in $(seq "$count"); do
	echo "round $i/$count" >&2
	(cd compare && "$work/compare.test" -test.run '^$' -test.bench . -test.benchmem \
		-test.benchtime "$benchtime") | tee -a "$out" | grep -E '^(Benchmark|FAIL|panic)' >&2 || true
done
if grep -q '^FAIL' "$out"; then
	echo "a benchmark failed" >&2
	exit 1
fi

printf '\n== official vs lean\n\n'
benchstat -col '/client@(official lean)' -filter '/client:(official OR lean)' "$out"

printf '\n== the lean single call against signing alone\n\n'
benchstat -filter '.name:(SingleCall OR SignHTTP) /client:(lean OR signer)' \
	-col '.name@(SignHTTP SingleCall)' -ignore /client "$out"

# The ratios, from the medians of the rounds.
printf '\n== ratios (medians of %s rounds)\n\n' "$count"
awk '
function median(key,   n, i, j, t, a) {
	n = split(vals[key], a, " ")
	for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) {
		t = a[j]; a[j] = a[j-1]; a[j-1] = t
	}
	return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
}
/^Benchmark/ {
	name = $1
	sub(/^Benchmark/, "", name)
	sub(/-[0-9]+$/, "", name)
	client = name
	sub(/.*client=/, "", client)
	sub(/\/?client=[a-z]+/, "", name)
	for (i = 3; i < NF; i += 2) vals[name SUBSEP client SUBSEP $(i+1)] = vals[name SUBSEP client SUBSEP $(i+1)] " " $i
	if (!(name in seen)) { seen[name] = 1; order[++rows] = name }
}
END {
	printf "%-16s %10s %10s %10s\n", "benchmark", "time", "bytes", "allocs"
	for (r = 1; r <= rows; r++) {
		name = order[r]
		o = name SUBSEP "official" SUBSEP; l = name SUBSEP "lean" SUBSEP
		if (!((o "ns/op") in vals) || !((l "ns/op") in vals)) continue
		printf "%-16s %9.1fx %9.1fx %9.1fx\n", name,
			median(o "ns/op") / median(l "ns/op"),
			median(o "B/op") / median(l "B/op"),
			median(o "allocs/op") / median(l "allocs/op")
	}
	print "(official / lean: how many times less the lean client takes)"
	if (("SignHTTP" SUBSEP "signer" SUBSEP "ns/op") in vals) {
		sign = median("SignHTTP" SUBSEP "signer" SUBSEP "ns/op")
		lean = median("SingleCall" SUBSEP "lean" SUBSEP "ns/op")
		printf "\nsingle call beyond signing: (lean - sign) / sign = %.2f\n", (lean - sign) / sign
	}
	for (r = 1; r <= rows; r++) {
		name = order[r]
		if (name !~ /^Walk/) continue
		printf "%-16s B/page: official %.0f, lean %.0f\n", name,
			median(name SUBSEP "official" SUBSEP "B/page"),
			median(name SUBSEP "lean" SUBSEP "B/page")
	}
}' "$out"
