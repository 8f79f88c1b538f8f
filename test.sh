#!/usr/bin/env bash
# test.sh runs every check of the project, in both modules: formatting,
# go vet, staticcheck, each benchmark once so that they keep working, each
# fuzz target for a few seconds, and the tests under the race detector.
# FUZZTIME changes the fuzzing budget per target (default 5s).
set -euo pipefail
cd "$(dirname "$0")"

staticcheck_version=v0.8.2
fuzztime=${FUZZTIME:-5s}
modules=(. compare)

step() { printf '\n== %s\n' "$*"; }

step "gofmt"
unformatted=$(gofmt -l $(find . -name '*.go' -not -path './.git/*'))
if [ -n "$unformatted" ]; then
	echo "gofmt would change:" $unformatted
	exit 1
fi

step "library dependencies: only the standard library, aws-sdk-go-v2 and smithy-go"
outside=$(go list -deps -f '{{with .Module}}{{.Path}}{{end}}' ./... | sort -u |
	grep -v -x -e github.com/leanaws/workspaces -e github.com/aws/aws-sdk-go-v2 \
		-e github.com/aws/smithy-go || true)
if [ -n "$outside" ]; then
	echo "non-test imports from modules outside the allowed ones:" $outside
	exit 1
fi

for m in "${modules[@]}"; do
	step "go vet ($m)"
	(cd "$m" && go vet ./...)
	step "staticcheck $staticcheck_version ($m)"
	(cd "$m" && go run "honnef.co/go/tools/cmd/staticcheck@$staticcheck_version" ./...)
done

for m in "${modules[@]}"; do
	step "benchmarks, once each ($m)"
	(cd "$m" && go test -run '^$' -bench . -benchtime 1x ./...)
done

step "fuzz, $fuzztime per target"
for pkg in $(go list ./...); do
	for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
		echo "-- $pkg $target"
		go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg"
	done
done

# The tests run last, the library's module last of all, so that the run
# ends on their results.
for m in compare .; do
	step "go test -race ($m)"
	(cd "$m" && go test -race -count=1 ./...)
done
