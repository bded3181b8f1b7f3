/*
 * The login dataset: logins, logouts, failed logins, boots and shutdowns
 * from the utmp records appended to wtmp and btmp (and their rotated
 * files), written as Auditbeat's system.login documents with the
 * record's own time.
 *
 * Each file is known by device and inode and read from where the last
 * look stopped (kept in STATE_DIR/login.json), so a rotated file is not
 * read twice, a new one is read from its start, and records appended
 * while the plugin was not running are reported at the next start,
 * once.  A file that shrank was truncated and is read again from its
 * start.  Files are read oldest first (by modification time), so the
 * documents follow the records' order.  Compressed rotations are not read.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/idcache.h"
#include "../common/log.h"
#include "login_state.h"
#include "sys_dataset.h"
#include "utmp_parse.h"

#define READ_CHUNK	(64u * 1024)

struct login_dataset {
	char		 state_path[4096];
	char		*patterns[2];		/* wtmp, btmp */
	struct login_state st;
	int		 dirty;			/* st differs from the file */
	struct ratelimit rl;
};

struct found_file {
	char		*path;
	struct stat	 st;
	int		 failed_logins;		/* a btmp file */
};

enum login_action { ACT_LOGIN, ACT_FAILED, ACT_LOGOUT, ACT_BOOT,
    ACT_SHUTDOWN };

static const struct {
	const char	*action;
	const char	*category;
	const char	*type;
	const char	*outcome;
	const char	*verb;
} actions[] = {
	[ACT_LOGIN] = { "user_login", "authentication", "start", "success",
	    "Login" },
	[ACT_FAILED] = { "user_login", "authentication", "start", "failure",
	    "Failed login" },
	[ACT_LOGOUT] = { "user_logout", "authentication", "end", NULL,
	    "Logout" },
	[ACT_BOOT] = { "boot", "host", "start", NULL, "System boot" },
	[ACT_SHUTDOWN] = { "shutdown", "host", "end", NULL,
	    "System shutdown" },
};

static struct login_tty *
find_tty(struct login_state *st, const char *tty)
{
	size_t i;

	for (i = 0; i < st->nttys; i++)
		if (strcmp(st->ttys[i].tty, tty) == 0)
			return &st->ttys[i];
	return NULL;
}

static void
note_login(struct login_dataset *ds, const struct login_record *r)
{
	struct login_tty *t, *grown;

	if (r->tty[0] == '\0')
		return;
	if ((t = find_tty(&ds->st, r->tty)) == NULL) {
		if (ds->st.nttys >= LOGIN_TTYS_MAX || (grown = realloc(
		    ds->st.ttys, (ds->st.nttys + 1) * sizeof(*grown))) == NULL)
			return;		/* its logout will name no user */
		ds->st.ttys = grown;
		t = &ds->st.ttys[ds->st.nttys++];
		snprintf(t->tty, sizeof(t->tty), "%s", r->tty);
	}
	snprintf(t->user, sizeof(t->user), "%s", r->user);
}

/* The user who logged in on the terminal of a logout; forgets it. */
static void
take_logout_user(struct login_dataset *ds, struct login_record *r)
{
	struct login_tty *t = find_tty(&ds->st, r->tty);

	if (t == NULL)
		return;
	snprintf(r->user, sizeof(r->user), "%s", t->user);
	*t = ds->st.ttys[--ds->st.nttys];
}

static void
write_login_doc(struct login_dataset *ds, struct sys_doc_writer *dw,
    const struct login_record *r, enum login_action act, const char *origin)
{
	const char *const types[] = { actions[act].type, NULL };
	struct sys_event ev = { "login", "event", actions[act].action,
	    actions[act].category, types, r->tty, r->at_us,
	    actions[act].outcome, origin };
	struct jw *w = sys_doc_jw(dw);
	char msg[1024], uid[24];
	long id = r->user[0] != '\0' ? idcache_user_id(r->user) : -1;

	if (act == ACT_BOOT || act == ACT_SHUTDOWN)
		snprintf(msg, sizeof(msg), "%s", actions[act].verb);
	else
		snprintf(msg, sizeof(msg), "%s by user %s (UID: %ld) on %s "
		    "(PID: %ld) from %s (IP: %s)", actions[act].verb, r->user,
		    id, r->tty, r->pid, r->host, r->ip);
	snprintf(uid, sizeof(uid), "%ld", id);
	sys_doc_begin(dw, &ev, msg);
	if (r->user[0] != '\0') {
		jw_object_open(w, "user");
		jw_cstring(w, "name", r->user);
		if (id >= 0)
			jw_cstring(w, "id", uid);
		if (r->tty[0] != '\0')
			jw_cstring(w, "terminal", r->tty);
		jw_object_close(w);
	}
	if (r->pid > 0) {
		jw_object_open(w, "process");
		jw_int(w, "pid", r->pid);
		jw_object_close(w);
	}
	if (r->ip[0] != '\0' || (r->host[0] != '\0' &&
	    strcmp(r->host, r->ip) != 0)) {
		jw_object_open(w, "source");
		if (r->ip[0] != '\0')
			jw_cstring(w, "ip", r->ip);
		if (r->host[0] != '\0' && strcmp(r->host, r->ip) != 0)
			jw_cstring(w, "domain", r->host);
		jw_object_close(w);
	}
	if (r->user[0] != '\0' || r->ip[0] != '\0') {
		jw_object_open(w, "related");
		if (r->user[0] != '\0') {
			jw_array_open(w, "user");
			jw_cstring(w, NULL, r->user);
			jw_array_close(w);
		}
		if (r->ip[0] != '\0') {
			jw_array_open(w, "ip");
			jw_cstring(w, NULL, r->ip);
			jw_array_close(w);
		}
		jw_object_close(w);
	}
	if (sys_doc_end(dw) == -1)
		log_ratelimited(&ds->rl, "login dataset: document too large, "
		    "dropped");
}

