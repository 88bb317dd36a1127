# dyad - GNU make build.  See ARCHITECTURE.md for why make (and not CMake).
#
#   make                 build/dyad, build/libdyad.a, build/libdyad.so
#   make test            unit tests (cmocka) and end-to-end tests
#   make test SANITIZE=1 the same under ASan+UBSan, in build/san/
#   make CC=clang        any C17 compiler; warnings are errors
#   make install PREFIX=/usr/local

CC       ?= cc
PREFIX   ?= /usr/local
PKGS     := jansson libutf8proc libxml-2.0 sqlite3 libpq zlib libzstd
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

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include \
	    $(DESTDIR)$(PREFIX)/share/dyad
	install -m 755 $(BUILD)/dyad $(DESTDIR)$(PREFIX)/bin/dyad
	install -m 644 $(BUILD)/libdyad.a $(DESTDIR)$(PREFIX)/lib/libdyad.a
	install -m 755 $(BUILD)/libdyad.so $(DESTDIR)$(PREFIX)/lib/libdyad.so.0
	ln -sf libdyad.so.0 $(DESTDIR)$(PREFIX)/lib/libdyad.so
	install -m 644 include/dyad.h $(DESTDIR)$(PREFIX)/include/dyad.h
	cp -R data/. $(DESTDIR)$(PREFIX)/share/dyad/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/dyad $(DESTDIR)$(PREFIX)/lib/libdyad.a \
	    $(DESTDIR)$(PREFIX)/lib/libdyad.so $(DESTDIR)$(PREFIX)/lib/libdyad.so.0 \
	    $(DESTDIR)$(PREFIX)/include/dyad.h
	rm -rf $(DESTDIR)$(PREFIX)/share/dyad

clean:
	rm -rf build

.PHONY: all tests test bench install uninstall clean
-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
