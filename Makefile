# gema - build, test, check and benchmark.
#
#   make            library (static + shared), the gema tool, gema.pc
#   make test       every test: unit, CLI, fuzz-corpus replay   (the CI command)
#   make check      unit tests only (fast)
#   make asan       build + test under AddressSanitizer (and LeakSanitizer)
#   make ubsan      build + test under UndefinedBehaviorSanitizer
#   make tsan       build + test under ThreadSanitizer
#   make fuzz       build libFuzzer targets with clang (run them by hand)
#   make bench      benchmarks; JSON results under bench/results/
#   make install    PREFIX=/usr/local
#
# Sources are found by wildcard: a new lib/*.c, cli/*.c or tests/unit/test_*.c
# is built without touching this file.

CC       ?= cc
PREFIX   ?= /usr/local
BUILD    ?= build
OPT      ?= -O2 -g
WARN      = -std=c11 -Wall -Wextra -Wshadow -Wconversion -Wstrict-prototypes \
            -Wmissing-prototypes -Wno-sign-conversion
WERROR   ?=
SAN      ?=
DEPS      = libutf8proc libxxhash zlib libzstd libcjson
DEP_CFLAGS := $(shell pkg-config --cflags $(DEPS))
DEP_LIBS   := $(shell pkg-config --libs $(DEPS)) -lstemmer -lpthread -lm
CPPFLAGS += -D_GNU_SOURCE -Iinclude -Ilib $(DEP_CFLAGS)
ALL_CFLAGS = $(OPT) $(WARN) $(WERROR) $(SAN) -fPIC $(CFLAGS)
ALL_LDFLAGS = $(SAN) $(LDFLAGS)

LIB_SRC  := $(sort $(wildcard lib/*.c))
CLI_SRC  := $(sort $(wildcard cli/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
BENCH_SRC := $(sort $(wildcard bench/*.c))

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(TEST_SRC:%.c=$(BUILD)/%)
FUZZ_REPLAY := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/tests/fuzz/replay_%)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

STATIC   := $(BUILD)/libgema.a
SHARED   := $(BUILD)/libgema.so.0
GEMA     := $(BUILD)/gema

.PHONY: all lib test check unit cli-test fuzz-replay asan ubsan tsan fuzz bench \
        bench-tools install clean symbols lint demo

all: $(GEMA) $(SHARED) $(BUILD)/gema.pc

lib: $(STATIC) $(SHARED)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(STATIC): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(SHARED): $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libgema.so.0 $(ALL_LDFLAGS) -o $@ $^ $(DEP_LIBS)
	ln -sf libgema.so.0 $(BUILD)/libgema.so

$(GEMA): $(CLI_OBJ) $(STATIC)
	$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(STATIC) $(DEP_LIBS)

$(BUILD)/gema.pc: gema.pc.in Makefile
	@mkdir -p $(BUILD)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(shell sed -n 's/^#define GEMA_VERSION_STRING "\(.*\)"/\1/p' include/gema.h)|' $< > $@

# Unit tests link the static library and may include internal lib/ headers.
$(BUILD)/tests/unit/%: tests/unit/%.c $(STATIC) tests/unit/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests/unit $(ALL_CFLAGS) -Wno-missing-prototypes $(ALL_LDFLAGS) -o $@ $< $(STATIC) $(DEP_LIBS) -lcmocka

# Fuzz targets double as plain programs that replay their corpus.
$(BUILD)/tests/fuzz/replay_%: tests/fuzz/%.c tests/fuzz/replay.c tests/fuzz/fuzzutil.h $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -Wno-missing-prototypes $(ALL_LDFLAGS) -o $@ $< tests/fuzz/replay.c $(STATIC) $(DEP_LIBS)

$(BUILD)/bench/%: bench/%.c $(STATIC) $(wildcard bench/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Ibench $(ALL_CFLAGS) -Wno-missing-prototypes $(ALL_LDFLAGS) -o $@ $< $(STATIC) $(DEP_LIBS)

# The README's first command: dedup the bundled sample and show the clusters.
demo: $(GEMA)
	$(GEMA) dedup samples/news.jsonl --clusters /dev/stdout -o $(BUILD)/sample-kept.jsonl

check unit: $(TEST_BIN)
	@set -e; for t in $(TEST_BIN); do echo "== $$t"; $$t; done

cli-test: $(GEMA)
	@GEMA=$(abspath $(GEMA)) sh tests/cli/run.sh

fuzz-replay: $(FUZZ_REPLAY)
	@set -e; for t in $(FUZZ_REPLAY); do \
	  n=$${t##*/replay_}; echo "== $$t tests/fuzz/corpus/$$n"; \
	  $$t tests/fuzz/corpus/$$n; done

test: all symbols unit cli-test fuzz-replay
	@echo "all tests passed"

# Every exported symbol of the library carries the gema_ prefix.
symbols: $(STATIC)
	@bad=$$(nm -g --defined-only $(STATIC) | awk 'NF==3 && $$3 !~ /^gema_/ {print $$3}'); \
	if [ -n "$$bad" ]; then echo "symbols without gema_ prefix:"; echo "$$bad"; exit 1; fi; \
	echo "symbols: all exported names start with gema_"

asan:
	$(MAKE) BUILD=build-asan CC=clang OPT="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" test

ubsan:
	$(MAKE) BUILD=build-ubsan OPT="-O1 -g" \
	  SAN="-fsanitize=undefined -fno-sanitize-recover=all" test

tsan:
	$(MAKE) BUILD=build-tsan CC=clang OPT="-O1 -g" SAN="-fsanitize=thread" test

# libFuzzer builds (clang).  Run e.g. build-fuzz/fuzz_jsonl tests/fuzz/corpus/fuzz_jsonl
fuzz:
	@mkdir -p build-fuzz
	$(MAKE) BUILD=build-fuzz CC=clang OPT="-O1 -g" SAN="-fsanitize=fuzzer-no-link,address,undefined" lib
	@set -e; for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
	  echo "clang $$f -> build-fuzz/$$n"; \
	  clang $(CPPFLAGS) -O1 -g -fsanitize=fuzzer,address,undefined -o build-fuzz/$$n $$f \
	    build-fuzz/libgema.a $(DEP_LIBS); done

bench-tools: $(GEMA) $(BENCH_BIN)

bench: bench-tools
	sh bench/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include \
	  $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(GEMA) $(DESTDIR)$(PREFIX)/bin/gema
	install -m 644 $(STATIC) $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(SHARED) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libgema.so.0 $(DESTDIR)$(PREFIX)/lib/libgema.so
	install -m 644 include/gema.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 $(BUILD)/gema.pc $(DESTDIR)$(PREFIX)/lib/pkgconfig/
	install -m 644 doc/gema.1 $(DESTDIR)$(PREFIX)/share/man/man1/

lint:
	cppcheck --quiet --enable=warning,performance,portability --inline-suppr \
	  --error-exitcode=1 -Iinclude -Ilib lib cli

clean:
	rm -rf build build-asan build-ubsan build-tsan build-fuzz

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
