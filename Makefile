# gosched-repl -- build, test, install.
#   make            build ./gosched-repl
#   make test       unit tests (Criterion) and end-to-end tests (real Go programs)
#   make demo       the debugger on examples/pingpong
#   make install    PREFIX=/usr/local DESTDIR=

PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR   = $(PREFIX)/bin
DATADIR  = $(PREFIX)/share/gosched-repl
MANDIR   = $(PREFIX)/share/man/man1

CC      ?= gcc
PKGS     = lua5.4 libcjson readline
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -pthread -Wall -Wextra -Wno-unused-parameter
CFLAGS  += $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
CFLAGS  += -DGOSCHED_DATADIR='"$(DATADIR)"' -DGOSCHED_VERSION='"$(VERSION)"'
LDLIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -llua5.4 -lcjson -lreadline)
VERSION ?= 0.1.0

SRCS     = $(wildcard src/*.c)
OBJS     = $(SRCS:src/%.c=build/%.o)
LIBOBJS  = $(filter-out build/main.o,$(OBJS))
TESTS    = $(wildcard tests/unit/*.c)

.PHONY: all test unit e2e e2e-go127 demo install clean
all: gosched-repl

gosched-repl: $(OBJS)
	$(CC) $(CFLAGS) -o $@ $(OBJS) $(LDLIBS)

build/%.o: src/%.c $(wildcard src/*.h) | build
	$(CC) $(CFLAGS) -c -o $@ $<

build:
	mkdir -p build

build/unit-tests: $(TESTS) $(LIBOBJS)
	$(CC) $(CFLAGS) -Isrc -o $@ $(TESTS) $(LIBOBJS) $(LDLIBS) -lcriterion

unit: build/unit-tests
	./build/unit-tests

e2e: gosched-repl
	tests/e2e/run.sh

# The same end-to-end suite on the second supported Go (fetched by GOTOOLCHAIN).
e2e-go127: gosched-repl
	GOTOOLCHAIN=go1.27.3 tests/e2e/run.sh

test: unit e2e e2e-go127

demo: gosched-repl
	./gosched-repl -x examples/demo.gsr examples/pingpong

install: gosched-repl
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/overlay/runtime $(DESTDIR)$(MANDIR) \
		$(DESTDIR)$(DATADIR)/lua
	install -m 755 gosched-repl $(DESTDIR)$(BINDIR)/gosched-repl
	install -m 644 overlay/sites.conf $(DESTDIR)$(DATADIR)/overlay/sites.conf
	install -m 644 overlay/runtime/*.go $(DESTDIR)$(DATADIR)/overlay/runtime/
	install -m 644 lua/*.lua $(DESTDIR)$(DATADIR)/lua/
	install -m 644 man/gosched-repl.1 $(DESTDIR)$(MANDIR)/gosched-repl.1

clean:
	rm -rf build gosched-repl
