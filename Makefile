# atmo-connect: `make run` starts the wizard, `make test` runs every test. Both install what is missing first.
SWIFT ?= swift
APT_PACKAGES := libncurses-dev libcurl4-openssl-dev libsqlite3-dev tmux pkg-config
# Only the tests need these: dnsmasq is the loopback DNS server of the DNS checks' tests.
TEST_APT_PACKAGES := dnsmasq-base
BIN := .build/debug/atmo-connect

.PHONY: deps build run test bench clean

deps:
	@scripts/ensure-deps.sh $(APT_PACKAGES)

build: deps
	$(SWIFT) build

run: build
	$(BIN) $(ARGS)

# XCTest only: Swift Testing would print a closing "0 tests" line after XCTest's real summary.
# The test peers (TLS servers, real OpenStack API servers) run from a venv kept outside the clone.
PEERS_VENV ?= $(HOME)/.cache/atmo-connect/openstack-venv

test: deps
	@scripts/ensure-deps.sh $(TEST_APT_PACKAGES)
	ATMO_PEERS_VENV=$(PEERS_VENV) scripts/peers/venv.sh > /dev/null
	$(SWIFT) build --build-tests
	ATMO_PEERS_VENV=$(PEERS_VENV) $(SWIFT) test --skip-build --disable-swift-testing

# Benchmarks are apart from the tests and never fail them; they run on a release build.
bench: deps
	@scripts/ensure-deps.sh $(TEST_APT_PACKAGES) bind9-dnsutils
	$(SWIFT) build -c release --product atmo-connect --product engine-bench --product dns-bench
	@scripts/bench.sh .build/release

clean:
	rm -rf .build