/* One record of a file: its document, if it is one to report. */
static void
report_record(struct login_dataset *ds, struct sys_doc_writer *dw,
    struct login_record *r, const struct found_file *f)
{
	if (f->failed_logins) {
		if (r->user[0] != '\0' || r->tty[0] != '\0')
			write_login_doc(ds, dw, r, ACT_FAILED, f->path);
		return;
	}
	switch (r->kind) {
	case LOGIN_USER:
		note_login(ds, r);
		write_login_doc(ds, dw, r, ACT_LOGIN, f->path);
		break;
	case LOGIN_LOGOUT:
		take_logout_user(ds, r);
		write_login_doc(ds, dw, r, ACT_LOGOUT, f->path);
		break;
	case LOGIN_BOOT:
		write_login_doc(ds, dw, r, ACT_BOOT, f->path);
		break;
	case LOGIN_SHUTDOWN:
		write_login_doc(ds, dw, r, ACT_SHUTDOWN, f->path);
		break;
	case LOGIN_NONE:
		break;
	}
}

/* Reads f from *offset to its last whole record; *offset moves on. */
static void
read_file(struct login_dataset *ds, struct sys_doc_writer *dw,
    const struct found_file *f, unsigned long long *offset)
{
	static unsigned char buf[READ_CHUNK];	/* the system thread's alone */
	size_t rsize = utmp_record_size(), per = sizeof(buf) / rsize * rsize;
	struct login_record r;
	ssize_t n;
	size_t i;
	int fd, bad = 0;

	if ((fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		log_ratelimited(&ds->rl, "login dataset: %s: %s", f->path,
		    strerror(errno));
		return;
	}
	for (;;) {
		n = pread(fd, buf, per, (off_t)*offset);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			log_ratelimited(&ds->rl, "login dataset: %s: %s",
			    f->path, strerror(errno));
			break;
		}
		/* A record being written waits for the next look. */
		if ((size_t)n < rsize)
			break;
		for (i = 0; i + rsize <= (size_t)n; i += rsize) {
			if (utmp_parse(buf + i, &r) == -1)
				bad++;
			else
				report_record(ds, dw, &r, f);
			*offset += rsize;
		}
		ds->dirty = 1;
	}
	close(fd);
	if (bad > 0)
		log_ratelimited(&ds->rl, "login dataset: %s: %d malformed "
		    "records skipped", f->path, bad);
}

static int
compressed(const char *path)
{
	static const char *const ends[] = { ".gz", ".xz", ".bz2", ".zst" };
	size_t i, n = strlen(path), e;

	for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		e = strlen(ends[i]);
		if (n > e && strcmp(path + n - e, ends[i]) == 0)
			return 1;
	}
	return 0;
}

static int
by_mtime(const void *a, const void *b)
{
	const struct found_file *x = a, *y = b;

	if (x->st.st_mtim.tv_sec != y->st.st_mtim.tv_sec)
		return x->st.st_mtim.tv_sec < y->st.st_mtim.tv_sec ? -1 : 1;
	if (x->st.st_mtim.tv_nsec != y->st.st_mtim.tv_nsec)
		return x->st.st_mtim.tv_nsec < y->st.st_mtim.tv_nsec ? -1 : 1;
	return strcmp(x->path, y->path);
}

