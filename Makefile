# dyad - GNU make build.  See ARCHITECTURE.md for why make (and not CMake).
#
#   make                 build/dyad, build/libdyad.a, build/libdyad.so
#   make test            unit tests (cmocka) and end-to-end tests
#   make test SANITIZE=1 the same under ASan+UBSan, in build/san/
#   make CC=clang        any C17 compiler; warnings are errors
#   make install PREFIX=/usr/local

CC       ?= cc
PREFIX   ?= /usr/local
PKGS     := jansson libutf8proc libxml-2.0 sqlite3 libpq zlib libzstd libmicrohttpd cairo fontconfig
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS))

ifeq ($(SANITIZE),1)
BUILD    ?= build/san
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
OPT      := -O1 -g
else
BUILD    ?= build
SANFLAGS :=
OPT      := -O2 -g
endif

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wno-unused-parameter
CFLAGS   += -std=c17 -D_POSIX_C_SOURCE=200809L $(OPT) $(WARN) $(SANFLAGS) -fPIC \
            -Iinclude -Isrc $(PKG_CFLAGS) -MMD -MP
LDLIBS   += $(PKG_LIBS) -lpthread -lm
LDFLAGS  += $(SANFLAGS)

LIB_SRC  := $(sort $(wildcard src/*/*.c))
LIB_SRC  := $(filter-out src/cli/%,$(LIB_SRC))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)

all: $(BUILD)/dyad $(BUILD)/libdyad.a $(BUILD)/libdyad.so

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libdyad.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libdyad.so: $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libdyad.so.0 $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/dyad: $(CLI_OBJ) $(BUILD)/libdyad.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libdyad.a $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libdyad.a tests/unit/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit $(shell pkg-config --cflags cmocka) -o $@ $< \
	    $(BUILD)/libdyad.a $(LDFLAGS) $(LDLIBS) $(shell pkg-config --libs cmocka)

tests: $(TEST_BIN)

# Unit tests first, then the end-to-end scripts against the built binary.
test: all tests
	@BUILD=$(BUILD) tests/run.sh $(TEST_BIN)

bench: all
	bench/run.sh

# Installation (GNU conventions: PREFIX, DESTDIR for staged installs, the usual *DIR
# variables).  The shared library follows the ELF soname scheme: the real file is
# libdyad.so.$(VERSION), its soname libdyad.so.$(SOVERSION) is what programs record, and
# libdyad.so is the link-time name.  dyad.pc is written at install time because it names
# the install prefix; its Requires.private lists $(PKGS), so `pkg-config --static --libs
# dyad` gives what linking libdyad.a needs, while plain --libs is just -ldyad for the
# shared library (whose own DT_NEEDED entries pull in the rest).  The data (dictionaries,
# models, dashboard) goes to $(DATADIR)/dyad, which the installed dyad finds as
# ../share/dyad beside its bin directory (src/cli/main.c) when DATADIR is the default;
# so does the Python module (share/dyad/python/dyad.py), which finds ../../../lib/libdyad.so.
# `pkg-config --static --libs dyad` also lists the dependencies' own private libraries, which
# Debian does not all ship (libpq's); to link libdyad.a, take -l:libdyad.a and the
# dependencies' shared libraries, as tests/e2e/install.sh does.
VERSION     := $(shell sed -n 's/^.define DYAD_VERSION "\(.*\)"$$/\1/p' include/dyad.h)
SOVERSION   := $(firstword $(subst ., ,$(VERSION)))
BINDIR      ?= $(PREFIX)/bin
LIBDIR      ?= $(PREFIX)/lib
INCLUDEDIR  ?= $(PREFIX)/include
DATADIR     ?= $(PREFIX)/share
MANDIR      ?= $(DATADIR)/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
MAN_PAGES   := $(sort $(wildcard man/*.1))

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) \
	    $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)/dyad/web \
	    $(DESTDIR)$(DATADIR)/dyad/python
	install -m 755 $(BUILD)/dyad $(DESTDIR)$(BINDIR)/dyad
	install -m 644 $(BUILD)/libdyad.a $(DESTDIR)$(LIBDIR)/libdyad.a
	install -m 755 $(BUILD)/libdyad.so $(DESTDIR)$(LIBDIR)/libdyad.so.$(VERSION)
	ln -sfn libdyad.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libdyad.so.$(SOVERSION)
	ln -sfn libdyad.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libdyad.so
	install -m 644 include/dyad.h $(DESTDIR)$(INCLUDEDIR)/dyad.h
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(LIBDIR:$(PREFIX)/%=$${prefix}/%)' \
	    'includedir=$(INCLUDEDIR:$(PREFIX)/%=$${prefix}/%)' '' \
	    'Name: dyad' \
	    'Description: political event coder: news text to CAMEO/PLOVER events' \
	    'Version: $(VERSION)' \
	    'Requires.private: $(PKGS)' \
	    'Cflags: -I$${includedir}' \
	    'Libs: -L$${libdir} -ldyad' \
	    'Libs.private: -lpthread -lm' > $(DESTDIR)$(PKGCONFIGDIR)/dyad.pc
	chmod 644 $(DESTDIR)$(PKGCONFIGDIR)/dyad.pc
	$(if $(MAN_PAGES),install -m 644 $(MAN_PAGES) $(DESTDIR)$(MANDIR)/man1/)
	cp -R data/. $(DESTDIR)$(DATADIR)/dyad/
	cp -R web/. $(DESTDIR)$(DATADIR)/dyad/web/
	install -m 644 python/dyad.py $(DESTDIR)$(DATADIR)/dyad/python/dyad.py

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/dyad $(DESTDIR)$(LIBDIR)/libdyad.a \
	    $(DESTDIR)$(LIBDIR)/libdyad.so $(DESTDIR)$(LIBDIR)/libdyad.so.$(SOVERSION) \
	    $(DESTDIR)$(LIBDIR)/libdyad.so.$(VERSION) $(DESTDIR)$(INCLUDEDIR)/dyad.h \
	    $(DESTDIR)$(PKGCONFIGDIR)/dyad.pc \
	    $(MAN_PAGES:man/%=$(DESTDIR)$(MANDIR)/man1/%)
	rm -rf $(DESTDIR)$(DATADIR)/dyad

clean:
	rm -rf build

.PHONY: all tests test bench install uninstall clean
-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

# Fuzzing (issue 9; docs/reliability.md): libFuzzer harnesses tests/fuzz/fuzz_*.c linked
# against libdyad built with clang -fsanitize=fuzzer-no-link,address,undefined in build/fuzz/.
#   make fuzz FUZZ_SECONDS=N   build every harness and run each for N seconds (default 10),
#                              one after the other, on its seeds (tests/fuzz/corpus/NAME/) plus
#                              the inputs it found before (build/fuzz/corpus/NAME/)
#   make fuzz-build            build only; run one by hand: build/fuzz/fuzz_code -help=1
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 10
FUZZ_BUILD   := build/fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS  := -std=c17 -D_POSIX_C_SOURCE=200809L -O1 -g $(WARN) $(FUZZ_SAN) \
                -fsanitize=fuzzer-no-link -Iinclude -Isrc $(PKG_CFLAGS) -MMD -MP
FUZZ_SRC     := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN     := $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_BUILD)/%)
FUZZ_OBJ     := $(LIB_SRC:%.c=$(FUZZ_BUILD)/obj/%.o)

$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_BUILD)/libdyad.a: $(FUZZ_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_BUILD)/libdyad.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_BUILD)/libdyad.a $(PKG_LIBS) \
	    -lpthread -lm

fuzz-build: $(FUZZ_BIN)

fuzz: fuzz-build
	@for h in $(FUZZ_BIN); do \
	    n=$${h##*/fuzz_}; mkdir -p $(FUZZ_BUILD)/corpus/$$n $(FUZZ_BUILD)/artifacts/$$n; \
	    echo "fuzz: fuzz_$$n for $(FUZZ_SECONDS) s"; \
	    $$h -max_total_time=$(FUZZ_SECONDS) -timeout=20 -rss_limit_mb=2560 -print_final_stats=1 \
	        -artifact_prefix=$(FUZZ_BUILD)/artifacts/$$n/ $(FUZZ_BUILD)/corpus/$$n \
	        tests/fuzz/corpus/$$n >$(FUZZ_BUILD)/$$n.log 2>&1 \
	    || { tail -n 60 $(FUZZ_BUILD)/$$n.log; echo "fuzz: $$n FAILED (log: $(FUZZ_BUILD)/$$n.log)"; exit 1; }; \
	    grep -E '^#[0-9]+[[:space:]]+DONE' $(FUZZ_BUILD)/$$n.log | tr '\n' ' '; echo; \
	done

.PHONY: fuzz fuzz-build
-include $(FUZZ_OBJ:.o=.d)
