/* The Logstash sender: TLS settings and the publisher's workers. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/log.h"
#include "output_conf.h"
#include "network_output.h"
#include "tls.h"

struct tls_client *
logstash_tls_client(const struct logstash_output_config *ls, int *failed,
    char *err, size_t errlen)
{
	struct tls_config tc;
	struct tls_client *tls;

	*failed = 0;
	if (!ls->ssl.enabled)
		return NULL;
	memset(&tc, 0, sizeof(tc));
	tc.enabled = 1;
	tc.certificate_authorities = ls->ssl.cas.items;
	tc.ncas = ls->ssl.cas.count;
	tc.certificate = ls->ssl.certificate;
	tc.key = ls->ssl.key;
	tc.key_passphrase = ls->ssl.key_passphrase;
	tc.verification_mode = (enum tls_verify)ls->ssl.verification_mode;
	tc.supported_protocols = ls->ssl.protocols.items;
	tc.nprotocols = ls->ssl.protocols.count;
	tc.cipher_suites = ls->ssl.ciphers.items;
	tc.nciphers = ls->ssl.ciphers.count;
	if ((tls = tls_client_new(&tc, err, errlen)) == NULL)
		*failed = 1;
	else if (tc.verification_mode == TLS_VERIFY_NONE)
		log_warnx("logstash: ssl.verification_mode is none: the "
		    "server's certificate is not checked");
	return tls;
}

static void
publisher_config(const struct logstash_output_config *ls,
    const struct tls_client *tls, struct publisher_config *pc)
{

	memset(pc, 0, sizeof(*pc));
	pc->hosts = ls->hosts.items;
	pc->nhosts = ls->hosts.count;
	pc->loadbalance = ls->loadbalance;
	pc->workers = (int)ls->worker;
	pc->bulk_max_size = (size_t)ls->bulk_max_size;
	pc->pipelining = (int)ls->pipelining;
	pc->backoff_init_ms = ls->backoff_init_ms;
	pc->backoff_max_ms = ls->backoff_max_ms;
	pc->ttl_ms = ls->ttl_ms;
	pc->lj.index = ls->index;
	pc->lj.version = PACKAGE_VERSION;
	pc->lj.compression_level = (int)ls->compression_level;
	pc->lj.escape_html = ls->escape_html;
	pc->lj.timeout_ms = (int)ls->timeout_ms;
	pc->lj.tls = tls;
	pc->lj.tls_verify_host = tls != NULL && tls_client_verifies_host(tls);
}

/* The publisher with the TLS client it uses. */
struct logstash_workers {
	struct publisher	*pub;
	struct tls_client	*tls;
};

static void *
logstash_start(struct spool *sp, const void *settings, char *err,
    size_t errlen)
{
	const struct logstash_output_config *ls = settings;
	struct logstash_workers *lw;
	struct publisher_config pc;
	int failed;

	if ((lw = calloc(1, sizeof(*lw))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	lw->tls = logstash_tls_client(ls, &failed, err, errlen);
	if (failed)
		goto fail;
	publisher_config(ls, lw->tls, &pc);
	if ((lw->pub = publisher_start(sp, &pc, err, errlen)) == NULL)
		goto fail;
	return lw;
fail:
	tls_client_free(lw->tls);
	free(lw);
	return NULL;
}

static void
logstash_abort(void *arg)
{
	struct logstash_workers *lw = arg;

	publisher_abort(lw->pub);
}

static void
logstash_join(void *arg)
{
	struct logstash_workers *lw = arg;

	publisher_join(lw->pub);
	tls_client_free(lw->tls);
	free(lw);
}

static void
logstash_stats(void *arg, struct publisher_stats *s)
{
	struct logstash_workers *lw = arg;

	memset(s, 0, sizeof(*s));
	publisher_get_stats(lw->pub, s);
}

const struct sender logstash_sender = {
	"logstash", logstash_start, logstash_abort, logstash_join,
	logstash_stats,
};