/* The files of both patterns, oldest first; their count, or -1. */
static long
find_files(struct login_dataset *ds, struct found_file **out)
{
	struct found_file *files = NULL, *grown;
	size_t n = 0, i;
	glob_t g;
	int p;

	for (p = 0; p < 2; p++) {
		memset(&g, 0, sizeof(g));
		if (glob(ds->patterns[p], 0, NULL, &g) != 0) {
			globfree(&g);
			continue;
		}
		for (i = 0; i < g.gl_pathc && n < LOGIN_FILES_MAX; i++) {
			struct stat st;

			if (compressed(g.gl_pathv[i]) ||
			    stat(g.gl_pathv[i], &st) == -1 ||
			    !S_ISREG(st.st_mode))
				continue;
			if ((grown = realloc(files, (n + 1) *
			    sizeof(*files))) == NULL ||
			    (grown[n].path = strdup(g.gl_pathv[i])) == NULL) {
				files = grown != NULL ? grown : files;
				globfree(&g);
				goto fail;
			}
			files = grown;
			files[n].st = st;
			files[n++].failed_logins = p == 1;
		}
		globfree(&g);
	}
	if (n > 1)
		qsort(files, n, sizeof(*files), by_mtime);
	*out = files;
	return (long)n;
fail:
	for (i = 0; i < n; i++)
		free(files[i].path);
	free(files);
	return -1;
}

static struct login_pos *
find_pos(struct login_state *st, const struct stat *s)
{
	size_t i;

	for (i = 0; i < st->nfiles; i++)
		if (st->files[i].dev == (unsigned long long)s->st_dev &&
		    st->files[i].ino == (unsigned long long)s->st_ino)
			return &st->files[i];
	return NULL;
}

static void
login_look(void *arg, struct sys_doc_writer *dw, time_t now)
{
	struct login_dataset *ds = arg;
	struct found_file *files;
	struct login_pos *pos, *kept = NULL;
	char err[512];
	long n, i;

	(void)now;
	if ((n = find_files(ds, &files)) == -1) {
		log_ratelimited(&ds->rl, "login dataset: out of memory");
		return;
	}
	if (n > 0 && (kept = calloc((size_t)n, sizeof(*kept))) == NULL) {
		log_ratelimited(&ds->rl, "login dataset: out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		kept[i].dev = (unsigned long long)files[i].st.st_dev;
		kept[i].ino = (unsigned long long)files[i].st.st_ino;
		if ((pos = find_pos(&ds->st, &files[i].st)) != NULL)
			kept[i].offset = pos->offset;
		/* Shorter than what was read: truncated, read it again. */
		if (kept[i].offset > (unsigned long long)files[i].st.st_size) {
			kept[i].offset = 0;
			ds->dirty = 1;
		}
		read_file(ds, dw, &files[i], &kept[i].offset);
	}
	if (ds->st.nfiles != (size_t)n)
		ds->dirty = 1;		/* files came or went */
	free(ds->st.files);
	ds->st.files = kept;
	ds->st.nfiles = (size_t)n;
	sys_doc_flush(dw);
	if (ds->dirty) {
		if (login_state_save(ds->state_path, &ds->st, err,
		    sizeof(err)) == -1)
			log_ratelimited(&ds->rl, "login dataset: state not "
			    "kept: %s", err);
		else
			ds->dirty = 0;
	}
out:
	for (i = 0; i < n; i++)
		free(files[i].path);
	free(files);
}

static void *
login_open(const struct system_config *cfg, const char *state_dir)
{
	struct login_dataset *ds;
	char err[512];

	if ((ds = calloc(1, sizeof(*ds))) == NULL) {
		log_warnx("login dataset: out of memory");
		return NULL;
	}
	ds->rl = (struct ratelimit)RATELIMIT_INIT(300, 5);
	if ((size_t)snprintf(ds->state_path, sizeof(ds->state_path),
	    "%s/login.json", state_dir) >= sizeof(ds->state_path) ||
	    (ds->patterns[0] = strdup(cfg->login_wtmp_pattern)) == NULL ||
	    (ds->patterns[1] = strdup(cfg->login_btmp_pattern)) == NULL) {
		log_warnx("login dataset: out of memory, or %s too long",
		    state_dir);
		free(ds->patterns[0]);
		free(ds);
		return NULL;
	}
	if (login_state_load(ds->state_path, &ds->st, err, sizeof(err)) == -1)
		log_warnx("login dataset: kept positions not used, every "
		    "file is read from its start: %s", err);
	return ds;
}

static void
login_close(void *arg)
{
	struct login_dataset *ds = arg;

	if (ds == NULL)
		return;
	login_state_free(&ds->st);
	free(ds->patterns[0]);
	free(ds->patterns[1]);
	free(ds);
}

const struct sys_dataset_ops login_dataset_ops = {
	SYS_DATASET_LOGIN, login_open, login_look, login_close,
};
