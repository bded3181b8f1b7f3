/* Posture documents; see rules_posture.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/host_info.h"
#include "../common/timefmt.h"
#include "../parsers/rule_keys.h"
#include "rules_auditd_conf.h"
#include "rules_posture.h"

static void	open_document(struct posture *, struct jw *, const char *action,
		    int ok, const char *message, const char *key);
static void	close_document(struct posture *, struct jw *);

int
posture_init(struct posture *ps, const struct rule_keys *keys,
    const char *data_dir)
{
	struct host_info host;

	memset(ps, 0, sizeof(*ps));
	ps->keys = keys;
	iso8601_now_ms(ps->timestamp, sizeof(ps->timestamp));
	host_info_load(&host, data_dir);
	if ((ps->constants = host_info_render(&host, NULL)) == NULL)
		return -1;
	return 0;
}

void
posture_release(struct posture *ps)
{
	free(ps->constants);
	ps->constants = NULL;
}

static void
open_document(struct posture *ps, struct jw *w, const char *action, int ok,
    const char *message, const char *key)
{
	jw_begin_document(w);
	jw_object_open(w, NULL);
	jw_cstring(w, "@timestamp", ps->timestamp);
	jw_cstring(w, "message", message);
	jw_object_open(w, "event");
	jw_cstring(w, "kind", "state");
	jw_cstring(w, "module", "audisp-ecs");
	jw_cstring(w, "dataset", "audisp-ecs.compliance");
	jw_cstring(w, "action", action);
	jw_array_open(w, "category");
	jw_cstring(w, NULL, "configuration");
	jw_array_close(w);
	jw_array_open(w, "type");
	jw_cstring(w, NULL, "info");
	jw_array_close(w);
	jw_cstring(w, "outcome", ok ? "success" : "failure");
	jw_object_close(w);
	rule_keys_write(ps->keys, w, key, strlen(key));
	jw_array_open(w, "tags");
	jw_cstring(w, NULL, key);
	jw_array_close(w);
}

static void
close_document(struct posture *ps, struct jw *w)
{
	jw_raw(w, NULL, ps->constants, strlen(ps->constants));
	jw_object_close(w);
	jw_append(w, "\n", 1);
}

void
posture_rule_document(struct posture *ps, struct jw *w, const char *profile,
    const char *key, unsigned expected, unsigned loaded)
{
	char message[512];
	int ok = loaded >= expected;

	snprintf(message, sizeof(message), "profile %s, key %s: %u of %u "
	    "rules loaded", profile, key, loaded, expected);
	open_document(ps, w, "audit-rules-checked", ok, message, key);
	jw_object_open(w, "audisp_ecs");
	jw_object_open(w, "compliance");
	jw_cstring(w, "profile", profile);
	jw_cstring(w, "key", key);
	jw_uint(w, "rules_expected", expected);
	jw_uint(w, "rules_loaded", loaded);
	jw_object_close(w);
	jw_object_close(w);
	close_document(ps, w);
}

void
posture_setting_document(struct posture *ps, struct jw *w, const char *file,
    const struct conf_finding *f)
{
	char message[512];

	snprintf(message, sizeof(message), "%s: %s is %s%s%s, want %s", file,
	    f->setting, f->set ? "\"" : "not set", f->set ? f->value : "",
	    f->set ? "\"" : "", f->want);
	open_document(ps, w, "auditd-config-checked", f->ok, message, f->key);
	jw_object_open(w, "audisp_ecs");
	jw_object_open(w, "compliance");
	jw_cstring(w, "file", file);
	jw_cstring(w, "setting", f->setting);
	if (f->set)
		jw_cstring(w, "value", f->value);
	jw_cstring(w, "expected", f->want);
	jw_object_close(w);
	jw_object_close(w);
	close_document(ps, w);
}
