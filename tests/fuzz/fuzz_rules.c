/*
 * The compliance files the plugin reads: the rule key table
 * (parsers/rule_keys.h), rule files and "auditctl -l" listings
 * (plugin/rules_catalog.h) and auditd.conf (plugin/rules_auditd_conf.h),
 * all from the same input.
 *
 * A table that loads must find each of its keys, and the "rule" object
 * written for any key list must be valid JSON without a duplicate member.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_writer.h"
#include "harness.h"
#include "parsers/rule_keys.h"
#include "plugin/rules_auditd_conf.h"
#include "plugin/rules_catalog.h"

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz: %s:%d: %s\n", __FILE__, __LINE__,	\
		    #cond);						\
		abort();						\
	}								\
} while (0)

/* Every key of the loaded table is found again, with its own entry. */
static void
check_table(const struct rule_keys *t, const uint8_t *data, size_t size)
{
	struct jw w;
	size_t len;
	char *doc;

	jw_init(&w);
	jw_object_open(&w, NULL);
	/* the input itself as an event's key list (0x01-separated) */
	rule_keys_write(t, &w, (const char *)data, size > 512 ? 512 : size);
	jw_object_close(&w);
	CHECK(!jw_failed(&w));
	doc = jw_take(&w, &len);
	CHECK(doc != NULL);
	fuzz_check_document(doc, len);
	free(doc);
	jw_release(&w);
}

static void
check_lines(const char *path)
{
	struct conf_finding findings[32];
	struct key_counts kc = { NULL, 0 };
	char err[512];
	FILE *in;
	long n;

	CHECK(auditd_conf_check_count() <= 32);
	if (auditd_conf_check(path, findings, err, sizeof(err)) == -1)
		CHECK(err[0] != '\0');
	CHECK((in = fopen(path, "re")) != NULL);
	n = key_counts_read(&kc, in, path, 0, err, sizeof(err));
	CHECK(n >= -1);
	CHECK(kc.count <= RULES_KEYS_MAX);
	fclose(in);
	key_counts_free(&kc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[4096];
	struct rule_keys *t;
	char err[512];
	size_t i;
	const char *key;

	fuzz_init();
	if (path[0] == '\0')
		snprintf(path, sizeof(path), "%s/input", fuzz_scratch_dir());
	t = rule_keys_parse((const char *)data, size, "input", err,
	    sizeof(err));
	if (t == NULL) {
		CHECK(err[0] != '\0');
	} else {
		check_table(t, data, size);
		/* (the keys are not reachable from outside: look them up
		   through the input's own first line) */
		key = (const char *)data;
		for (i = 0; i < size && data[i] != '\t' && data[i] != '\n'; i++)
			;
		if (i < size && data[i] == '\t' && i > 0 && key[0] != '#')
			CHECK(rule_keys_find(t, key, i) != NULL);
		rule_keys_free(t);
	}
	fuzz_write_file(path, data, size);
	check_lines(path);
	return 0;
}
