/* host.* and agent.*, read once; see host_info.h. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "atomic_file.h"
#include "host_info.h"
#include "json_writer.h"

/* First line of a small file, without its newline; "" if unreadable. */
static void
read_first_line(const char *path, char *buf, size_t size)
{
	FILE *f;

	buf[0] = '\0';
	if ((f = fopen(path, "re")) == NULL)
		return;
	if (fgets(buf, (int)size, f) == NULL)
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/* KEY=value or KEY="value" from /etc/os-release. */
static void
os_release_value(const char *text, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key), n;
	const char *p = text, *v, *end;

	out[0] = '\0';
	while (p != NULL && *p != '\0') {
		if (strncmp(p, key, klen) == 0 && p[klen] == '=') {
			v = p + klen + 1;
			end = strchr(v, '\n');
			n = end != NULL ? (size_t)(end - v) : strlen(v);
			if (n >= 2 && (v[0] == '"' || v[0] == '\'') &&
			    v[n - 1] == v[0]) {
				v++;
				n -= 2;
			}
			if (n >= size)
				n = size - 1;
			memcpy(out, v, n);
			out[n] = '\0';
			return;
		}
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
}

static void
load_os_release(struct host_info *h)
{
	char text[8192];
	size_t n = 0;
	FILE *f;

	if ((f = fopen("/etc/os-release", "re")) == NULL &&
	    (f = fopen("/usr/lib/os-release", "re")) == NULL)
		return;
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	os_release_value(text, "NAME", h->os_name, sizeof(h->os_name));
	os_release_value(text, "VERSION", h->os_version, sizeof(h->os_version));
	os_release_value(text, "ID", h->os_platform, sizeof(h->os_platform));
	/* ECS os.family is the distribution family: debian, redhat, ... */
	os_release_value(text, "ID_LIKE", h->os_family, sizeof(h->os_family));
	if (h->os_family[0] == '\0')
		snprintf(h->os_family, sizeof(h->os_family), "%s",
		    h->os_platform);
	h->os_family[strcspn(h->os_family, " ")] = '\0';
}

/* A random (version 4) UUID into buf; -1 if no randomness. */
static int
uuid_random(char buf[37])
{
	unsigned char b[16];

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
		return -1;
	b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);	/* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);	/* RFC 4122 variant */
	snprintf(buf, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
	    b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
	return 0;
}

/* Read DATA_DIR/agent-id, or create it; leaves "" when neither works. */
static void
load_agent_id(struct host_info *h, const char *data_dir)
{
	char path[4096], id[40], line[40];

	h->agent_id[0] = '\0';
	if (data_dir == NULL ||
	    snprintf(path, sizeof(path), "%s/agent-id", data_dir) >=
	    (int)sizeof(path))
		return;
	read_first_line(path, id, sizeof(id));
	if (strlen(id) == 36) {
		memcpy(h->agent_id, id, sizeof(id));
		return;
	}
	if (uuid_random(id) == -1)
		return;
	(void)mkdir(data_dir, 0750);
	/*
	 * Replaced whole: written in place, a crash could leave the file
	 * empty and the next start would give this host a new identity.
	 */
	snprintf(line, sizeof(line), "%s\n", id);
	if (atomic_replace(path, line, strlen(line), 0640) == 0)
		memcpy(h->agent_id, id, sizeof(id));
}

/*
 * The audit documents and the FIM documents of one run carry the same
 * agent: the ephemeral id is made once per process, and the agent-id file
 * is read (or created) by one thread at a time, so two threads starting
 * together cannot each create a different one.
 */
static pthread_mutex_t agent_lock = PTHREAD_MUTEX_INITIALIZER;
static char process_ephemeral_id[40];

static void
load_agent(struct host_info *h, const char *data_dir)
{
	pthread_mutex_lock(&agent_lock);
	load_agent_id(h, data_dir);
	if (process_ephemeral_id[0] == '\0' &&
	    uuid_random(process_ephemeral_id) == -1)
		process_ephemeral_id[0] = '\0';
	memcpy(h->agent_ephemeral_id, process_ephemeral_id,
	    sizeof(h->agent_ephemeral_id));
	pthread_mutex_unlock(&agent_lock);
}

void
host_info_load(struct host_info *h, const char *data_dir)
{
	struct utsname u;

	memset(h, 0, sizeof(*h));
	if (gethostname(h->hostname, sizeof(h->hostname) - 1) == -1)
		snprintf(h->hostname, sizeof(h->hostname), "localhost");
	read_first_line("/etc/machine-id", h->id, sizeof(h->id));
	load_os_release(h);
	if (uname(&u) == 0) {
		snprintf(h->kernel, sizeof(h->kernel), "%s", u.release);
		snprintf(h->architecture, sizeof(h->architecture), "%s",
		    u.machine);
	}
	load_agent(h, data_dir);
}

static void
write_nonempty(struct jw *w, const char *key, const char *value)
{
	if (value[0] != '\0')
		jw_cstring(w, key, value);
}

char *
host_info_render(const struct host_info *h, const char *service_type)
{
	struct jw w;
	char *text;

	jw_init(&w);
	jw_object_open(&w, NULL);
	if (service_type != NULL) {
		jw_object_open(&w, "service");
		jw_cstring(&w, "type", service_type);
		jw_object_close(&w);
	}
	jw_object_open(&w, "host");
	jw_cstring(&w, "name", h->hostname);
	jw_cstring(&w, "hostname", h->hostname);
	write_nonempty(&w, "id", h->id);
	write_nonempty(&w, "architecture", h->architecture);
	jw_object_open(&w, "os");
	jw_cstring(&w, "type", "linux");
	write_nonempty(&w, "family", h->os_family);
	write_nonempty(&w, "platform", h->os_platform);
	write_nonempty(&w, "name", h->os_name);
	write_nonempty(&w, "version", h->os_version);
	write_nonempty(&w, "kernel", h->kernel);
	jw_object_close(&w);
	jw_object_close(&w);
	jw_object_open(&w, "agent");
	jw_cstring(&w, "type", PACKAGE_NAME);
	jw_cstring(&w, "version", PACKAGE_VERSION);
	write_nonempty(&w, "id", h->agent_id);
	write_nonempty(&w, "ephemeral_id", h->agent_ephemeral_id);
	jw_object_close(&w);
	jw_object_open(&w, "ecs");
	jw_cstring(&w, "version", ECS_VERSION);
	jw_object_close(&w);
	jw_object_close(&w);
	if (jw_failed(&w) || jw_len(&w) < 2) {
		jw_release(&w);
		return NULL;
	}
	/* Drop the outer braces: the caller splices the members in. */
	if ((text = malloc(jw_len(&w) - 1)) != NULL) {
		memcpy(text, jw_data(&w) + 1, jw_len(&w) - 2);
		text[jw_len(&w) - 2] = '\0';
	}
	jw_release(&w);
	return text;
}
