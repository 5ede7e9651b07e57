# atmo-connect: `make run` starts the wizard, `make test` runs every test. Both install what is missing first.
SWIFT ?= swift
APT_PACKAGES := libncurses-dev libcurl4-openssl-dev libsqlite3-dev tmux pkg-config python3-venv
# Only the tests need these: dnsmasq is the loopback DNS server of the DNS checks' tests; python3-venv makes the
# venv of the test peers (real OpenStack services); rabbitmq-server is the message bus of the real-Nova peer (started as
# a node of its own on loopback, never as the system's service).
TEST_APT_PACKAGES := dnsmasq-base python3-venv groff-base rabbitmq-server
BIN := .build/debug/atmo-connect

.PHONY: deps build run test test-unit release release-check install install-files bench clean

deps:
	@scripts/ensure-deps.sh $(APT_PACKAGES)

build: deps
	$(SWIFT) build

# The demo's Atmosphere sandbox runs on Atmosphere's own pinned requests, urllib3 and certifi (a few small wheels).
run: build
	@scripts/peers/venv.sh --atmosphere > /dev/null || echo "make run: Atmosphere's Python packages could not be installed; the demo will run without its Atmosphere sandbox." >&2
	$(BIN) $(ARGS)

# The test peers (TLS servers, real OpenStack API servers, ansible, Atmosphere's requests) run from venvs kept outside
# the clone, made from the lock files in scripts/peers/locks.
PEERS_VENV ?= $(HOME)/.cache/atmo-connect/openstack-venv
# scripts/run-tests.py runs the XCTest binary in parallel (ATMO_TEST_WORKERS, default twice the cores), then fails the
# run if anything was left in TMPDIR, HOME or the working tree; its last line is "N passed, N failed".
RUN_TESTS := ATMO_PEERS_VENV=$(PEERS_VENV) python3 scripts/run-tests.py

test: deps
	@scripts/ensure-deps.sh $(TEST_APT_PACKAGES)
	ATMO_PEERS_VENV=$(PEERS_VENV) scripts/peers/venv.sh > /dev/null
	$(SWIFT) build --build-tests
	$(RUN_TESTS)

# The unit layer alone (no server, peer, tmux or binary started; Tests/layers.txt names the rest): seconds.
test-unit: deps
	$(SWIFT) build --build-tests
	$(RUN_TESTS) --layer unit

# Benchmarks are apart from the tests and never fail them; they run on a release build.
# The binary to install: optimised, with the Swift runtime and Foundation linked in (no libswift*.so to find or
# bind at start: --version starts in about two thirds of the time). Its own build directory, as the flag changes
# every object file.
RELEASE_FLAGS := -c release --static-swift-stdlib --scratch-path .build-static
RELEASE_DIR := .build-static/release

release: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product atmo-connect
	$(SWIFT) build $(RELEASE_FLAGS) --product atmo-connect-demo
	@echo "Built $(RELEASE_DIR)/atmo-connect (needs only libcurl4, libncursesw6, libsqlite3-0 at run time) and, beside it, atmo-connect-demo (the demo cloud)."

# The whole suite again, every test that runs atmo-connect or atmo-connect-demo running the static release binaries
# (optimised, static Foundation), stripped as `make install` ships them, instead of the debug ones. Not in `make test`
# (the release build would add about seven minutes to CI); run it before a release.
STRIPPED_DIR := .build-static/stripped
release-check: release
	@scripts/ensure-deps.sh $(TEST_APT_PACKAGES) binutils
	ATMO_PEERS_VENV=$(PEERS_VENV) scripts/peers/venv.sh > /dev/null
	$(SWIFT) build --build-tests
	rm -rf $(STRIPPED_DIR) && mkdir -p $(STRIPPED_DIR)
	cp $(RELEASE_DIR)/atmo-connect $(RELEASE_DIR)/atmo-connect-demo $(STRIPPED_DIR)/
	strip $(STRIPPED_DIR)/atmo-connect $(STRIPPED_DIR)/atmo-connect-demo
	ATMO_TEST_BINARIES=$(CURDIR)/$(STRIPPED_DIR) $(RUN_TESTS)

# `make install` (PREFIX=/usr/local, DESTDIR for packaging): the release binary and the demo cloud beside it, the man
# page and the bash, zsh and fish completions, all generated from the command line's own definitions.
PREFIX ?= /usr/local
BINARIES ?= $(RELEASE_DIR)

install: release
	$(MAKE) install-files BINARIES=$(RELEASE_DIR)

install-files:
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 0755 $(BINARIES)/atmo-connect $(BINARIES)/atmo-connect-demo $(DESTDIR)$(PREFIX)/bin/
	$(BINARIES)/atmo-connect --experimental-dump-help | python3 scripts/manpage.py > $(DESTDIR)$(PREFIX)/share/man/man1/atmo-connect.1
	$(BINARIES)/atmo-connect --generate-completion-script bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/atmo-connect
	$(BINARIES)/atmo-connect --generate-completion-script zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_atmo-connect
	$(BINARIES)/atmo-connect --generate-completion-script fish > $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/atmo-connect.fish
	chmod 0644 $(DESTDIR)$(PREFIX)/share/man/man1/atmo-connect.1 $(DESTDIR)$(PREFIX)/share/bash-completion/completions/atmo-connect \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_atmo-connect $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/atmo-connect.fish
	@echo "Installed atmo-connect in $(DESTDIR)$(PREFIX)/bin, its man page (man atmo-connect) and its completions."

# One product per `swift build`: given several --product flags, SwiftPM builds only the last.
BENCH_PRODUCTS := atmo-connect atmo-connect-demo engine-bench dns-bench stack-floor

bench: deps
	@scripts/ensure-deps.sh $(TEST_APT_PACKAGES) bind9-dnsutils hyperfine curl time binutils
	ATMO_PEERS_VENV=$(PEERS_VENV) scripts/peers/venv.sh --cli > /dev/null
	for product in $(BENCH_PRODUCTS); do $(SWIFT) build $(RELEASE_FLAGS) --product $$product || exit 1; done
	@ATMO_PEERS_VENV=$(PEERS_VENV) scripts/bench.sh $(RELEASE_DIR)

clean:
	rm -rf .build .build-static
